"""Retention (RULES.md §6): how long an item is kept, and the nightly step that sets it.

An item's retention starts when its loan is settled (the item's own account, or the account of
its application), or, for an application that never became a loan, when it was rejected (the
decision date) or withdrawn (the date of the withdrawal in the audit trail). The item is kept
``RetentionRule.years_after_settlement`` calendar years after that date (29 Feb → 28 Feb).

The step reads every item still without a ``retain_until`` whose retention has started, in one
query, and writes their dates in one bulk UPDATE; run again for the same date it finds nothing.
Items of written-off loans keep no end date: the file is kept while recovery goes on (账销案存).
Items tied to neither an application nor a loan get no end date from the sweep.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from applications.models import LoanApplication, Status
from loancenter.models import AuditEvent
from loancenter.roles import ARCHIVIST, AUDITOR, DIRECTOR, has_role
from loans.models import AccountStatus, LoanAccount

from .defaults import DEFAULT_YEARS
from .models import (
    ArchiveItem,
    BatchStatus,
    DestructionBatch,
    DestructionLine,
    ItemStatus,
    RetentionRule,
)
from .selectors import sees_whole_archive

BATCH = 1000
# Items that are still somewhere: a released or destroyed item needs no retention date.
LIVE = (ItemStatus.EXPECTED, ItemStatus.IN_CUSTODY, ItemStatus.IN_VAULT, ItemStatus.ON_LOAN)
CLOSED_APPLICATION = (Status.REJECTED, Status.WITHDRAWN)
# Batches whose items are spoken for: being prepared, awaiting the director or the witness.
OPEN_BATCH = (BatchStatus.DRAFT, BatchStatus.PENDING_APPROVAL, BatchStatus.APPROVED)


def add_years(start: date, years: int) -> date:
    """``start`` plus calendar years; 29 February becomes 28 February in a common year."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def retention_years() -> dict[str, int]:
    return dict(RetentionRule.objects.values_list("category", "years_after_settlement"))


def _withdrawn_at():
    """When the item's application was withdrawn, from the audit trail (a correlated
    subquery: still one query for all the rows)."""
    content_type = ContentType.objects.get_for_model(LoanApplication, for_concrete_model=False)
    return Subquery(
        AuditEvent.objects.filter(
            content_type=content_type,
            object_id=Cast(OuterRef("application_id"), CharField()),
            to_state=Status.WITHDRAWN,
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )


def items_starting_retention(business_date: date):
    """(pk, category, own settlement, application's settlement, rejected at, withdrawn at) of
    live items without a retention date whose retention started on or before the date.

    Three simple queries (an item of a settled loan; an application's item whose loan settled;
    an item of a rejected or withdrawn application), each driven from the few settled loans
    or closed applications rather than from every live item, in one UNION."""
    settled = LoanAccount.objects.filter(
        status=AccountStatus.SETTLED, settled_on__lte=business_date
    ).values("pk")
    live = ArchiveItem.objects.filter(retain_until__isnull=True, status__in=LIVE).order_by()
    parts = [
        live.filter(account__in=settled),
        live.filter(account__isnull=True, application__account__in=settled),
        live.filter(account__isnull=True, application__status__in=CLOSED_APPLICATION),
    ]
    rows = [
        part.annotate(withdrawn_at=_withdrawn_at()).values_list(
            "pk",
            "category",
            "account__settled_on",
            "application__account__settled_on",
            "application__decided_at",
            "withdrawn_at",
        )
        for part in parts
    ]
    return rows[0].union(*rows[1:]).order_by("pk")


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def start_of_retention(row, business_date: date) -> date | None:
    _pk, _category, own, of_application, rejected_at, withdrawn_at = row
    start = own or of_application or _local_date(withdrawn_at) or _local_date(rejected_at)
    return start if start is not None and start <= business_date else None


def set_retention(business_date: date) -> dict:
    """The sweep step: give every item whose retention started its ``retain_until``."""
    years = retention_years()
    by_date = defaultdict(list)
    for row in items_starting_retention(business_date):
        start = start_of_retention(row, business_date)
        if start is not None:
            by_date[add_years(start, years.get(row[1], DEFAULT_YEARS))].append(row[0])
    # One UPDATE per date (a few hundred at most when a whole book starts at once), not a
    # CASE over every item.
    for retain_until, pks in by_date.items():
        for start in range(0, len(pks), BATCH):
            ArchiveItem.objects.filter(pk__in=pks[start : start + BATCH]).update(
                retain_until=retain_until
            )
    return {"archive_retention_set": sum(map(len, by_date.values()))}


# --- the items due for destruction ------------------------------------------------------------


def open_batch_lines():
    return DestructionLine.objects.filter(item=OuterRef("pk"), batch__status__in=OPEN_BATCH)


def due_items(*, on: date | None = None, category: str = ""):
    """Kept, non-vital items on the shelf whose retention has passed, oldest first, each with
    ``open_batch`` (the number of a batch it is already on, or None). Vital vouchers are never
    destroyed: they are released to their owner, so they are not listed."""
    on = on or timezone.localdate()
    items = ArchiveItem.objects.filter(
        status=ItemStatus.IN_CUSTODY, is_vital=False, retain_until__lt=on
    )
    if category:
        items = items.filter(category=category)
    return (
        items.annotate(
            open_batch=Subquery(open_batch_lines().values("batch__number")[:1]),
            listed=Exists(open_batch_lines()),
        )
        .select_related("dossier__customer", "account", "application")
        .order_by("retain_until", "number")
    )


def destruction_badge(user) -> int | None:
    """For the director, the lists awaiting approval; for archivists and auditors, the approved
    lists they could witness (not prepared or approved by them)."""
    if has_role(user, DIRECTOR):
        count = DestructionBatch.objects.filter(status=BatchStatus.PENDING_APPROVAL).count()
    elif has_role(user, ARCHIVIST, AUDITOR):
        count = (
            DestructionBatch.objects.filter(status=BatchStatus.APPROVED)
            .filter(Q(witness__isnull=True) | Q(witness=user))
            .exclude(prepared_by=user)
            .exclude(approved_by=user)
            .count()
        )
    else:
        count = 0
    return count or None


# --- destruction lists, for the pages -------------------------------------------------------


def batch_list(*, status: str = ""):
    batches = DestructionBatch.objects.select_related("prepared_by", "approved_by", "witness")
    if status:
        batches = batches.filter(status=status)
    return batches.annotate(
        line_count=Count("lines"),
        checked_count=Count("lines", filter=Q(lines__checked_by_witness=True)),
    ).order_by("-prepared_at", "-pk")


def batch_lines(batch):
    return batch.lines.select_related(
        "item__dossier__customer", "item__account", "item__application"
    ).order_by("item__retain_until", "item__number")


def item_panel(user, item):
    """On the item page, for the archive staff: the destruction lists the item is on."""
    if not sees_whole_archive(user):
        return None
    lines = list(
        DestructionLine.objects.filter(item=item)
        .select_related("batch__approved_by", "batch__witness")
        .order_by("-batch__prepared_at", "-pk")
    )
    return {"lines": lines} if lines else None
