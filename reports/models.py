from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from applications.models import MONEY, Customer, LoanApplication
from review.models import Scorecard


class RatingStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Not confirmed")
    SUPERSEDED = "superseded", _("Superseded by a later re-rating")


class CreditRating(ConcurrentTransitionMixin, models.Model):
    """内部信用等级: a customer's grade and limit from a re-rating. The job proposes; a reviewer
    confirms before limits or pricing change. The latest confirmed rating is the current one;
    the older ones stay as the customer's history."""

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="credit_ratings",
    )
    application = models.ForeignKey(
        LoanApplication,
        verbose_name=_("application scored"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("scorecard"), on_delete=models.PROTECT, related_name="ratings"
    )
    grade = models.CharField(_("grade"), max_length=2)
    previous_grade = models.CharField(_("grade before"), max_length=2, blank=True)
    score = models.IntegerField(_("score"))
    limit = models.DecimalField(_("credit limit"), **MONEY)
    breakdown = models.JSONField(_("points by characteristic"), default=dict, blank=True)
    status = FSMField(
        _("status"),
        max_length=12,
        choices=RatingStatus.choices,
        default=RatingStatus.PROPOSED,
        protected=True,
        db_index=True,
    )
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("credit rating")
        verbose_name_plural = _("credit ratings")
        ordering = ["-computed_at", "-pk"]
        indexes = [
            models.Index(fields=["customer", "status", "decided_at"], name="rating_customer"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(status="proposed"),
                name="one_proposed_rating_per_customer",
            ),
            models.CheckConstraint(condition=Q(limit__gte=0), name="rating_limit_not_negative"),
        ]

    def __str__(self):
        return f"{self.customer} {self.grade}"

    @transition(field=status, source=RatingStatus.PROPOSED, target=RatingStatus.CONFIRMED)
    def confirm(self, *, user, reason):
        self._decide(user, reason)

    @transition(field=status, source=RatingStatus.PROPOSED, target=RatingStatus.REJECTED)
    def reject(self, *, user, reason):
        self._decide(user, reason)

    @transition(field=status, source=RatingStatus.PROPOSED, target=RatingStatus.SUPERSEDED)
    def supersede(self):
        self.decided_at = timezone.now()

    def _decide(self, user, reason):
        self.decided_by = user
        self.decided_at = timezone.now()
        self.reason = reason
