"""Destruction of expired items (销毁, RULES.md §6): an archivist lists the items due, the
director approves the list (not the one who made it), a witness (监销) — any archivist or
auditor other than the preparer and the director — ticks each item against the list, and then
marks the batch destroyed. Every item keeps its row and its history; nothing is deleted."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from loancenter import audit, notifications, workflow
from loancenter.errors import DomainError, PermissionRefused, SeparationOfDutiesError
from loancenter.roles import ARCHIVIST, AUDITOR, DIRECTOR, has_role
from loancenter.sequences import next_number

from ..history import record_event
from ..models import (
    ArchiveItem,
    BatchStatus,
    BorrowRequest,
    BorrowStatus,
    DestructionBatch,
    DestructionLine,
    EventKind,
    ItemStatus,
)
from ..retention import OPEN_BATCH

WITNESS_ROLES = (ARCHIVIST, AUDITOR)
MAX_LINES = 500


def batch_number(today=None) -> str:
    """XH + year + six digits: XH2026000001."""
    return next_number(f"XH{(today or timezone.localdate()).year}")


# --- why an item may not be destroyed ---------------------------------------------------------


def item_problem(
    item: ArchiveItem, *, today, listed_in: str = "", asked_by: str = ""
) -> str | None:
    """Why ``item`` cannot be (or stay) on a destruction list today, or None; ``listed_in`` is
    the number of another open list the item is on, ``asked_by`` who has a borrowing of it
    waiting (name and state)."""
    if item.is_vital:
        return _("%(item)s is a vital voucher: it is released to its owner, never destroyed.") % {
            "item": item.number
        }
    if item.status == ItemStatus.ON_LOAN:
        return _("%(item)s is borrowed; it must be returned before it can be destroyed.") % {
            "item": item.number
        }
    if item.status != ItemStatus.IN_CUSTODY:
        return _("%(item)s is %(state)s; only items kept on the shelf can be destroyed.") % {
            "item": item.number,
            "state": item.get_status_display(),
        }
    if item.retain_until is None or item.retain_until >= today:
        return _("%(item)s must be kept until %(date)s.") % {
            "item": item.number,
            "date": f"{item.retain_until:%Y-%m-%d}" if item.retain_until else _("(not yet set)"),
        }
    if listed_in:
        return _("%(item)s is already on destruction list %(batch)s.") % {
            "item": item.number,
            "batch": listed_in,
        }
    if asked_by:
        return _(
            "%(item)s is asked for by %(who)s; that borrowing must be settled before the item "
            "can be destroyed."
        ) % {"item": item.number, "who": asked_by}
    return None


def _listed_elsewhere(items, batch=None) -> dict[int, str]:
    """item id → the number of another open destruction list it is on (one query)."""
    lines = DestructionLine.objects.filter(
        item__in=[item.pk for item in items], batch__status__in=OPEN_BATCH
    )
    if batch is not None:
        lines = lines.exclude(batch=batch)
    return dict(lines.values_list("item_id", "batch__number"))


def _asked_for(items, today) -> dict[int, str]:
    """item id → "name (state)" of a borrowing waiting to be decided or handed out (one query).
    An approved borrowing whose return date has passed cannot be handed out any more, so it
    does not hold the item back."""
    waiting = BorrowRequest.objects.filter(item__in=[item.pk for item in items]).filter(
        Q(status=BorrowStatus.PENDING) | Q(status=BorrowStatus.APPROVED, return_by__gte=today)
    )
    return {
        borrow.item_id: f"{borrow.requested_by.display_name} ({borrow.get_status_display()})"
        for borrow in waiting.select_related("requested_by")
    }


def _refuse_problems(items, *, today, batch=None) -> None:
    listed = _listed_elsewhere(items, batch)
    asked = _asked_for(items, today)
    problems = [
        problem
        for problem in (
            item_problem(
                item,
                today=today,
                listed_in=listed.get(item.pk, ""),
                asked_by=asked.get(item.pk, ""),
            )
            for item in items
        )
        if problem
    ]
    if problems:
        raise DomainError(" ".join(problems), code="not_destroyable")


def _locked_items(pks) -> list[ArchiveItem]:
    return list(ArchiveItem.objects.select_for_update().filter(pk__in=pks).order_by("pk"))


def _batch_url(batch) -> str:
    return reverse("archive:destruction_detail", args=[batch.pk])


# --- preparing and submitting -----------------------------------------------------------------


def prepare_batch(*, user, items) -> DestructionBatch:
    """A draft destruction list of ``items`` (items or their ids), made by an archivist."""
    workflow.require_role(user, ARCHIVIST)
    pks = sorted({getattr(item, "pk", item) for item in items})
    if not pks:
        raise DomainError(_("Choose the items to destroy."), code="no_items")
    if len(pks) > MAX_LINES:
        raise DomainError(
            _("A destruction list holds at most %(count)s items.") % {"count": MAX_LINES}
        )
    today = timezone.localdate()
    with transaction.atomic():
        locked = _locked_items(pks)
        if len(locked) != len(pks):
            raise DomainError(_("Some of the chosen items no longer exist."), code="no_items")
        _refuse_problems(locked, today=today)
        batch = DestructionBatch.objects.create(number=batch_number(today), prepared_by=user)
        DestructionLine.objects.bulk_create(
            DestructionLine(batch=batch, item=item) for item in locked
        )
        audit.record(
            actor=user,
            action="prepare_destruction",
            obj=batch,
            role=ARCHIVIST,
            to_state=batch.status,
            opinion=", ".join(item.number for item in locked),
        )
    return batch


def submit_batch(*, batch, user) -> DestructionBatch:
    """The draft goes to the director, the items checked once more."""
    workflow.require_role(user, ARCHIVIST)
    with transaction.atomic():
        batch = workflow.locked(batch)
        if not can_proceed(batch.submit):
            workflow.refuse_stale_state(batch, action_label=_("submitted"))
        items = _locked_items(batch.lines.values_list("item_id", flat=True))
        _refuse_problems(items, today=timezone.localdate(), batch=batch)
        workflow.transition(
            batch,
            "submit",
            user=user,
            action="submit_destruction",
            action_label=_("submitted"),
            role=ARCHIVIST,
        )
        message = _("Destruction list %(number)s awaits your approval.") % {"number": batch.number}
        url = _batch_url(batch)
        transaction.on_commit(
            lambda: notifications.notify_role(DIRECTOR, message=message, link=url)
        )
    return batch


# --- the director's decision ------------------------------------------------------------------


def decide_batch(*, batch, user, approve: bool, opinion: str) -> DestructionBatch:
    """The director approves or rejects the list, with reasons; never the list's preparer."""
    workflow.require_role(user, DIRECTOR)
    opinion = (opinion or "").strip()
    if not opinion:
        raise DomainError(_("A decision needs its reasons in writing."), code="opinion")
    with transaction.atomic():
        batch = workflow.locked(batch)
        if batch.prepared_by_id == user.pk:
            raise SeparationOfDutiesError(
                _("Separation of duties: the one who prepared the list may not approve it.")
            )
        batch.approved_by, batch.approval_opinion = user, opinion
        workflow.transition(
            batch,
            "approve" if approve else "reject",
            user=user,
            action="approve_destruction" if approve else "reject_destruction",
            action_label=_("decided"),
            role=DIRECTOR,
            opinion=opinion,
        )
        if approve:
            text = _("Destruction list %(number)s is approved; a witness checks each item.")
        else:
            text = _("Destruction list %(number)s was rejected: %(opinion)s")
        message = text % {"number": batch.number, "opinion": opinion}
        preparer, url = batch.prepared_by, _batch_url(batch)
        transaction.on_commit(
            lambda: notifications.notify(recipients=[preparer], message=message, link=url)
        )
    return batch


# --- the witness ------------------------------------------------------------------------------


def refuse_unless_witness(batch, user) -> None:
    """The witness is an archivist or auditor other than the preparer and the director; once
    one has ticked a line, only they may go on."""
    if not has_role(user, *WITNESS_ROLES):
        raise PermissionRefused(
            _("The witness of a destruction is an archivist or an auditor."), code="permission"
        )
    if user.pk in (batch.prepared_by_id, batch.approved_by_id):
        raise SeparationOfDutiesError(
            _(
                "Separation of duties: the witness may be neither the one who prepared the "
                "list nor the one who approved it."
            )
        )
    if batch.witness_id and batch.witness_id != user.pk:
        raise PermissionRefused(
            _("%(name)s is the witness of this destruction; only they may check it.")
            % {"name": batch.witness.display_name},
            code="other_witness",
        )


def _refuse_unless_approved(batch) -> None:
    if batch.status != BatchStatus.APPROVED:
        raise DomainError(
            _(
                "Destruction list %(number)s is %(state)s; only a list the director approved "
                "can be checked and destroyed."
            )
            % {"number": batch.number, "state": batch.get_status_display()},
            code="not_approved",
        )


def check_line(*, line, user) -> DestructionLine:
    """The witness ticks one item as found and matching the list (监销核对)."""
    with transaction.atomic():
        batch = workflow.locked(line.batch)
        line = workflow.locked(line)
        _refuse_unless_approved(batch)
        refuse_unless_witness(batch, user)
        if line.checked_by_witness:
            return line
        item = workflow.locked(line.item)
        _refuse_changed_items([item])
        if batch.witness_id is None:
            batch.witness = user
            batch.save(update_fields=["witness"])
        line.checked_by_witness, line.checked_at = True, timezone.now()
        line.save(update_fields=["checked_by_witness", "checked_at"])
        audit.record(
            actor=user,
            action="witness_check",
            obj=batch,
            role=_acting_role(user),
            opinion=f"{item.number} {item.title}",
        )
    return line


def _acting_role(user) -> str:
    return next(code for code in WITNESS_ROLES if has_role(user, code))


def complete_destruction(*, batch, user, method: str) -> DestructionBatch:
    """The witness confirms the destruction once every item is ticked: each item is marked
    destroyed with a line in its history, and the batch is closed."""
    method = (method or "").strip()
    with transaction.atomic():
        batch = workflow.locked(batch)
        _refuse_unless_approved(batch)
        refuse_unless_witness(batch, user)
        unchecked = batch.lines.filter(checked_by_witness=False).select_related("item")
        if unchecked:
            raise DomainError(
                _("Not yet checked against the list: %(items)s.")
                % {"items": ", ".join(line.item.number for line in unchecked)},
                code="unchecked",
            )
        if not method:
            raise DomainError(_("Say how the papers were destroyed."), code="method")
        items = _locked_items(batch.lines.values_list("item_id", flat=True))
        _refuse_changed_items(items)
        batch.method = method
        workflow.transition(
            batch,
            "complete",
            user=user,
            action="complete_destruction",
            action_label=_("carried out"),
            role=_acting_role(user),
            opinion=method,
        )
        _destroy_items(items, batch, user)
    return batch


def _refuse_changed_items(items) -> None:
    """An item borrowed or asked for, released or made vital since the list was approved blocks
    it (its retention had passed when the list was made; that does not change)."""
    today = timezone.localdate()
    asked = _asked_for(items, today)
    problems = [
        item_problem(item, today=today, asked_by=asked.get(item.pk, ""))
        for item in items
        if item.status != ItemStatus.IN_CUSTODY or item.is_vital or item.pk in asked
    ]
    if problems:
        raise DomainError(" ".join(problems), code="not_destroyable")


def _destroy_items(items, batch, user) -> None:
    reason = _("Destroyed in batch %(number)s, approved by %(director)s, witnessed by %(witness)s")
    reason = reason % {
        "number": batch.number,
        "director": batch.approved_by.display_name,
        "witness": user.display_name,
    }
    role = _acting_role(user)
    for item in items:
        from_state = item.status
        item.destroy(reason[:200])
        item.save()
        record_event(
            item,
            EventKind.DESTROYED,
            by=user,
            note=f"{reason}; {batch.method}",
            role=role,
            from_state=from_state,
        )
