from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from loancenter.repayment import METHOD_CHOICES

from . import identity
from .catalog import (
    Category,
    DocumentKind,
    HousingStatus,
    MaritalStatus,
    PaymentMode,
    RateBasis,
    SecurityType,
)

MONEY = {"max_digits": 14, "decimal_places": 2}
PERCENT = {"max_digits": 6, "decimal_places": 2}


class Customer(models.Model):
    EDITABLE_FIELDS = (
        "name",
        "id_number",
        "mobile",
        "address",
        "employer",
        "employment_years",
        "monthly_income",
        "monthly_debt_payments",
        "marital_status",
        "full_civil_capacity",
        "housing_status",
    )

    name = models.CharField(_("name"), max_length=50)
    id_number = models.CharField(
        _("resident identity card number"),
        max_length=18,
        unique=True,
        validators=[identity.validate_id_number],
    )
    birth_date = models.DateField(_("date of birth"), editable=False)
    sex = models.CharField(
        _("sex"), max_length=1, choices=[("M", _("Male")), ("F", _("Female"))], editable=False
    )
    mobile = models.CharField(_("mobile"), max_length=11, validators=[identity.validate_mobile])
    address = models.CharField(_("address"), max_length=200)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    employment_years = models.PositiveSmallIntegerField(_("years with employer"), default=0)
    monthly_income = models.DecimalField(
        _("monthly income"), **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    monthly_debt_payments = models.DecimalField(
        _("monthly payments on existing debts"),
        **MONEY,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    marital_status = models.CharField(
        _("marital status"), max_length=10, choices=MaritalStatus.choices
    )
    full_civil_capacity = models.BooleanField(_("full civil capacity"), default=True)
    housing_status = models.CharField(
        _("housing"), max_length=10, choices=HousingStatus.choices, default=HousingStatus.OWN
    )
    # Repayment behaviour in our own book, kept current by the loans app (which this app may
    # not import): how many installments were paid late, and the worst days past due.
    times_late = models.PositiveIntegerField(_("installments paid late"), default=0)
    worst_days_past_due = models.PositiveIntegerField(_("worst days past due"), default=0)
    behaviour_updated_at = models.DateTimeField(_("behaviour updated"), null=True, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loan officer"),
        on_delete=models.PROTECT,
        related_name="customers",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["officer", "created_at"])]

    def __str__(self):
        return f"{self.name} ({self.masked_id_number})"

    def save(self, *args, **kwargs):
        self.id_number = identity.normalize_id_number(self.id_number)
        self.birth_date = identity.birth_date_from_id(self.id_number)
        self.sex = identity.sex_from_id(self.id_number)
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self):
        return identity.mask_id_number(self.id_number)

    @property
    def masked_mobile(self):
        return identity.mask_mobile(self.mobile)


class CreditWarning(models.Model):
    """客户信用预警: nobody on this list may be lent to."""

    id_number = models.CharField(
        _("resident identity card number"),
        max_length=18,
        db_index=True,
        validators=[identity.validate_id_number],
    )
    name = models.CharField(_("name"), max_length=50, blank=True)
    reason = models.TextField(_("reason"))
    since = models.DateField(_("since"), default=timezone.localdate)
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("credit warning")
        verbose_name_plural = _("credit warning list")
        ordering = ["-since"]

    def __str__(self):
        return f"{identity.mask_id_number(self.id_number)} {self.reason[:30]}"

    def save(self, *args, **kwargs):
        self.id_number = identity.normalize_id_number(self.id_number)
        super().save(*args, **kwargs)

    @classmethod
    def is_listed(cls, id_number: str, on=None) -> bool:
        on = on or timezone.localdate()
        return (
            cls.objects.filter(id_number=identity.normalize_id_number(id_number), since__lte=on)
            .filter(Q(lifted_on__isnull=True) | Q(lifted_on__gt=on))
            .exists()
        )


class LoanPrimeRate(models.Model):
    tenor = models.CharField(_("tenor"), max_length=2, choices=RateBasis.choices)
    rate = models.DecimalField(_("rate (%)"), max_digits=5, decimal_places=2)
    effective_date = models.DateField(_("effective from"))

    class Meta:
        verbose_name = _("loan prime rate (LPR)")
        verbose_name_plural = _("loan prime rates (LPR)")
        ordering = ["-effective_date", "tenor"]
        constraints = [
            models.UniqueConstraint(fields=["tenor", "effective_date"], name="lpr_once_per_day"),
            models.CheckConstraint(
                condition=Q(rate__gt=0) & Q(rate__lt=100), name="lpr_rate_positive"
            ),
        ]

    def __str__(self):
        return f"{self.get_tenor_display()} {self.rate}% ({self.effective_date})"

    @classmethod
    def current(cls, tenor: str, on=None):
        on = on or timezone.localdate()
        return cls.objects.filter(tenor=tenor, effective_date__lte=on).first()


class LoanProduct(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    is_active = models.BooleanField(_("on sale"), default=True)
    min_amount = models.DecimalField(_("minimum amount"), **MONEY)
    max_amount = models.DecimalField(_("maximum amount"), **MONEY)
    max_term_months = models.PositiveSmallIntegerField(_("maximum term (months)"))
    extended_max_term_months = models.PositiveSmallIntegerField(
        _("maximum term with a written reason (months)"),
        null=True,
        blank=True,
        help_text=_("Business loans: up to 10 years when the reason is recorded."),
    )
    rate_basis = models.CharField(_("rate basis"), max_length=2, choices=RateBasis.choices)
    min_spread_bp = models.IntegerField(_("minimum spread (bp)"))
    max_spread_bp = models.IntegerField(_("maximum spread (bp)"))
    repayment_methods = models.JSONField(_("repayment methods"), default=list)
    security_types = models.JSONField(_("security types"), default=list)
    required_documents = models.JSONField(_("required documents"), default=list)
    max_ltv_percent = models.DecimalField(
        _("maximum loan-to-value (%)"), **PERCENT, null=True, blank=True
    )
    max_payment_to_income_percent = models.DecimalField(
        _("maximum payment-to-income (%)"), **PERCENT, default=Decimal("50")
    )
    max_debt_to_income_percent = models.DecimalField(
        _("maximum debt-to-income (%)"), **PERCENT, null=True, blank=True
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=18)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), default=65)
    max_age_at_maturity = models.PositiveSmallIntegerField(_("maximum age at maturity"), default=70)
    onsite_survey_percent = models.PositiveSmallIntegerField(
        _("on-site survey sampling rate (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("Business loans are always surveyed on site."),
    )
    self_payment_limit = models.DecimalField(
        _("self-payment limit"),
        **MONEY,
        default=Decimal("0"),
        help_text=_("Above this amount the funds must be paid to the counterparty."),
    )
    penalty_uplift_percent = models.DecimalField(
        _("penalty interest uplift (%)"),
        **PERCENT,
        default=Decimal("50"),
        validators=[MinValueValidator(Decimal("30")), MaxValueValidator(Decimal("50"))],
    )
    requires_notarisation = models.BooleanField(_("requires notarisation"), default=False)
    allocation_order = models.CharField(
        _("repayment allocation order"),
        max_length=12,
        choices=[
            ("components", _("Penalties, then interest, then principal; oldest first in each")),
            ("installments", _("Oldest installment first: its penalty, interest, principal")),
        ],
        default="components",
    )

    class Meta:
        verbose_name = _("loan product")
        verbose_name_plural = _("loan products")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_amount__gt=0) & Q(max_amount__gte=models.F("min_amount")),
                name="product_amount_range",
            ),
            models.CheckConstraint(
                condition=Q(max_spread_bp__gte=models.F("min_spread_bp")),
                name="product_spread_range",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        from loancenter.repayment import METHOD_CHOICES as methods

        known = {code for code, _label in methods}
        if not self.repayment_methods or set(self.repayment_methods) - known:
            raise ValidationError({"repayment_methods": _("Choose known repayment methods.")})
        if not self.security_types or set(self.security_types) - set(SecurityType.values):
            raise ValidationError({"security_types": _("Choose known security types.")})
        if set(self.required_documents) - set(DocumentKind.values):
            raise ValidationError({"required_documents": _("Choose known document kinds.")})
        if self.category == Category.BUSINESS and self.onsite_survey_percent != 100:
            raise ValidationError(
                {"onsite_survey_percent": _("Business loans are surveyed on site every time.")}
            )

    @property
    def term_limit_months(self) -> int:
        return self.extended_max_term_months or self.max_term_months


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SURVEYING = "surveying", _("Under survey")
    REVIEWING = "reviewing", _("Under review")
    APPROVING = "approving", _("Awaiting approval")
    ESCALATED = "escalated", _("Escalated")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for more information")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CONTRACTED = "contracted", _("Contracted")
    REGISTERING = "registering", _("Under mortgage registration")
    READY = "ready", _("Ready to disburse")
    DISBURSED = "disbursed", _("Disbursed")


OPEN_STATES = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.SURVEYING,
    Status.REVIEWING,
    Status.APPROVING,
    Status.ESCALATED,
    Status.RETURNED,
]


class EscalationLevel(models.TextChoices):
    DIRECTOR = "director", _("Center director")
    HEAD_OFFICE = "head_office", _("Head office")


class LoanApplication(ConcurrentTransitionMixin, models.Model):
    EDITABLE_FIELDS = (
        "product",
        "amount",
        "term_months",
        "term_reason",
        "rate_spread_bp",
        "purpose",
        "repayment_method",
        "security_type",
        "payment_mode",
        "counterparty_name",
        "counterparty_account",
        "counterparty_bank",
    )

    number = models.CharField(_("application number"), max_length=20, unique=True)
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    product = models.ForeignKey(
        LoanProduct,
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loan officer"),
        on_delete=models.PROTECT,
        related_name="officer_applications",
    )
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("investigator"),
        on_delete=models.PROTECT,
        related_name="investigated_applications",
        null=True,
        blank=True,
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    term_reason = models.TextField(_("reason for the longer term"), blank=True)
    rate_spread_bp = models.IntegerField(_("spread over LPR (bp)"))
    lpr_rate = models.DecimalField(_("LPR (%)"), max_digits=5, decimal_places=2)
    annual_rate = models.DecimalField(_("annual rate (%)"), max_digits=7, decimal_places=4)
    purpose = models.TextField(_("purpose"))
    repayment_method = models.CharField(
        _("repayment method"), max_length=20, choices=METHOD_CHOICES
    )
    security_type = models.CharField(
        _("security type"), max_length=10, choices=SecurityType.choices
    )
    payment_mode = models.CharField(
        _("payment mode"),
        max_length=10,
        choices=PaymentMode.choices,
        default=PaymentMode.ENTRUSTED,
    )
    counterparty_name = models.CharField(_("counterparty"), max_length=100, blank=True)
    counterparty_account = models.CharField(_("counterparty account"), max_length=40, blank=True)
    counterparty_bank = models.CharField(_("counterparty bank"), max_length=100, blank=True)
    status = FSMField(
        _("status"), default=Status.DRAFT, choices=Status.choices, protected=True, db_index=True
    )
    escalation_level = models.CharField(
        _("escalated to"), max_length=12, choices=EscalationLevel.choices, blank=True
    )
    onsite_survey_required = models.BooleanField(
        _("on-site survey required"), null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("loan application")
        verbose_name_plural = _("loan applications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="application_queue"),
            models.Index(fields=["officer", "status"], name="application_officer"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="application_amount_positive"),
            models.CheckConstraint(condition=Q(term_months__gt=0), name="application_term"),
        ]

    def __str__(self):
        return self.number

    # --- transitions: state only; services check rules, lock rows and audit -------------

    @transition(field=status, source=[Status.DRAFT, Status.RETURNED], target=Status.SUBMITTED)
    def submit(self):
        pass

    @transition(field=status, source=Status.RETURNED, target=Status.REVIEWING)
    def resubmit_for_review(self):
        pass

    @transition(field=status, source=Status.SUBMITTED, target=Status.SURVEYING)
    def start_survey(self):
        pass

    @transition(field=status, source=Status.SURVEYING, target=Status.REVIEWING)
    def complete_survey(self):
        pass

    @transition(field=status, source=Status.REVIEWING, target=Status.APPROVING)
    def pass_review(self):
        pass

    @transition(
        field=status,
        source=[Status.REVIEWING, Status.APPROVING, Status.ESCALATED],
        target=Status.RETURNED,
    )
    def return_to_officer(self):
        """The reviewer or the decider sends it back (a survey is completed, not returned)."""
        self.escalation_level = ""

    @transition(field=status, source=[Status.APPROVING, Status.ESCALATED], target=Status.ESCALATED)
    def escalate(self, level):
        self.escalation_level = level

    @transition(field=status, source=[Status.APPROVING, Status.ESCALATED], target=Status.APPROVED)
    def approve(self):
        self.decided_at = timezone.now()

    @transition(field=status, source=[Status.APPROVING, Status.ESCALATED], target=Status.REJECTED)
    def reject(self):
        """Only the decider rejects (a disagreeing review still goes to the decider)."""
        self.decided_at = timezone.now()

    @transition(field=status, source=OPEN_STATES, target=Status.WITHDRAWN)
    def withdraw(self):
        pass

    # --- after approval: contracts, mortgage registration, disbursement -------------------

    @transition(field=status, source=Status.APPROVED, target=Status.CONTRACTED)
    def sign_contracts(self):
        pass

    @transition(field=status, source=Status.CONTRACTED, target=Status.REGISTERING)
    def start_registration(self):
        pass

    @transition(field=status, source=[Status.CONTRACTED, Status.REGISTERING], target=Status.READY)
    def mark_ready(self):
        pass

    @transition(field=status, source=Status.READY, target=Status.DISBURSED)
    def disburse(self):
        pass

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def is_editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)


class LoanApplicationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(LoanApplication, on_delete=models.CASCADE)


class LoanApplicationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(LoanApplication, on_delete=models.CASCADE)


class Guarantor(models.Model):
    PERSON, COMPANY = "person", "company"

    application = models.ForeignKey(
        LoanApplication, on_delete=models.CASCADE, related_name="guarantors"
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=[(PERSON, _("Natural person")), (COMPANY, _("Company"))],
    )
    name = models.CharField(_("name"), max_length=100)
    id_number = models.CharField(
        _("identity card number"),
        max_length=18,
        blank=True,
        validators=[identity.validate_id_number],
    )
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[identity.validate_credit_code],
    )
    mobile = models.CharField(
        _("mobile"), max_length=11, blank=True, validators=[identity.validate_mobile]
    )
    relationship = models.CharField(_("relationship to the borrower"), max_length=50, blank=True)
    guarantee_capacity = models.DecimalField(_("guarantee capacity"), **MONEY)

    class Meta:
        verbose_name = _("guarantor")
        verbose_name_plural = _("guarantors")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="person") & ~Q(id_number=""))
                | (Q(kind="company") & ~Q(credit_code="")),
                name="guarantor_identified",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == self.PERSON and not self.id_number:
            raise ValidationError({"id_number": _("A person guarantor needs an ID number.")})
        if self.kind == self.COMPANY and not self.credit_code:
            raise ValidationError({"credit_code": _("A company guarantor needs its credit code.")})

    @property
    def masked_identifier(self):
        if self.kind == self.PERSON:
            return identity.mask_id_number(self.id_number)
        return self.credit_code


def document_path(instance, filename):
    # The stored name is random: the original name is kept in a field, never in the path.
    from uuid import uuid4

    return f"applications/{timezone.localdate():%Y/%m}/{uuid4().hex}"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(
        LoanApplication, on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["kind", "uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"


class SurveyConfirmation(models.Model):
    """One investigator's confirmation of the survey; two different people make a survey."""

    IN_PERSON, VIDEO = "in_person", "video"
    RECOMMEND, NOT_RECOMMEND = "recommend", "not_recommend"
    EDITABLE_FIELDS = (
        "interview_date",
        "interview_mode",
        "onsite_visit_done",
        "identity_verified",
        "income_verified",
        "purpose_verified",
        "repayment_source_verified",
        "guarantor_capacity_verified",
        "collateral_verified",
        "recommended_amount",
        "recommended_term_months",
        "recommended_rate",
        "recommendation",
        "opinion",
    )

    application = models.ForeignKey(
        LoanApplication, on_delete=models.PROTECT, related_name="survey_confirmations"
    )
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_confirmations"
    )
    acting_role = models.CharField(_("acting role"), max_length=20)
    interview_date = models.DateField(_("interview date"))
    interview_mode = models.CharField(
        _("interview mode"),
        max_length=10,
        choices=[(IN_PERSON, _("In person")), (VIDEO, _("Recorded video"))],
    )
    onsite_visit_done = models.BooleanField(_("on-site visit done"), default=False)
    identity_verified = models.BooleanField(_("identity verified"), default=False)
    income_verified = models.BooleanField(_("income verified"), default=False)
    purpose_verified = models.BooleanField(_("loan purpose verified"), default=False)
    repayment_source_verified = models.BooleanField(_("repayment source verified"), default=False)
    guarantor_capacity_verified = models.BooleanField(
        _("guarantor capacity verified"), default=False
    )
    collateral_verified = models.BooleanField(
        _("collateral ownership and value verified"), default=False
    )
    payment_to_income_percent = models.DecimalField(_("payment-to-income (%)"), **PERCENT)
    recommended_amount = models.DecimalField(_("recommended amount"), **MONEY)
    recommended_term_months = models.PositiveSmallIntegerField(_("recommended term (months)"))
    recommended_rate = models.DecimalField(
        _("recommended annual rate (%)"), max_digits=7, decimal_places=4
    )
    recommendation = models.CharField(
        _("opinion"),
        max_length=15,
        choices=[(RECOMMEND, _("Recommend")), (NOT_RECOMMEND, _("Do not recommend"))],
    )
    opinion = models.TextField(_("opinion text"))
    confirmed_at = models.DateTimeField(_("confirmed"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey confirmation")
        verbose_name_plural = _("survey confirmations")
        ordering = ["confirmed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "investigator"], name="one_confirmation_per_investigator"
            ),
        ]

    def __str__(self):
        return f"{self.application} {self.investigator}"
