"""Collections (催收), claims, litigation, write-off (核销) and post-loan checks (贷后检查)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from applications.models import MONEY, LoanProduct
from loans.models import LoanAccount, Repayment

ZERO = Decimal("0.00")
USER = settings.AUTH_USER_MODEL


class Track(models.TextChoices):
    """Who works a case, by bucket (RULES.md §5)."""

    OFFICER = "officer", _("Loan officer (M1)")
    COLLECTIONS = "collections", _("Collections officer (M2–M3)")
    INSURANCE = "insurance", _("Insurance claim (M3+)")
    LEGAL = "legal", _("Legal action (M3+)")
    WRITTEN_OFF = "written_off", _("Recovery after write-off")


class CaseStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("case status", "Open")
    CLOSED = "closed", _("Closed")


class CollectionCase(models.Model):
    """催收案件: opened by the sweep when an account falls overdue, open while it is overdue
    (and after write-off, while recovery continues)."""

    account = models.ForeignKey(
        LoanAccount, on_delete=models.PROTECT, related_name="collection_cases"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    bucket = models.CharField(_("overdue bucket"), max_length=3)
    track = models.CharField(_("track"), max_length=12, choices=Track.choices)
    assignee = models.ForeignKey(
        USER,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="collection_cases",
        null=True,
        blank=True,
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("why closed"), max_length=100, blank=True)
    next_action_on = models.DateField(_("next action on"), null=True, blank=True)

    class Meta:
        verbose_name = _("collection case")
        verbose_name_plural = _("collection cases")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"], condition=Q(status="open"), name="one_open_case_per_account"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "assignee"], name="case_status_assignee"),
            models.Index(fields=["status", "bucket"], name="case_status_bucket"),
        ]

    def __str__(self):
        return f"{self.account} {self.bucket}"

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class ActionKind(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit")


class CollectionAction(models.Model):
    """One collection attempt and what came of it."""

    case = models.ForeignKey(CollectionCase, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(_("action"), max_length=8, choices=ActionKind.choices)
    done_at = models.DateTimeField(_("done at"), default=timezone.now)
    result = models.TextField(_("result"))
    next_action_on = models.DateField(_("next action on"), null=True, blank=True)
    done_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("collection action")
        verbose_name_plural = _("collection actions")
        ordering = ["-done_at", "-pk"]

    def __str__(self):
        return f"{self.case} {self.get_kind_display()}"


class PromiseStatus(models.TextChoices):
    PENDING = "pending", _("Promised")
    KEPT = "kept", _("Kept")
    BROKEN = "broken", _("Broken")


class PromiseToPay(models.Model):
    """承诺还款: kept when repayments from ``made_on`` to ``promised_on`` reach the amount;
    the sweep marks it broken the day after ``promised_on`` otherwise."""

    case = models.ForeignKey(CollectionCase, on_delete=models.PROTECT, related_name="promises")
    amount = models.DecimalField(_("amount promised"), **MONEY)
    made_on = models.DateField(_("promised on"))
    promised_on = models.DateField(_("to pay by"))
    status = models.CharField(
        _("status"), max_length=8, choices=PromiseStatus.choices, default=PromiseStatus.PENDING
    )
    settled_on = models.DateField(_("found kept or broken on"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("promise to pay")
        verbose_name_plural = _("promises to pay")
        ordering = ["-promised_on", "-pk"]
        indexes = [models.Index(fields=["status", "promised_on"], name="promise_status_due")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="promise_positive"),
            models.CheckConstraint(
                condition=Q(promised_on__gte=models.F("made_on")), name="promise_after_made"
            ),
        ]

    def __str__(self):
        return f"{self.case} {self.amount} {self.promised_on}"


class ClaimStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


class InsuranceClaim(models.Model):
    """理赔: a claim on the guarantee-insurance policy of an insured loan."""

    case = models.ForeignKey(CollectionCase, on_delete=models.PROTECT, related_name="claims")
    insurer = models.CharField(_("insurer"), max_length=100)
    policy_number = models.CharField(_("policy number"), max_length=60)
    claimed_on = models.DateField(_("claim date"))
    amount = models.DecimalField(_("amount claimed"), **MONEY)
    status = models.CharField(
        _("status"), max_length=8, choices=ClaimStatus.choices, default=ClaimStatus.FILED
    )
    amount_paid = models.DecimalField(_("amount paid"), **MONEY, default=ZERO)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    repayment = models.ForeignKey(
        Repayment, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("insurance claim")
        verbose_name_plural = _("insurance claims")
        ordering = ["-claimed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_positive"),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0) & Q(amount_paid__lte=models.F("amount")),
                name="claim_paid_within_claimed",
            ),
        ]

    def __str__(self):
        return f"{self.insurer} {self.policy_number}"


class LegalStage(models.TextChoices):
    FILED = "filed", _("Filed with the court")
    JUDGED = "judged", _("Judgment given")
    ENFORCING = "enforcing", _("Enforcement")
    CLOSED = "closed", _("Closed")


class LegalAction(models.Model):
    """诉讼: suit on the collateral or the guarantors, through judgment and enforcement."""

    case = models.ForeignKey(CollectionCase, on_delete=models.PROTECT, related_name="lawsuits")
    case_number = models.CharField(_("court case number"), max_length=60)
    court = models.CharField(_("court"), max_length=100)
    filed_on = models.DateField(_("filing date"))
    claim_amount = models.DecimalField(_("amount sued for"), **MONEY)
    stage = models.CharField(
        _("stage"), max_length=10, choices=LegalStage.choices, default=LegalStage.FILED
    )
    judgment = models.TextField(_("judgment"), blank=True)
    judged_on = models.DateField(_("judgment date"), null=True, blank=True)
    enforcement = models.TextField(_("enforcement"), blank=True)
    enforcement_ended_on = models.DateField(_("enforcement ended on"), null=True, blank=True)
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("legal action")
        verbose_name_plural = _("legal actions")
        ordering = ["-filed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["court", "case_number"], name="one_court_case"),
            models.CheckConstraint(condition=Q(claim_amount__gt=0), name="lawsuit_positive"),
        ]

    def __str__(self):
        return f"{self.court} {self.case_number}"


class WriteOffGround(models.TextChoices):
    """《金融企业呆账核销管理办法》 grounds that RULES.md §5 admits."""

    DEAD_OR_MISSING = (
        "dead_or_missing",
        _("Borrower dead or missing, estate and guarantors pursued"),
    )
    ENFORCEMENT_FAILED = "enforcement_failed", _("Court enforcement failed for two years")
    ENFORCEMENT_ENDED = "enforcement_ended", _("Court enforcement ended")


class WriteOffStatus(models.TextChoices):
    PENDING_REVIEW = "pending_review", _("Awaiting the reviewer")
    PENDING_APPROVAL = "pending_approval", _("Awaiting the director")
    ESCALATED = "escalated", _("Awaiting head office")
    APPROVED = "approved", _("Written off")
    REJECTED = "rejected", _("Rejected")


class WriteOffRequest(ConcurrentTransitionMixin, models.Model):
    """核销申请: evidence → the reviewer reviews the legal papers → the director (or head office
    above the director's limit) approves → the account is written off, recovery continues."""

    case = models.ForeignKey(CollectionCase, on_delete=models.PROTECT, related_name="write_offs")
    account = models.ForeignKey(LoanAccount, on_delete=models.PROTECT, related_name="write_offs")
    ground = models.CharField(_("ground"), max_length=20, choices=WriteOffGround.choices)
    reason = models.TextField(_("reason"))
    principal = models.DecimalField(_("principal to write off"), **MONEY)
    interest = models.DecimalField(_("interest and penalties owed"), **MONEY, default=ZERO)
    status = FSMField(
        _("status"),
        default=WriteOffStatus.PENDING_REVIEW,
        choices=WriteOffStatus.choices,
        protected=True,
        db_index=True,
    )
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    review_opinion = models.TextField(_("review opinion"), blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decision_opinion = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("write-off request")
        verbose_name_plural = _("write-off requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(status__in=["pending_review", "pending_approval", "escalated"]),
                name="one_open_write_off",
            ),
        ]

    def __str__(self):
        return f"{self.account} {self.get_status_display()}"

    @transition(
        field=status, source=WriteOffStatus.PENDING_REVIEW, target=WriteOffStatus.PENDING_APPROVAL
    )
    def pass_review(self):
        pass

    @transition(
        field=status, source=WriteOffStatus.PENDING_APPROVAL, target=WriteOffStatus.ESCALATED
    )
    def escalate(self):
        pass

    @transition(
        field=status,
        source=[WriteOffStatus.PENDING_APPROVAL, WriteOffStatus.ESCALATED],
        target=WriteOffStatus.APPROVED,
    )
    def approve(self):
        self.decided_at = timezone.now()

    @transition(
        field=status,
        source=[
            WriteOffStatus.PENDING_REVIEW,
            WriteOffStatus.PENDING_APPROVAL,
            WriteOffStatus.ESCALATED,
        ],
        target=WriteOffStatus.REJECTED,
    )
    def reject(self):
        self.decided_at = timezone.now()


class EvidenceKind(models.TextChoices):
    DEATH_CERTIFICATE = "death", _("Death certificate or declaration of death")
    MISSING_DECLARATION = "missing", _("Declaration of missing person")
    JUDGMENT = "judgment", _("Court judgment")
    ENFORCEMENT_RULING = "enforcement", _("Ruling ending or failing enforcement")
    PURSUIT_RECORD = "pursuit", _("Record of pursuing the estate and guarantors")
    OTHER = "other", _("Other evidence")


class WriteOffEvidence(models.Model):
    request = models.ForeignKey(WriteOffRequest, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(_("evidence"), max_length=12, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), upload_to="writeoff/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("write-off evidence")
        verbose_name_plural = _("write-off evidence")
        ordering = ["request", "kind", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.original_name}"


class RecoverySource(models.TextChoices):
    BORROWER = "borrower", _("Borrower")
    GUARANTOR = "guarantor", _("Guarantor")
    COURT = "court", _("Court enforcement or collateral disposal")
    INSURER = "insurer", _("Insurer")


class Recovery(models.Model):
    """Money recovered on a written-off loan (账销案存, 权在力催)."""

    account = models.ForeignKey(LoanAccount, on_delete=models.PROTECT, related_name="recoveries")
    amount = models.DecimalField(_("amount"), **MONEY)
    received_on = models.DateField(_("received on"))
    source = models.CharField(_("received from"), max_length=10, choices=RecoverySource.choices)
    reference = models.CharField(_("reference"), max_length=64)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recovery after write-off")
        verbose_name_plural = _("recoveries after write-off")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "reference"], name="recovery_reference"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="recovery_positive"),
        ]

    def __str__(self):
        return f"{self.account} {self.amount}"


class CheckSchedule(models.Model):
    """How often a product's loans get a post-loan check (贷后检查)."""

    product = models.OneToOneField(
        LoanProduct, on_delete=models.CASCADE, related_name="check_schedule"
    )
    first_within_days = models.PositiveSmallIntegerField(
        _("first check within (days of disbursement)"), default=30
    )
    every_months = models.PositiveSmallIntegerField(_("then every (months)"), default=3)
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("post-loan check schedule")
        verbose_name_plural = _("post-loan check schedules")

    def __str__(self):
        return str(self.product)


class CheckConclusion(models.TextChoices):
    NORMAL = "normal", _("Normal")
    WATCH = "watch", _("Watch")
    RISK = "risk", _("Risk found")


class PostLoanCheck(models.Model):
    """One post-loan check: due by a date, done by the loan officer with findings."""

    account = models.ForeignKey(
        LoanAccount, on_delete=models.PROTECT, related_name="post_loan_checks"
    )
    sequence = models.PositiveSmallIntegerField(_("check no."), default=1)
    due_on = models.DateField(_("due by"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    findings = models.TextField(_("findings"), blank=True)
    risk_signals = models.JSONField(_("risk signals"), default=list, blank=True)
    conclusion = models.CharField(
        _("conclusion"), max_length=8, choices=CheckConclusion.choices, blank=True
    )
    reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("post-loan check")
        verbose_name_plural = _("post-loan checks")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "sequence"], name="one_check_per_sequence"),
        ]
        indexes = [
            models.Index(
                fields=["due_on"], name="check_open_due", condition=Q(done_on__isnull=True)
            ),
        ]

    def __str__(self):
        return f"{self.account} #{self.sequence}"
