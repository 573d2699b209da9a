"""Pages of the archive: ``build(world)`` returns the page's URL and ``add(count)``, which adds
``count`` more of the rows the page lists."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from archive.models import (
    ArchiveItem,
    BorrowRequest,
    CustodyEvent,
    DestructionBatch,
    DestructionLine,
    Dossier,
    Handover,
    Inspection,
    VaultMovement,
)

from . import rows
from .rows import TODAY

CATEGORIES = ("borrower", "survey_approval", "legal", "accounting", "post_loan")


def dossiers(w, count) -> list[Dossier]:
    return Dossier.objects.bulk_create(
        Dossier(customer=customer, number=f"DA{rows.serial():010d}")
        for customer in rows.customers(w.officer, count)
    )


def items(
    w, count, *, dossier=None, status="in_custody", vital=False, application=None, account=None
) -> list[ArchiveItem]:
    """Archive items, each in a dossier of its own unless one is given; kept ones have a place
    and the archivist as custodian."""
    if dossier is None and application is not None:
        dossier = Dossier.objects.filter(customer=application.customer).first() or (
            Dossier.objects.create(customer=application.customer, number=f"DA{rows.serial():010d}")
        )
    homes = [dossier] * count if dossier is not None else dossiers(w, count)
    kept = status != "expected"
    made = ArchiveItem.objects.bulk_create(
        ArchiveItem(
            dossier=home,
            number=f"{home.number}-{rows.serial():06d}",
            category=CATEGORIES[n % len(CATEGORIES)],
            title="他项权证" if vital else "借款合同",
            is_vital=vital,
            application=application,
            account=account,
            source=f"perf:{rows.serial()}",
            status=status,
            room="金库" if vital else "A101",
            cabinet="C01" if kept else "",
            shelf="S1" if kept else "",
            custodian=w.archivist if kept else None,
            received_at=timezone.now() if kept else None,
        )
        for n, home in enumerate(homes)
    )
    return made


def search(w):
    def add(count):
        for application in rows.applications(w.officer, count, status="disbursed"):
            items(w, 1, application=application)

    return reverse("archive:search"), add


def expected(w):
    def add(count):
        for application in rows.applications(w.officer, count, status="disbursed"):
            items(w, 1, application=application, status="expected")

    return reverse("archive:expected"), add


def dossier_detail(w):
    dossier = dossiers(w, 1)[0]
    application = rows.application(w.officer, owner=dossier.customer, status="disbursed")
    account = rows.accounts_of([application], w.supervisor)[0]

    def add(count):
        items(w, count, dossier=dossier, application=application, account=account)
        items(w, count, dossier=dossier, status="expected")

    return reverse("archive:dossier_detail", args=[dossier.pk]), add


def item_detail(w):
    """A vault item on a pending withdrawal for a borrowing, and on destruction lists."""
    item = items(w, 1, vital=True, status="in_vault")[0]
    borrow = BorrowRequest.objects.create(
        item=item, requested_by=w.officer, reason="诉讼", return_by=TODAY, status="approved"
    )
    VaultMovement.objects.create(
        item=item, kind="withdraw", purpose="调阅", borrow=borrow, started_by=w.archivist2
    )

    def add(count):
        CustodyEvent.objects.bulk_create(
            CustodyEvent(item=item, kind="moved", by=w.archivist, second_by=w.archivist2)
            for _ in range(count)
        )
        for batch in batches(w, count, status="rejected"):
            DestructionLine.objects.create(batch=batch, item=item, checked_by_witness=True)

    return reverse("archive:item_detail", args=[item.pk]), add


def batches(w, count, *, status="approved") -> list[DestructionBatch]:
    return DestructionBatch.objects.bulk_create(
        DestructionBatch(
            number=f"XH{rows.serial():010d}",
            status=status,
            prepared_by=w.archivist,
            approved_by=w.director,
            approved_at=timezone.now(),
            witness=w.auditor,
        )
        for _ in range(count)
    )


# --- the vault and borrowing ------------------------------------------------------------------


def vault(w):
    def add(count):
        kept = items(w, count, vital=True, status="in_vault")
        for item in kept:
            borrow = BorrowRequest.objects.create(
                item=item, requested_by=w.officer, reason="诉讼", return_by=TODAY, status="approved"
            )
            VaultMovement.objects.create(  # waiting for the second archivist
                item=item, kind="withdraw", purpose="调阅", borrow=borrow, started_by=w.archivist2
            )
            VaultMovement.objects.create(  # done: the deposit
                item=item,
                kind="deposit",
                purpose="入库",
                status="confirmed",
                started_by=w.archivist,
                confirmed_by=w.archivist2,
                confirmed_at=timezone.now(),
            )

    return reverse("archive:vault"), add


def borrowings(w, count, *, by=None, vital=False, status="pending") -> list[BorrowRequest]:
    return BorrowRequest.objects.bulk_create(
        BorrowRequest(
            item=item,
            requested_by=by or w.officer,
            reason="贷后检查调阅。",
            return_by=TODAY + timedelta(days=7),
            status=status,
            decided_by=w.director if status != "pending" else None,
            decided_at=timezone.now() if status != "pending" else None,
        )
        for item in items(w, count, vital=vital, status="in_vault" if vital else "in_custody")
    )


def borrow_queue(w):
    def add(count):
        borrowings(w, count)

    return reverse("archive:borrow_queue"), add


def my_borrowings(w):
    def add(count):
        borrowings(w, count, by=w.officer, status="approved")

    return reverse("archive:my_borrowings"), add


def borrow_approvals(w):
    def add(count):
        borrowings(w, count, vital=True)

    return reverse("archive:borrow_approvals"), add


def borrow_detail(w):
    borrow = borrowings(w, 1, vital=True, status="approved")[0]

    def add(count):
        VaultMovement.objects.bulk_create(
            VaultMovement(
                item=borrow.item,
                kind="withdraw",
                purpose="调阅",
                borrow=borrow,
                status="cancelled",
                started_by=w.archivist,
                confirmed_by=w.archivist2,
            )
            for _ in range(count)
        )

    return reverse("archive:borrow_detail", args=[borrow.pk]), add


# --- hand-over and inspection -----------------------------------------------------------------


def handovers(w):
    def add(count):
        for _ in range(count):
            handover = Handover.objects.create(
                from_custodian=w.archivist, to_custodian=w.archivist2, reason="调岗。"
            )
            handover.items.set(items(w, 2))

    return reverse("archive:handovers"), add


def handover_new(w):
    def add(count):
        items(w, count)  # in the archivist's custody

    return reverse("archive:handover_new"), add


def handover_detail(w):
    handover = Handover.objects.create(
        from_custodian=w.archivist, to_custodian=w.archivist2, reason="调岗。"
    )

    def add(count):
        handover.items.add(*items(w, count))

    return reverse("archive:handover_detail", args=[handover.pk]), add


def inspections(w):
    def add(count):
        for _ in range(count):
            inspection = Inspection.objects.create(
                inspector=w.archivist, inspected_on=TODAY, scope="A101", findings="完好。"
            )
            inspection.items.set(items(w, 2))

    return reverse("archive:inspections"), add


def inspection_detail(w):
    inspection = Inspection.objects.create(
        inspector=w.archivist, inspected_on=TODAY, scope="A101", findings="完好。"
    )

    def add(count):
        inspection.items.add(*items(w, count))

    return reverse("archive:inspection_detail", args=[inspection.pk]), add


# --- retention and destruction ----------------------------------------------------------------


def due_items(w, count) -> list[ArchiveItem]:
    made = []
    for account in rows.accounts(w.officer, w.supervisor, count, status="settled"):
        made += items(w, 1, application=account.application, account=account)
    ArchiveItem.objects.filter(pk__in=[item.pk for item in made]).update(
        retain_until=TODAY - timedelta(days=1)
    )
    return made


def retention_due(w):
    def add(count):
        listed = due_items(w, count)
        batch = batches(w, 1, status="draft")[0]
        DestructionLine.objects.bulk_create(  # half of them already on a list
            DestructionLine(batch=batch, item=item) for item in listed[::2]
        )

    return reverse("archive:retention_due"), add


def destruction_list(w):
    def add(count):
        for batch in batches(w, count):
            DestructionLine.objects.bulk_create(
                DestructionLine(batch=batch, item=item) for item in due_items(w, 2)
            )

    return reverse("archive:destruction_list"), add


def destruction_detail(w):
    batch = batches(w, 1)[0]

    def add(count):
        DestructionLine.objects.bulk_create(
            DestructionLine(batch=batch, item=item, checked_by_witness=n % 2 == 0)
            for n, item in enumerate(due_items(w, count))
        )

    return reverse("archive:destruction_detail", args=[batch.pk]), add
