"""Document custody (档案管理岗): a dossier per customer, every paper and certificate as an item
with its location and full history, the vault under dual custody, borrowing, hand-over,
inspection, retention and approved destruction. Nothing is ever deleted."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from applications.models import Customer, LoanApplication
from loans.models import LoanAccount

USER = settings.AUTH_USER_MODEL


class NothingIsDeleted(Exception):
    """Archive items and their history are kept for ever; a destroyed paper is marked so."""


class Category(models.TextChoices):
    """RULES.md §6."""

    BORROWER = "borrower", _("Borrower documents")
    SURVEY_APPROVAL = "survey_approval", _("Survey and approval papers")
    LEGAL = "legal", _("Legal originals (contracts)")
    ACCOUNTING = "accounting", _("Accounting vouchers")
    POST_LOAN = "post_loan", _("Post-loan papers")


class Dossier(models.Model):
    """按户专夹: one folder per customer, created with the customer's first application."""

    customer = models.OneToOneField(Customer, on_delete=models.PROTECT, related_name="dossier")
    number = models.CharField(_("dossier number"), max_length=20, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.number} {self.customer.name}"


class ItemStatus(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    IN_CUSTODY = "in_custody", _("On the shelf")
    IN_VAULT = "in_vault", _("In the vault")
    ON_LOAN = "on_loan", _("Borrowed")
    RELEASED = "released", pgettext_lazy("archive item", "Released")
    DESTROYED = "destroyed", _("Destroyed")


KEPT = (ItemStatus.IN_CUSTODY, ItemStatus.IN_VAULT)


class ArchiveItem(ConcurrentTransitionMixin, models.Model):
    """One paper or certificate. Vital vouchers (他项权证, insurance policies, pledged rights) go
    into the vault and move only with two archivists."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="items")
    number = models.CharField(_("item number"), max_length=24, unique=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    is_original = models.BooleanField(_("original"), default=True)
    pages = models.PositiveSmallIntegerField(_("pages"), default=1)
    is_vital = models.BooleanField(_("vital voucher"), default=False)
    application = models.ForeignKey(
        LoanApplication,
        on_delete=models.PROTECT,
        related_name="archive_items",
        null=True,
        blank=True,
    )
    account = models.ForeignKey(
        LoanAccount,
        on_delete=models.PROTECT,
        related_name="archive_items",
        null=True,
        blank=True,
    )
    # Where the item came from, so that a workflow step announces it once: "contract:17".
    source = models.CharField(_("source"), max_length=60, unique=True, null=True, blank=True)
    status = FSMField(
        _("status"),
        default=ItemStatus.EXPECTED,
        choices=ItemStatus.choices,
        protected=True,
        db_index=True,
    )
    room = models.CharField(_("room"), max_length=20, blank=True)
    cabinet = models.CharField(_("cabinet"), max_length=20, blank=True)
    shelf = models.CharField(_("shelf"), max_length=20, blank=True)
    box = models.CharField(_("box"), max_length=20, blank=True)
    custodian = models.ForeignKey(
        USER,
        verbose_name=_("custodian"),
        on_delete=models.PROTECT,
        related_name="archive_items",
        null=True,
        blank=True,
    )
    expected_since = models.DateTimeField(_("expected since"), default=timezone.now)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    retain_until = models.DateField(_("keep until"), null=True, blank=True)
    gone_reason = models.CharField(_("why it is gone"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("archive item")
        verbose_name_plural = _("archive items")
        ordering = ["dossier", "number"]
        indexes = [
            models.Index(fields=["status", "expected_since"], name="archive_item_status"),
            models.Index(fields=["room", "cabinet", "shelf", "box"], name="archive_item_location"),
            models.Index(
                fields=["retain_until"],
                name="archive_item_retention",
                condition=Q(status__in=["in_custody", "in_vault"]),
            ),
        ]
        triggers = [pgtrigger.Protect(name="archive_item_kept", operation=pgtrigger.Delete)]

    def __str__(self):
        return f"{self.number} {self.title}"

    def delete(self, *args, **kwargs):
        raise NothingIsDeleted("archive items are never deleted; destroy them through a batch")

    @property
    def location(self) -> str:
        return " / ".join(part for part in (self.room, self.cabinet, self.shelf, self.box) if part)

    @transition(field=status, source=ItemStatus.EXPECTED, target=ItemStatus.IN_CUSTODY)
    def receive(self):
        self.received_at = timezone.now()

    @transition(
        field=status,
        source=[ItemStatus.EXPECTED, ItemStatus.ON_LOAN],
        target=ItemStatus.IN_VAULT,
    )
    def deposit(self):
        if self.received_at is None:
            self.received_at = timezone.now()

    @transition(field=status, source=KEPT, target=ItemStatus.ON_LOAN)
    def check_out(self):
        pass

    @transition(field=status, source=ItemStatus.ON_LOAN, target=ItemStatus.IN_CUSTODY)
    def give_back(self):
        pass

    @transition(field=status, source=KEPT, target=ItemStatus.RELEASED)
    def release(self, reason):
        self.gone_reason = reason

    @transition(field=status, source=KEPT, target=ItemStatus.DESTROYED)
    def destroy(self, reason):
        self.gone_reason = reason


class EventKind(models.TextChoices):
    EXPECTED = "expected", _("Announced as expected")
    RECEIVED = "received", _("Received (入库)")
    DEPOSITED = "deposited", _("Deposited in the vault")
    WITHDRAWN = "withdrawn", _("Taken out of the vault")
    MOVED = "moved", _("Moved to another place")
    BORROWED = "borrowed", _("Borrowed (调阅)")
    RETURNED = "returned", _("Returned")
    HANDED_OVER = "handed_over", _("Handed over (移交)")
    INSPECTED = "inspected", _("Inspected (检查)")
    RELEASED = "released", pgettext_lazy("archive item", "Released")
    DESTROYED = "destroyed", _("Destroyed (销毁)")


class CustodyEvent(models.Model):
    """One line of an item's history: what happened, who did it, who confirmed it."""

    item = models.ForeignKey(ArchiveItem, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=12, choices=EventKind.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    second_by = models.ForeignKey(
        USER,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    location = models.CharField(
        pgettext_lazy("archive item", "location"), max_length=100, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("custody event")
        verbose_name_plural = _("custody events")
        ordering = ["item", "at", "pk"]
        triggers = [
            pgtrigger.Protect(
                name="custody_history_kept", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self):
        return f"{self.item} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise NothingIsDeleted("custody history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise NothingIsDeleted("custody history is append-only")


class MovementKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit in the vault")
    WITHDRAW = "withdraw", _("Withdraw from the vault")


class MovementStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the second archivist")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class VaultMovement(models.Model):
    """A vital voucher into or out of the vault: started by one archivist, carried out only
    when a second archivist confirms under their own login (双人管库)."""

    item = models.ForeignKey(ArchiveItem, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("movement"), max_length=8, choices=MovementKind.choices)
    purpose = models.CharField(_("purpose"), max_length=200)
    borrow = models.ForeignKey(
        "BorrowRequest", on_delete=models.PROTECT, related_name="movements", null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MovementStatus.choices, default=MovementStatus.PENDING
    )
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("vault movement")
        verbose_name_plural = _("vault movements")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(status="pending"), name="one_pending_movement"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=models.F("started_by")),
                name="vault_two_people",
            ),
        ]

    def __str__(self):
        return f"{self.item} {self.get_kind_display()}"


class BorrowStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    OUT = "out", pgettext_lazy("archive borrowing", "Out")
    RETURNED = "returned", _("Returned")
    REJECTED = "rejected", _("Rejected")


class BorrowRequest(models.Model):
    """调阅: a member of staff asks with a reason and a return date; the director approves for a
    vital voucher, an archivist for anything else; checked out, then returned."""

    item = models.ForeignKey(ArchiveItem, on_delete=models.PROTECT, related_name="borrowings")
    requested_by = models.ForeignKey(
        USER, verbose_name=_("borrower"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    reason = models.TextField(_("reason"))
    return_by = models.DateField(_("return by"))
    status = models.CharField(
        _("status"), max_length=10, choices=BorrowStatus.choices, default=BorrowStatus.PENDING
    )
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    checked_out_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    returned_to = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("borrowing")
        verbose_name_plural = _("borrowings")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "return_by"], name="borrow_status_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status__in=["pending", "approved", "out"]),
                name="one_open_borrowing",
            ),
        ]

    def __str__(self):
        return f"{self.item} → {self.requested_by}"


class HandoverStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the receiving custodian")
    CONFIRMED = "confirmed", _("Confirmed by both")
    CANCELLED = "cancelled", _("Cancelled")


class Handover(models.Model):
    """移交: items pass from one custodian to another, the list confirmed by both."""

    from_custodian = models.ForeignKey(
        USER, verbose_name=_("handed over by"), on_delete=models.PROTECT, related_name="+"
    )
    to_custodian = models.ForeignKey(
        USER, verbose_name=_("taken over by"), on_delete=models.PROTECT, related_name="+"
    )
    items = models.ManyToManyField(ArchiveItem, related_name="handovers")
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.PENDING
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_custodian=models.F("to_custodian")), name="handover_two_people"
            ),
        ]

    def __str__(self):
        return f"{self.from_custodian} → {self.to_custodian}"


class Inspection(models.Model):
    """检查: an inspection of the archive, with what was found."""

    inspector = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    inspected_on = models.DateField(_("inspected on"))
    scope = models.CharField(_("scope"), max_length=200)
    items = models.ManyToManyField(ArchiveItem, related_name="inspections", blank=True)
    findings = models.TextField(_("findings"))
    problems_found = models.BooleanField(_("problems found"), default=False)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-pk"]

    def __str__(self):
        return f"{self.inspected_on:%Y-%m-%d} {self.scope}"


class RetentionRule(models.Model):
    """How long items of a category are kept after their loan is settled (RULES.md §6)."""

    category = models.CharField(_("category"), max_length=16, choices=Category.choices, unique=True)
    years_after_settlement = models.PositiveSmallIntegerField(
        _("years kept after settlement"), default=5
    )

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["category"]

    def __str__(self):
        return f"{self.get_category_display()}: {self.years_after_settlement}"


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    PENDING_APPROVAL = "pending_approval", _("Awaiting the director")
    APPROVED = "approved", _("Approved, awaiting the witness")
    DESTROYED = "destroyed", _("Destroyed")
    REJECTED = "rejected", _("Rejected")


class DestructionBatch(ConcurrentTransitionMixin, models.Model):
    """销毁: a list of expired items → the director approves → a witness (监销) checks each item
    against the list → the items are marked destroyed."""

    number = models.CharField(_("batch number"), max_length=20, unique=True)
    status = FSMField(
        _("status"),
        default=BatchStatus.DRAFT,
        choices=BatchStatus.choices,
        protected=True,
        db_index=True,
    )
    prepared_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(_("prepared"), default=timezone.now)
    approved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approval_opinion = models.TextField(_("director's opinion"), blank=True)
    witness = models.ForeignKey(
        USER,
        verbose_name=_("witness"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    destroyed_at = models.DateTimeField(_("destroyed"), null=True, blank=True)
    method = models.CharField(_("method of destruction"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("destruction batch")
        verbose_name_plural = _("destruction batches")
        ordering = ["-prepared_at", "-pk"]

    def __str__(self):
        return self.number

    @transition(field=status, source=BatchStatus.DRAFT, target=BatchStatus.PENDING_APPROVAL)
    def submit(self):
        pass

    @transition(field=status, source=BatchStatus.PENDING_APPROVAL, target=BatchStatus.APPROVED)
    def approve(self):
        self.approved_at = timezone.now()

    @transition(field=status, source=BatchStatus.PENDING_APPROVAL, target=BatchStatus.REJECTED)
    def reject(self):
        pass

    @transition(field=status, source=BatchStatus.APPROVED, target=BatchStatus.DESTROYED)
    def complete(self):
        self.destroyed_at = timezone.now()


class DestructionLine(models.Model):
    """One item on a destruction list, ticked by the witness when checked against the list."""

    batch = models.ForeignKey(DestructionBatch, on_delete=models.PROTECT, related_name="lines")
    item = models.ForeignKey(ArchiveItem, on_delete=models.PROTECT, related_name="+")
    checked_by_witness = models.BooleanField(_("checked by the witness"), default=False)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("destruction list line")
        verbose_name_plural = _("destruction list lines")
        ordering = ["batch", "item"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "item"], name="one_line_per_item"),
        ]

    def __str__(self):
        return f"{self.batch} {self.item}"
