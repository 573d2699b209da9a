"""Dossiers and items: a folder per customer, papers announced as expected by the workflow, the
archivist's receipt (入库) and moves between places."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from loancenter import audit
from loancenter.errors import DomainError, RuleViolations
from loancenter.roles import ARCHIVIST
from loancenter.sequences import next_number
from loancenter.workflow import locked, refuse_stale_state, require_role

from ..history import record_event
from ..models import ArchiveItem, Category, Dossier, EventKind, ItemStatus

LOCATION_FIELDS = ("room", "cabinet", "shelf", "box")


def ensure_dossier(customer, *, by=None) -> Dossier:
    """The customer's dossier (按户专夹), created the first time it is needed. Two callers at the
    same moment get the same dossier."""
    dossier = Dossier.objects.filter(customer=customer).first()
    if dossier is not None:
        return dossier
    try:
        with transaction.atomic():
            number = next_number(f"DA{timezone.localdate():%Y}", width=6)
            dossier = Dossier.objects.create(customer=customer, number=number)
            audit.record(actor=by, action="archive_dossier_opened", obj=dossier)
            return dossier
    except IntegrityError:
        return Dossier.objects.get(customer=customer)


def next_item_number(dossier: Dossier) -> str:
    """The dossier number and the item's place in it: DA2026000001-0001."""
    return next_number(f"{dossier.number}-", width=4)


def expect_item(
    *,
    customer,
    source: str,
    category: str,
    title: str,
    is_vital: bool = False,
    is_original: bool = True,
    pages: int = 1,
    application=None,
    account=None,
    by=None,
    note: str = "",
) -> ArchiveItem | None:
    """Announce a paper the archive should receive. Idempotent by ``source``: a step announced
    twice makes one item (the second call returns None)."""
    if ArchiveItem.objects.filter(source=source).exists():
        return None
    dossier = ensure_dossier(customer, by=by)
    try:
        with transaction.atomic():
            item = ArchiveItem.objects.create(
                dossier=dossier,
                number=next_item_number(dossier),
                category=category,
                title=title[:200],
                is_vital=is_vital,
                is_original=is_original,
                pages=pages,
                application=application,
                account=account,
                source=source,
            )
            record_event(item, EventKind.EXPECTED, by=by, note=note)
            return item
    except IntegrityError:
        if ArchiveItem.objects.filter(source=source).exists():
            return None
        raise


def register_item(
    *,
    dossier: Dossier,
    user,
    category: str,
    title: str,
    is_original: bool = True,
    pages: int = 1,
    is_vital: bool = False,
    application=None,
    note: str = "",
) -> ArchiveItem:
    """An archivist adds a paper that no workflow step announces (a borrower's document, a
    post-loan paper) to a dossier; it is expected until received like any other."""
    role = require_role(user, ARCHIVIST)
    problems = []
    if not (title or "").strip():
        problems.append(_("Give the item a title."))
    if category not in Category.values:
        problems.append(_("Choose a category."))
    if not 1 <= int(pages or 0) <= 32767:
        problems.append(_("An item has at least one page."))
    if application is not None and application.customer_id != dossier.customer_id:
        problems.append(_("The application belongs to another customer."))
    if problems:
        raise RuleViolations(problems)
    account = getattr(application, "account", None) if application is not None else None
    with transaction.atomic():
        item = ArchiveItem.objects.create(
            dossier=dossier,
            number=next_item_number(dossier),
            category=category,
            title=title.strip()[:200],
            is_original=is_original,
            pages=pages,
            is_vital=is_vital,
            application=application,
            account=account,
        )
        record_event(item, EventKind.EXPECTED, by=user, note=note, role=role)
    return item


def checked_location(room, cabinet, shelf, box) -> dict:
    place = {
        "room": (room or "").strip(),
        "cabinet": (cabinet or "").strip(),
        "shelf": (shelf or "").strip(),
        "box": (box or "").strip(),
    }
    missing = [name for name in ("room", "cabinet", "shelf") if not place[name]]
    if missing:
        raise RuleViolations(
            [_("Say where the item is kept: room, cabinet and shelf (box if there is one).")]
        )
    too_long = [name for name, value in place.items() if len(value) > 20]
    if too_long:
        raise RuleViolations([_("A part of the location is longer than 20 characters.")])
    return place


def receive_item(
    *, item: ArchiveItem, user, room, cabinet, shelf, box="", note="", pages=None
) -> ArchiveItem:
    """入库: an archivist confirms that a paper announced as expected has arrived and puts it on
    the shelf (counting its pages, when given). Vital vouchers go into the vault with two
    archivists instead."""
    role = require_role(user, ARCHIVIST)
    place = checked_location(room, cabinet, shelf, box)
    if pages is not None and not 1 <= pages <= 32767:
        raise RuleViolations([_("An item has at least one page.")])
    with transaction.atomic():
        item = locked(item)
        if item.is_vital:
            raise DomainError(
                _(
                    "%(item)s is a vital voucher: it goes into the vault with two archivists "
                    "(a vault deposit), not onto a shelf."
                )
                % {"item": item},
                code="vital",
            )
        if not can_proceed(item.receive):
            _refuse_receipt(item)
        from_state = item.status
        item.receive()
        for field, value in place.items():
            setattr(item, field, value)
        item.custodian = user
        if pages is not None:
            item.pages = pages
        item.save()
        record_event(item, EventKind.RECEIVED, by=user, note=note, role=role, from_state=from_state)
    return item


def _refuse_receipt(item: ArchiveItem):
    received = item.events.filter(kind__in=[EventKind.RECEIVED, EventKind.DEPOSITED]).last()
    if received is not None:
        raise DomainError(
            _("%(item)s was already received by %(who)s at %(time)s.")
            % {
                "item": item,
                "who": received.by.display_name if received.by else "—",
                "time": f"{timezone.localtime(received.at):%Y-%m-%d %H:%M}",
            },
            code="already_received",
        )
    refuse_stale_state(item, action_label=_("received"))


def move_item(*, item: ArchiveItem, user, room, cabinet, shelf, box="", note="") -> ArchiveItem:
    """Record that an item on the shelf or in the vault now lies somewhere else."""
    role = require_role(user, ARCHIVIST)
    place = checked_location(room, cabinet, shelf, box)
    with transaction.atomic():
        item = locked(item)
        if item.is_vital:
            raise DomainError(
                _(
                    "%(item)s is a vital voucher: it leaves its place in the vault only with "
                    "two archivists (a vault withdrawal)."
                )
                % {"item": item},
                code="vital",
            )
        if item.status != ItemStatus.IN_CUSTODY:
            refuse_stale_state(item, action_label=_("moved"))
        if all(getattr(item, field) == value for field, value in place.items()):
            raise DomainError(_("The item is already at that place."), code="same_place")
        before = item.location
        for field, value in place.items():
            setattr(item, field, value)
        item.save(update_fields=[*LOCATION_FIELDS])
        text = _("From %(before)s.") % {"before": before or "—"}
        record_event(item, EventKind.MOVED, by=user, note=f"{text} {note}".strip(), role=role)
    return item
