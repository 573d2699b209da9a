"""Hand-over (移交) between custodians, confirmed by both, and inspections (检查)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from loancenter import audit
from loancenter.errors import DomainError, PermissionRefused
from loancenter.notifications import notify
from loancenter.roles import ARCHIVIST, AUDITOR, DIRECTOR, has_role
from loancenter.workflow import locked, require_role

from ..models import ArchiveItem, CustodyEvent, EventKind, Handover, HandoverStatus, Inspection
from .custody import GONE, IN_CARE, _when

# --- hand-over (移交) ---------------------------------------------------------------------------


def start_handover(*, user, to_custodian, items, reason: str) -> Handover:
    """An archivist lists items in their custody for another archivist to take over."""
    role = require_role(user, ARCHIVIST)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the hand-over."))
    if to_custodian is None or to_custodian.pk == user.pk:
        raise DomainError(_("Hand the items over to another archivist."))
    if not to_custodian.is_active or not has_role(to_custodian, ARCHIVIST):
        raise DomainError(_("%(name)s is not an archivist.") % {"name": to_custodian.display_name})
    pks = sorted({item.pk for item in items})
    if not pks:
        raise DomainError(_("Choose at least one item to hand over."))
    with transaction.atomic():
        rows = list(ArchiveItem.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
        _refuse_not_in_care(rows, user)
        busy = sorted(
            ArchiveItem.objects.filter(pk__in=pks, handovers__status=HandoverStatus.PENDING)
            .values_list("number", flat=True)
            .distinct()
        )
        if busy:
            raise DomainError(
                _("Already on a hand-over waiting to be confirmed: %(numbers)s.")
                % {"numbers": ", ".join(busy)}
            )
        handover = Handover.objects.create(
            from_custodian=user, to_custodian=to_custodian, reason=reason
        )
        handover.items.set(rows)
        audit.record(
            actor=user, action="archive_handover_started", obj=handover, role=role, opinion=reason
        )
        message = _("%(name)s hands %(count)s archive items over to you; check the list.") % {
            "name": user.display_name,
            "count": len(rows),
        }
        link = reverse("archive:handover_detail", args=[handover.pk])
        transaction.on_commit(lambda: notify(recipients=[to_custodian], message=message, link=link))
    return handover


def _refuse_not_in_care(rows, user) -> None:
    strays = [
        row.number for row in rows if row.custodian_id != user.pk or row.status not in IN_CARE
    ]
    if strays:
        raise DomainError(
            _("Not in your custody: %(numbers)s.") % {"numbers": ", ".join(strays)},
            code="not_in_custody",
        )


def confirm_handover(*, handover, user) -> Handover:
    """The receiving custodian confirms the list; every item's custodian changes."""
    role = require_role(user, ARCHIVIST)
    with transaction.atomic():
        handover = locked(handover)
        _refuse_unless_open(handover)
        if handover.to_custodian_id != user.pk:
            raise PermissionRefused(
                _("Only the receiving custodian, %(name)s, confirms this hand-over.")
                % {"name": handover.to_custodian.display_name}
            )
        giver = handover.from_custodian
        rows = list(handover.items.select_for_update().order_by("pk"))
        _refuse_not_in_care(rows, giver)
        ArchiveItem.objects.filter(pk__in=[row.pk for row in rows]).update(custodian=user)
        note = _("From %(giver)s to %(taker)s: %(reason)s") % {
            "giver": giver.display_name,
            "taker": user.display_name,
            "reason": handover.reason,
        }
        _record_events(rows, EventKind.HANDED_OVER, by=giver, second_by=user, note=note, role=role)
        handover.status, handover.confirmed_at = HandoverStatus.CONFIRMED, timezone.now()
        handover.save(update_fields=["status", "confirmed_at"])
        audit.record(actor=user, action="archive_handover_confirmed", obj=handover, role=role)
    return handover


def cancel_handover(*, handover, user, reason: str = "") -> Handover:
    """The giver withdraws the list, or the receiver declines it."""
    role = require_role(user, ARCHIVIST)
    with transaction.atomic():
        handover = locked(handover)
        _refuse_unless_open(handover)
        if user.pk not in (handover.from_custodian_id, handover.to_custodian_id):
            raise PermissionRefused(_("Only the two custodians may call this hand-over off."))
        handover.status = HandoverStatus.CANCELLED
        handover.save(update_fields=["status"])
        audit.record(
            actor=user,
            action="archive_handover_cancelled",
            obj=handover,
            role=role,
            opinion=reason.strip(),
        )
    return handover


def _refuse_unless_open(handover) -> None:
    if handover.status == HandoverStatus.CONFIRMED:
        raise DomainError(
            _("This hand-over was already confirmed at %(time)s.")
            % {"time": _when(handover.confirmed_at)}
        )
    if handover.status != HandoverStatus.PENDING:
        raise DomainError(_("This hand-over was cancelled."))


def _record_events(rows, kind, *, by, note, role, second_by=None) -> None:
    """One history line and one audit row per item, in two INSERTs (a long list stays fast)."""
    CustodyEvent.objects.bulk_create(
        CustodyEvent(
            item=row, kind=kind, by=by, second_by=second_by, location=row.location, note=note
        )
        for row in rows
    )
    audit.record_many(
        model=ArchiveItem,
        rows=[(row.pk, str(row)) for row in rows],
        action=f"archive_{kind}",
        actor=by,
        role=role,
        opinion=note,
    )


# --- inspections (检查) -------------------------------------------------------------------------


def record_inspection(
    *, user, inspected_on, scope: str, findings: str, problems_found: bool, items
) -> Inspection:
    """An inspection of the archive and what it found; a history line on each item it saw."""
    role = require_role(user, ARCHIVIST, DIRECTOR, AUDITOR)
    scope, findings = (scope or "").strip(), (findings or "").strip()
    if not scope or not findings:
        raise DomainError(_("Say what was inspected and what was found."))
    if inspected_on is None or inspected_on > timezone.localdate():
        raise DomainError(_("An inspection is recorded on or after the day it took place."))
    rows = list(ArchiveItem.objects.filter(pk__in={item.pk for item in items}).order_by("pk"))
    gone = [row.number for row in rows if row.status in GONE]
    if gone:
        raise DomainError(
            _("These items are no longer kept and cannot be inspected: %(numbers)s.")
            % {"numbers": ", ".join(gone)}
        )
    with transaction.atomic():
        inspection = Inspection.objects.create(
            inspector=user,
            inspected_on=inspected_on,
            scope=scope[:200],
            findings=findings,
            problems_found=bool(problems_found),
        )
        inspection.items.set(rows)
        note = _("%(scope)s: %(findings)s") % {"scope": scope, "findings": findings}
        _record_events(rows, EventKind.INSPECTED, by=user, note=note, role=role)
        audit.record(
            actor=user, action="archive_inspection", obj=inspection, role=role, opinion=findings
        )
    return inspection
