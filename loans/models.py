from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from applications.models import MONEY, Customer, LoanApplication, LoanProduct
from loancenter.repayment import METHOD_CHOICES

ZERO = Decimal("0.00")
HALF_FEN = Value(Decimal("0.005"))
ALLOCATED = F("penalty_part") + F("interest_part") + F("principal_part")


class ContractKind(models.TextChoices):
    LOAN = "loan", _("Loan contract")
    MORTGAGE = "mortgage", _("Mortgage contract")
    PLEDGE = "pledge", _("Pledge contract")
    GUARANTEE = "guarantee", _("Guarantee contract")


class SigningMode(models.TextChoices):
    IN_PERSON = "in_person", _("Signed in person")
    ELECTRONIC = "electronic", _("Signed electronically")


class LoanContract(models.Model):
    """借款合同 and the security contracts, generated from the approval and then signed (面签)."""

    application = models.ForeignKey(
        LoanApplication, on_delete=models.PROTECT, related_name="contracts"
    )
    kind = models.CharField(_("contract"), max_length=10, choices=ContractKind.choices)
    number = models.CharField(_("contract number"), max_length=30, unique=True)
    party = models.CharField(
        _("counterparty to the bank"),
        max_length=100,
        help_text=_("The borrower, the mortgagor or the guarantor who signs it."),
    )
    pdf = models.FileField(_("generated PDF"), upload_to="contracts/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField(_("generated"), auto_now_add=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signing_mode = models.CharField(
        _("signing"), max_length=10, choices=SigningMode.choices, blank=True
    )
    signers = models.CharField(_("signers"), max_length=200, blank=True)
    signing_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["application", "kind", "number"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("Performing")
    OVERDUE = "overdue", _("Overdue")
    SETTLED = "settled", _("Settled")
    WRITTEN_OFF = "written_off", _("Written off")


class Classification(models.TextChoices):
    """五级分类 (《商业银行金融资产风险分类办法》), in order of worsening."""

    NORMAL = "normal", _("Normal")
    SPECIAL_MENTION = "special_mention", _("Special mention")
    SUBSTANDARD = "substandard", _("Substandard")
    DOUBTFUL = "doubtful", _("Doubtful")
    LOSS = "loss", _("Loss")


class LoanAccount(ConcurrentTransitionMixin, models.Model):
    """借据: one disbursed loan, its terms and the principal still owed."""

    number = models.CharField(_("IOU number"), max_length=20, unique=True)
    application = models.OneToOneField(
        LoanApplication, on_delete=models.PROTECT, related_name="account"
    )
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="accounts")
    product = models.ForeignKey(LoanProduct, on_delete=models.PROTECT, related_name="accounts")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loan officer"),
        on_delete=models.PROTECT,
        related_name="officer_accounts",
    )
    principal = models.DecimalField(_("principal disbursed"), **MONEY)
    annual_rate = models.DecimalField(_("annual rate (%)"), max_digits=7, decimal_places=4)
    penalty_uplift_percent = models.DecimalField(
        _("penalty interest uplift (%)"), max_digits=6, decimal_places=2
    )
    repayment_method = models.CharField(
        _("repayment method"), max_length=20, choices=METHOD_CHOICES
    )
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    value_date = models.DateField(_("value date"))
    maturity_date = models.DateField(_("maturity date"))
    principal_outstanding = models.DecimalField(_("principal outstanding"), **MONEY)
    repayment_account = models.CharField(_("repayment account"), max_length=40)
    status = FSMField(
        _("status"),
        default=AccountStatus.ACTIVE,
        choices=AccountStatus.choices,
        protected=True,
        db_index=True,
    )
    classification = models.CharField(
        _("five-level classification"),
        max_length=16,
        choices=Classification.choices,
        default=Classification.NORMAL,
        db_index=True,
    )
    is_extended = models.BooleanField(_("extended"), default=False)
    days_past_due = models.PositiveIntegerField(_("days past due"), default=0)
    bucket = models.CharField(_("overdue bucket"), max_length=3, blank=True, db_index=True)
    overdue_principal = models.DecimalField(_("overdue principal"), **MONEY, default=ZERO)
    overdue_interest = models.DecimalField(_("overdue interest"), **MONEY, default=ZERO)
    penalty_outstanding = models.DecimalField(
        _("penalty and compound interest owed"), **MONEY, default=ZERO
    )
    needs_review = models.BooleanField(_("flagged for review"), default=False, db_index=True)
    review_reason = models.CharField(_("why flagged"), max_length=200, blank=True)
    written_off_on = models.DateField(_("written off on"), null=True, blank=True)
    written_off_principal = models.DecimalField(_("principal written off"), **MONEY, default=ZERO)
    disbursed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disbursed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    disbursed_at = models.DateTimeField(_("disbursed at"), default=timezone.now)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)

    class Meta:
        verbose_name = _("loan account (IOU)")
        verbose_name_plural = _("loan accounts (IOUs)")
        ordering = ["-value_date", "-pk"]
        indexes = [
            models.Index(fields=["officer", "status"], name="account_officer"),
            models.Index(fields=["customer"], name="account_customer"),
            # The loans disbursed since the nightly officer totals were counted (the dashboard).
            models.Index(fields=["disbursed_at"], name="account_disbursed_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(principal__gt=0), name="account_principal"),
            models.CheckConstraint(
                condition=Q(principal_outstanding__gte=0)
                & Q(principal_outstanding__lte=F("principal")),
                name="account_outstanding_within_principal",
            ),
        ]

    def __str__(self):
        return self.number

    @transition(
        field=status,
        source=[AccountStatus.ACTIVE, AccountStatus.OVERDUE],
        target=AccountStatus.SETTLED,
    )
    def settle(self, on):
        self.settled_on = on

    @transition(field=status, source=AccountStatus.ACTIVE, target=AccountStatus.OVERDUE)
    def mark_overdue(self):
        pass

    @transition(field=status, source=AccountStatus.OVERDUE, target=AccountStatus.ACTIVE)
    def cure(self):
        pass

    @transition(field=status, source=AccountStatus.OVERDUE, target=AccountStatus.WRITTEN_OFF)
    def write_off(self, on):
        """账销案存: the principal leaves the book, the claim and the file stay."""
        self.written_off_on = on
        self.written_off_principal = self.principal_outstanding


class Installment(models.Model):
    """One period of the repayment schedule (还款计划), with what has been paid against it."""

    # The (account, period) unique index serves lookups by account; no second index.
    account = models.ForeignKey(
        LoanAccount, on_delete=models.CASCADE, related_name="installments", db_index=False
    )
    period = models.PositiveSmallIntegerField(_("period"))
    due_date = models.DateField(_("due date"))
    principal_due = models.DecimalField(_("principal due"), **MONEY)
    interest_due = models.DecimalField(_("interest due"), **MONEY)
    penalty_due = models.DecimalField(_("penalty and compound interest due"), **MONEY, default=ZERO)
    principal_paid = models.DecimalField(_("principal paid"), **MONEY, default=ZERO)
    interest_paid = models.DecimalField(_("interest paid"), **MONEY, default=ZERO)
    penalty_paid = models.DecimalField(_("penalty paid"), **MONEY, default=ZERO)
    paid_off_on = models.DateField(_("paid off on"), null=True, blank=True)
    # Penalty accrues daily on overdue principal and (compound) on unpaid interest (RULES.md §5).
    # The sweep adds (amount owed × days) here; penalty_due = each sum × the account's daily
    # penalty rate, rounded to the fen. Sums of fen × whole days stay exact on every database.
    # ``accrued_through`` is the last day included.
    principal_days = models.DecimalField(
        _("overdue principal × days"), max_digits=22, decimal_places=2, default=0
    )
    interest_days = models.DecimalField(
        _("unpaid interest × days"), max_digits=22, decimal_places=2, default=0
    )
    accrued_through = models.DateField(_("accrued through"), null=True, blank=True)

    class Meta:
        verbose_name = _("installment")
        verbose_name_plural = _("installments")
        ordering = ["account", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "period"], name="one_installment_per_period"
            ),
            models.CheckConstraint(
                condition=Q(principal_paid__lte=F("principal_due"))
                & Q(interest_paid__lte=F("interest_due"))
                & Q(penalty_paid__lte=F("penalty_due")),
                name="installment_not_overpaid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_date"],
                name="installment_open_due",
                condition=Q(paid_off_on__isnull=True),
            ),
            # Everything falling due on a day, paid or not (the snapshot's interest due).
            models.Index(fields=["due_date"], name="installment_due"),
        ]

    def __str__(self):
        return f"{self.account} #{self.period}"

    @property
    def payment_due(self) -> Decimal:
        return self.principal_due + self.interest_due

    @property
    def amount_owed(self) -> Decimal:
        return (
            self.principal_due
            - self.principal_paid
            + self.interest_due
            - self.interest_paid
            + self.penalty_due
            - self.penalty_paid
        )


class Channel(models.TextChoices):
    COUNTER = "counter", _("Bank counter")
    TRANSFER = "transfer", _("Bank transfer")
    AUTO_DEBIT = "auto_debit", _("Automatic debit")
    INSURER = "insurer", _("Insurance claim")
    COURT = "court", _("Court enforcement or collateral disposal")


class Repayment(models.Model):
    """Money received against a loan. The same reference posted twice is one repayment."""

    # The (account, reference) unique index serves lookups by account; no second index.
    account = models.ForeignKey(
        LoanAccount, on_delete=models.PROTECT, related_name="repayments", db_index=False
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    reference = models.CharField(_("reference"), max_length=64)
    penalty_part = models.DecimalField(_("to penalty interest"), **MONEY, default=ZERO)
    interest_part = models.DecimalField(_("to interest"), **MONEY, default=ZERO)
    principal_part = models.DecimalField(_("to principal"), **MONEY, default=ZERO)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        ordering = ["account", "paid_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "reference"], name="repayment_reference"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="repayment_positive"),
            # Within half a fen: exact for fen amounts on PostgreSQL, and robust on SQLite,
            # which compares decimal sums as binary floats (0.1 + 0.2 != 0.3).
            models.CheckConstraint(
                condition=Q(amount__gt=ALLOCATED - HALF_FEN) & Q(amount__lt=ALLOCATED + HALF_FEN),
                name="repayment_fully_allocated",
            ),
        ]

    def __str__(self):
        return f"{self.account} {self.paid_on} {self.amount}"


class RepaymentAllocation(models.Model):
    """How one repayment was applied to one installment."""

    repayment = models.ForeignKey(Repayment, on_delete=models.CASCADE, related_name="allocations")
    installment = models.ForeignKey(
        Installment, on_delete=models.PROTECT, related_name="allocations"
    )
    penalty = models.DecimalField(_("penalty"), **MONEY, default=ZERO)
    interest = models.DecimalField(_("interest"), **MONEY, default=ZERO)
    principal = models.DecimalField(_("principal"), **MONEY, default=ZERO)

    class Meta:
        verbose_name = _("repayment allocation")
        verbose_name_plural = _("repayment allocations")

    def __str__(self):
        return f"{self.repayment} → #{self.installment.period}"


class ChangeKind(models.TextChoices):
    EARLY_PARTIAL = "early_partial", _("Early repayment in part")
    EARLY_FULL = "early_full", _("Early repayment in full")
    EXTENSION = "extension", _("Extension")
    REPAYMENT_ACCOUNT = "repayment_account", _("Change of repayment account")
    BORROWER_DATA = "borrower_data", _("Change of borrower data")


class ChangeStatus(models.TextChoices):
    PENDING_REVIEW = "pending_review", _("Awaiting review")
    PENDING_APPROVAL = "pending_approval", _("Awaiting approval")
    DONE = "done", _("Approved and carried out")
    REJECTED = "rejected", _("Rejected")


class ChangeRequest(ConcurrentTransitionMixin, models.Model):
    """A change after disbursement: the officer asks, the reviewer reviews, the approver
    approves an extension; an approved change is carried out at once."""

    SHORTER_TERM, SMALLER_PAYMENT = "shorter_term", "smaller_payment"

    account = models.ForeignKey(
        LoanAccount, on_delete=models.PROTECT, related_name="change_requests"
    )
    kind = models.CharField(_("change"), max_length=20, choices=ChangeKind.choices)
    status = FSMField(
        _("status"),
        default=ChangeStatus.PENDING_REVIEW,
        choices=ChangeStatus.choices,
        protected=True,
        db_index=True,
    )
    reason = models.TextField(_("reason"))
    effective_on = models.DateField(_("effective on"))
    amount = models.DecimalField(_("principal to repay early"), **MONEY, null=True, blank=True)
    option = models.CharField(
        _("after a part repayment"),
        max_length=16,
        blank=True,
        choices=[
            (SHORTER_TERM, _("Shorter term, same payment")),
            (SMALLER_PAYMENT, _("Same term, smaller payment")),
        ],
    )
    extra_months = models.PositiveSmallIntegerField(_("months added"), null=True, blank=True)
    new_repayment_account = models.CharField(_("new repayment account"), max_length=40, blank=True)
    borrower_changes = models.JSONField(_("borrower data changes"), default=dict, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=64, blank=True)
    quote = models.JSONField(_("quote"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    review_opinion = models.TextField(_("review opinion"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    approval_opinion = models.TextField(_("approval opinion"), blank=True)
    done_at = models.DateTimeField(_("carried out at"), null=True, blank=True)

    class Meta:
        verbose_name = _("change after disbursement")
        verbose_name_plural = _("changes after disbursement")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.account} {self.get_kind_display()}"

    @property
    def needs_approval(self) -> bool:
        return self.kind == ChangeKind.EXTENSION

    @transition(
        field=status, source=ChangeStatus.PENDING_REVIEW, target=ChangeStatus.PENDING_APPROVAL
    )
    def pass_review(self):
        pass

    @transition(
        field=status,
        source=[ChangeStatus.PENDING_REVIEW, ChangeStatus.PENDING_APPROVAL],
        target=ChangeStatus.DONE,
    )
    def complete(self):
        self.done_at = timezone.now()

    @transition(
        field=status,
        source=[ChangeStatus.PENDING_REVIEW, ChangeStatus.PENDING_APPROVAL],
        target=ChangeStatus.REJECTED,
    )
    def reject(self):
        pass


class ChangeOrigin(models.TextChoices):
    FLOOR = "floor", _("Floor from days past due")
    MANUAL_WORSE = "manual_worse", _("Worse class by hand")
    MANUAL_BETTER = "manual_better", _("Better class after arrears cleared")


class DecisionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the director")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ClassificationChange(models.Model):
    """One change of the five-level class: from, to, why, who asked and who approved."""

    account = models.ForeignKey(
        LoanAccount, on_delete=models.PROTECT, related_name="classification_changes"
    )
    from_class = models.CharField(_("class before"), max_length=16, choices=Classification.choices)
    to_class = models.CharField(_("class after"), max_length=16, choices=Classification.choices)
    origin = models.CharField(_("origin"), max_length=16, choices=ChangeOrigin.choices)
    reason = models.TextField(_("reason"))
    days_past_due = models.PositiveIntegerField(_("days past due"), default=0)
    effective_on = models.DateField(_("business date"))
    status = models.CharField(
        _("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_opinion = models.TextField(_("director's opinion"), blank=True)

    class Meta:
        verbose_name = _("classification change")
        verbose_name_plural = _("classification changes")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["account", "-requested_at"], name="class_change_account")]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(status="pending"),
                name="one_pending_class_change",
            ),
        ]

    def __str__(self):
        return f"{self.account}: {self.get_from_class_display()} → {self.get_to_class_display()}"


class SweepStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class SweepRun(models.Model):
    """The overdue sweep of one business date. Done once; a run that died is run again."""

    business_date = models.DateField(_("business date"), unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SweepStatus.choices, default=SweepStatus.RUNNING
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("overdue sweep run")
        verbose_name_plural = _("overdue sweep runs")
        ordering = ["-business_date"]

    def __str__(self):
        return f"{self.business_date:%Y-%m-%d} {self.get_status_display()}"


class PortfolioSnapshot(models.Model):
    """The book at the end of one business date, per product, class and bucket."""

    business_date = models.DateField(_("business date"))
    product = models.ForeignKey(LoanProduct, on_delete=models.PROTECT, related_name="+")
    classification = models.CharField(
        _("five-level classification"), max_length=16, choices=Classification.choices
    )
    bucket = models.CharField(_("overdue bucket"), max_length=3, blank=True)
    accounts = models.PositiveIntegerField(_("accounts"), default=0)
    principal_outstanding = models.DecimalField(_("principal outstanding"), **MONEY, default=ZERO)
    overdue_principal = models.DecimalField(_("overdue principal"), **MONEY, default=ZERO)
    interest_due = models.DecimalField(_("interest falling due"), **MONEY, default=ZERO)
    interest_received = models.DecimalField(_("interest received"), **MONEY, default=ZERO)
    written_off_principal = models.DecimalField(_("principal written off"), **MONEY, default=ZERO)

    class Meta:
        verbose_name = _("portfolio snapshot")
        verbose_name_plural = _("portfolio snapshots")
        ordering = ["-business_date", "product", "classification", "bucket"]
        constraints = [
            models.UniqueConstraint(
                fields=["business_date", "product", "classification", "bucket"],
                name="one_snapshot_row",
            ),
        ]

    def __str__(self):
        return f"{self.business_date:%Y-%m-%d} {self.product} {self.classification} {self.bucket}"
