from decimal import Decimal

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


class Figure(models.TextChoices):
    """The asset-quality figures of RULES.md §7."""

    OVERDUE_RATE = "overdue_rate", _("Overdue rate")
    NPL_RATIO = "npl_ratio", _("NPL ratio")
    INTEREST_COLLECTION = "interest_collection_rate", _("Interest collection rate")
    BAD_DEBT_RATE = "bad_debt_rate", _("Bad-debt rate")


class AlertLevel(models.Model):
    """Head office's alert level for one figure; the dashboard colours the figure against it."""

    figure = models.CharField(_("figure"), max_length=32, choices=Figure.choices, unique=True)
    alert_percent = models.DecimalField(_("alert level (%)"), max_digits=6, decimal_places=2)
    higher_is_worse = models.BooleanField(
        _("higher is worse"),
        default=True,
        help_text=_("Off for the interest collection rate, where lower is worse."),
    )
    warning_margin_percent = models.DecimalField(
        _("warning margin (percentage points)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0.50"),
        help_text=_("Within this distance of the alert level the figure shows amber."),
    )

    class Meta:
        verbose_name = _("alert level")
        verbose_name_plural = _("alert levels")
        ordering = ["figure"]

    def __str__(self):
        return f"{self.get_figure_display()} {self.alert_percent}%"


class OfficerTarget(models.Model):
    """A loan officer's yearly marketing target (amount disbursed)."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loan officer"),
        on_delete=models.PROTECT,
        related_name="yearly_targets",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("target amount disbursed"), **MONEY)
    accounts = models.PositiveIntegerField(_("target number of loans"), default=0)

    class Meta:
        verbose_name = _("officer's yearly target")
        verbose_name_plural = _("officers' yearly targets")
        ordering = ["-year", "officer"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "year"], name="one_target_per_year"),
        ]

    def __str__(self):
        return f"{self.officer} {self.year}"


class ReportKind(models.TextChoices):
    ASSET_QUALITY = "asset_quality", _("Monthly asset-quality report")
    CLASSIFICATION = "classification", _("Five-level classification report")
    COLLECTIONS = "collections", _("Collections report")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportRun(models.Model):
    """A report asked for on a page (or by beat), generated by a Celery task into a PDF and an
    XLSX that are kept with who asked and when."""

    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="reports/%Y/%m/", blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to="reports/%Y/%m/", blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="report_period"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"


class OfficerYearTotal(models.Model):
    """An officer's disbursements in a year as the nightly sweep counted them, up to a moment:
    the dashboard adds the loans disbursed since rather than summing a year of loans."""

    year = models.PositiveSmallIntegerField(_("year"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    amount = models.DecimalField(_("amount disbursed"), max_digits=16, decimal_places=2)
    loans = models.PositiveIntegerField(_("loans disbursed"))
    counted_until = models.DateTimeField(_("counted until"))

    class Meta:
        verbose_name = _("officer's yearly disbursements")
        verbose_name_plural = _("officers' yearly disbursements")
        constraints = [
            models.UniqueConstraint(fields=["year", "officer"], name="one_total_per_officer_year")
        ]

    def __str__(self):
        return f"{self.year} {self.officer_id} {self.amount}"
