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
        "departure_reason",
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
    departure_reason = models.TextField(
        _("reason for departing from the score's suggestion"), blank=True
    )
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


class Characteristic(models.TextChoices):
    """What a scorecard may score: each is computed from the application by review.scoring."""

    AGE = "age", _("Age (years)")
    MONTHLY_INCOME = "monthly_income", _("Monthly income")
    PAYMENT_TO_INCOME = "payment_to_income", _("Payment-to-income (%)")
    EMPLOYMENT_YEARS = "employment_years", _("Years with employer")
    MARITAL_STATUS = "marital_status", _("Marital status")
    HOUSING_STATUS = "housing_status", _("Housing")
    OVERDUE_HISTORY = "overdue_history", _("Worst days past due in our book")
    SECURITY_TYPE = "security_type", _("Security type")
    LOAN_TO_VALUE = "loan_to_value", _("Loan-to-value (%)")
    WARNING_HITS = "warning_hits", _("Entries on the credit warning list")


class SuggestedDecision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    CAREFUL = "careful", _("Review carefully")
    DECLINE = "decline", _("Decline")


class Scorecard(models.Model):
    """A versioned scorecard. A version that has scored anything is never changed again: a
    change is made as a new version, so every old score can be reproduced."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("in use"), default=False)
    reasoning = models.TextField(_("reasoning"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_scorecard"
            ),
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"


class ScorecardRow(models.Model):
    """One characteristic and its bins. ``bins`` is a list of {"min", "max", "points"} for a
    number (min inclusive, max exclusive, either may be null) or {"value", "points"} for a
    category; the first bin that matches gives the points."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="rows")
    characteristic = models.CharField(
        _("characteristic"), max_length=20, choices=Characteristic.choices
    )
    bins = models.JSONField(_("bins and points"))
    missing_points = models.IntegerField(_("points when unknown"), default=0)

    class Meta:
        verbose_name = _("scorecard characteristic")
        verbose_name_plural = _("scorecard characteristics")
        ordering = ["scorecard", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "characteristic"], name="one_row_per_characteristic"
            ),
        ]

    def __str__(self):
        return self.get_characteristic_display()


class GradeBand(models.Model):
    """Cut-off: a total at or above ``min_score`` earns the grade (the highest band that fits)."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="grades")
    grade = models.CharField(_("grade"), max_length=2)
    min_score = models.IntegerField(_("minimum score"))
    decision = models.CharField(
        _("suggested decision"), max_length=10, choices=SuggestedDecision.choices
    )
    max_income_multiple = models.DecimalField(
        _("maximum amount as a multiple of annual income"), max_digits=5, decimal_places=2
    )
    spread_bp = models.IntegerField(_("suggested spread over LPR (bp)"))

    class Meta:
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        ordering = ["scorecard", "-min_score"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "grade"], name="one_band_per_grade"),
        ]

    def __str__(self):
        return f"{self.grade} ≥ {self.min_score}"


class ApplicationScore(models.Model):
    """A score of an application, with the version it used and each characteristic's points."""

    SURVEY, REVIEW = "survey", "review"

    application = models.ForeignKey(
        LoanApplication, on_delete=models.PROTECT, related_name="scores"
    )
    scorecard = models.ForeignKey(Scorecard, on_delete=models.PROTECT, related_name="scores")
    trigger = models.CharField(
        _("scored at"),
        max_length=10,
        choices=[(SURVEY, _("Survey completed")), (REVIEW, _("Reviewer's proposal"))],
    )
    amount = models.DecimalField(_("amount scored"), **MONEY)
    term_months = models.PositiveSmallIntegerField(_("term scored (months)"))
    total = models.IntegerField(_("score"))
    grade = models.CharField(_("grade"), max_length=2)
    decision = models.CharField(
        _("suggested decision"), max_length=10, choices=SuggestedDecision.choices
    )
    max_amount = models.DecimalField(_("suggested maximum amount"), **MONEY)
    spread_bp = models.IntegerField(_("suggested spread (bp)"))
    breakdown = models.JSONField(_("points by characteristic"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("application score")
        verbose_name_plural = _("application scores")
        ordering = ["application", "created_at", "pk"]

    def __str__(self):
        return f"{self.application} {self.total} {self.grade}"
