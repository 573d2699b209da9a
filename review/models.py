from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.catalog import SecurityType
from applications.models import MONEY, LoanApplication, LoanProduct
from loancenter.repayment import METHOD_CHOICES


class AuthorityLimit(models.Model):
    """授权: the largest amount a user (or every member of a group) may approve."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="authority_limits",
    )
    group = models.ForeignKey(
        Group,
        verbose_name=_("role"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="authority_limits",
    )
    product = models.ForeignKey(
        LoanProduct,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Leave empty for all products."),
    )
    max_amount = models.DecimalField(_("maximum amount"), **MONEY)
    delegated_from = models.ForeignKey(
        "self",
        verbose_name=_("delegated from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations",
    )
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("authority limit")
        verbose_name_plural = _("authority limits")
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(group__isnull=True))
                | (Q(user__isnull=True) & Q(group__isnull=False)),
                name="authority_for_user_or_group",
            ),
            models.CheckConstraint(condition=Q(max_amount__gt=0), name="authority_positive"),
        ]

    def __str__(self):
        holder = self.user or self.group
        scope = self.product or _("all products")
        return f"{holder} · {scope} · {self.max_amount:,.2f}"

    def clean(self):
        if bool(self.user_id) == bool(self.group_id):
            raise ValidationError(_("A limit belongs to either one staff member or one role."))
        delegator = self.delegated_from
        if delegator and self.max_amount and self.max_amount > delegator.max_amount:
            raise ValidationError(
                {
                    "max_amount": _("A delegated limit may not exceed its delegator's (%(limit)s).")
                    % {"limit": f"{delegator.max_amount:,.2f}"}
                }
            )
        if delegator and delegator.product_id and self.product_id != delegator.product_id:
            raise ValidationError(
                {"product": _("A delegated limit covers no more products than its delegator's.")}
            )


class ReviewOpinion(models.Model):
    AGREE, DISAGREE, RETURN = "agree", "disagree", "return"
    EDITABLE_FIELDS = (
        "proposed_amount",
        "proposed_term_months",
        "proposed_rate",
        "proposed_method",
        "decision",
        "text",
    )
    CHECKLIST = (
        ("documents_complete", _("Documents complete and genuine")),
        ("compliant", _("Compliant with policy and regulation")),
        ("purpose_legitimate", _("Loan purpose legitimate")),
        ("repayment_capacity", _("Repayment capacity sufficient")),
        ("security_adequate", _("Security and loan-to-value adequate")),
        ("guarantee_capacity", _("Guarantors qualified and able")),
    )

    application = models.ForeignKey(
        LoanApplication, on_delete=models.PROTECT, related_name="review_opinions"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_opinions"
    )
    checklist = models.JSONField(_("checklist"), default=dict)
    proposed_amount = models.DecimalField(_("proposed amount"), **MONEY)
    proposed_term_months = models.PositiveSmallIntegerField(_("proposed term (months)"))
    proposed_rate = models.DecimalField(
        _("proposed annual rate (%)"), max_digits=7, decimal_places=4
    )
    proposed_method = models.CharField(
        _("proposed repayment method"), max_length=20, choices=METHOD_CHOICES
    )
    decision = models.CharField(
        _("opinion"),
        max_length=10,
        choices=[
            (AGREE, _("Agree")),
            (DISAGREE, _("Disagree")),
            (RETURN, _("Return for more information")),
        ],
    )
    text = models.TextField(_("opinion text"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("review opinion")
        verbose_name_plural = _("review opinions")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.application} {self.get_decision_display()}"


class ApprovalDecision(models.Model):
    APPROVE, REJECT, ESCALATE, RETURN = "approve", "reject", "escalate", "return"
    EDITABLE_FIELDS = (
        "decision",
        "amount",
        "term_months",
        "annual_rate",
        "repayment_method",
        "security_type",
        "conditions",
        "reasons",
    )

    application = models.ForeignKey(
        LoanApplication, on_delete=models.PROTECT, related_name="approval_decisions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approval_decisions"
    )
    acting_role = models.CharField(_("acting role"), max_length=20)
    decision = models.CharField(
        _("decision"),
        max_length=10,
        choices=[
            (APPROVE, _("Approve")),
            (REJECT, _("Reject")),
            (ESCALATE, _("Approve and escalate above my authority")),
            (RETURN, _("Return for more information")),
        ],
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    annual_rate = models.DecimalField(_("annual rate (%)"), max_digits=7, decimal_places=4)
    repayment_method = models.CharField(
        _("repayment method"), max_length=20, choices=METHOD_CHOICES
    )
    security_type = models.CharField(
        _("security type"), max_length=10, choices=SecurityType.choices
    )
    conditions = models.TextField(_("conditions"), blank=True)
    reasons = models.TextField(_("reasons"))
    authority_limit = models.ForeignKey(
        AuthorityLimit,
        verbose_name=_("under authority limit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    limit_amount = models.DecimalField(_("authority at the time"), **MONEY, null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval decision")
        verbose_name_plural = _("approval decisions")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.application} {self.get_decision_display()} {self.decided_by}"
