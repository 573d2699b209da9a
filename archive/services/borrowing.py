"""Borrowing (调阅): a member of staff asks with a reason and a return date; the director approves
for a vital voucher, an archivist for anything else, never the person who asked; an archivist
hands the item out and takes it back. A vital voucher leaves and re-enters the vault only by a
movement a second archivist confirms (``custody.start_movement``)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from loancenter import audit
from loancenter.errors import (
    DomainError,
    PermissionRefused,
    RuleViolations,
    SeparationOfDutiesError,
)
from loancenter.notifications import notify, notify_role
from loancenter.roles import ARCHIVIST, DIRECTOR, has_role
from loancenter.workflow import locked, refuse_stale_state, require_role

from ..models import KEPT, BorrowRequest, BorrowStatus, ItemStatus, MovementKind, MovementStatus
from ..selectors import visible_items
from .custody import lock_item, record_lending, record_return, start_movement

LONGEST_LOAN_DAYS = 30
OPEN = (BorrowStatus.PENDING, BorrowStatus.APPROVED, BorrowStatus.OUT)


def _check_request(reason: str, return_by) -> list[str]:
    today = timezone.localdate()
    problems = []
    if not (reason or "").strip():
        problems.append(_("Give the reason for borrowing the item."))
    if return_by is None or not today <= return_by <= today + timedelta(days=LONGEST_LOAN_DAYS):
        problems.append(
            _("The return date must be between today and %(days)s days from today.")
            % {"days": LONGEST_LOAN_DAYS}
        )
    return problems


def _refuse_unless_kept(item) -> None:
    if item.status in KEPT:
        return
    if item.gone_reason:
        raise DomainError(
            _("%(item)s is %(state)s (%(reason)s); it cannot be borrowed.")
            % {"item": item, "state": item.get_status_display(), "reason": item.gone_reason},
            code="not_kept",
        )
    raise DomainError(
        _("%(item)s is %(state)s; it cannot be borrowed.")
        % {"item": item, "state": item.get_status_display()},
        code="not_kept",
    )


def request_borrowing(*, item, user, reason: str, return_by) -> BorrowRequest:
    """调阅申请 by anyone who may see the item."""
    problems = _check_request(reason, return_by)
    if problems:
        raise RuleViolations(problems)
    with transaction.atomic():
        item = lock_item(item.pk)
        if not visible_items(user).filter(pk=item.pk).exists():
            raise PermissionRefused(_("You may not see this item."))
        _refuse_unless_kept(item)
        open_one = item.borrowings.filter(status__in=OPEN).select_related("requested_by").first()
        if open_one is not None:
            raise DomainError(
                _("%(item)s is already asked for by %(name)s (%(state)s).")
                % {
                    "item": item,
                    "name": open_one.requested_by.display_name,
                    "state": open_one.get_status_display(),
                },
                code="already_asked",
            )
        borrow = BorrowRequest.objects.create(
            item=item, requested_by=user, reason=reason.strip(), return_by=return_by
        )
        audit.record(actor=user, action="archive_borrow_requested", obj=item, opinion=reason)
        _tell_deciders(borrow, item)
    return borrow


def _tell_deciders(borrow, item) -> None:
    message = _("%(name)s asks to borrow %(item)s until %(date)s.") % {
        "name": borrow.requested_by.display_name,
        "item": item,
        "date": f"{borrow.return_by:%Y-%m-%d}",
    }
    if item.is_vital:
        role, link = DIRECTOR, reverse("archive:borrow_approvals")
    else:
        role, link = ARCHIVIST, reverse("archive:borrow_queue")
    transaction.on_commit(lambda: notify_role(role, message=message, link=link))


def decide_borrowing(*, borrow, user, approve: bool, note: str = "") -> BorrowRequest:
    """The director decides for a vital voucher, an archivist for anything else; never the
    person who asked."""
    note = (note or "").strip()
    with transaction.atomic():
        item = lock_item(borrow.item_id)
        borrow = locked(borrow)
        if item.is_vital:
            message = _("A vital voucher is lent only with the director's approval.")
            role = _require(user, DIRECTOR, message)
        else:
            role = require_role(user, ARCHIVIST)
        if borrow.status != BorrowStatus.PENDING:
            _refuse_decided(borrow)
        if borrow.requested_by_id == user.pk:
            raise SeparationOfDutiesError(
                _("You asked to borrow this item; someone else must decide.")
            )
        if not approve and not note:
            raise DomainError(_("Give the reason for refusing."))
        if approve:
            _refuse_unless_kept(item)
        borrow.status = BorrowStatus.APPROVED if approve else BorrowStatus.REJECTED
        borrow.decided_by, borrow.decided_at, borrow.decision_note = user, timezone.now(), note
        borrow.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        action = "archive_borrow_approved" if approve else "archive_borrow_rejected"
        audit.record(actor=user, action=action, obj=item, role=role, opinion=note)
        message = (
            _("You may collect %(item)s from the archive.")
            if approve
            else _("Your request to borrow %(item)s was refused: %(note)s")
        ) % {"item": item, "note": note}
        link = reverse("archive:my_borrowings")
        requester = borrow.requested_by
        transaction.on_commit(lambda: notify(recipients=[requester], message=message, link=link))
    return borrow


def _require(user, code: str, message: str) -> str:
    if not has_role(user, code):
        raise PermissionRefused(message)
    return code


def _refuse_decided(borrow) -> None:
    who = borrow.decided_by.display_name if borrow.decided_by_id else "—"
    raise DomainError(
        _("This borrowing is %(state)s (decided by %(who)s).")
        % {"state": borrow.get_status_display(), "who": who},
        code="decided",
    )


def _refuse_wrong_state(borrow, *, action_label: str) -> None:
    raise DomainError(
        _("This borrowing is %(state)s; it cannot be %(action)s now.")
        % {"state": borrow.get_status_display(), "action": action_label},
        code="borrow_state",
    )


def check_out(*, borrow, user) -> BorrowRequest:
    """The archivist hands an approved item out. A vital voucher needs a second archivist:
    this starts the withdrawal, and the borrowing is out once it is confirmed."""
    role = require_role(user, ARCHIVIST)
    with transaction.atomic():
        item = lock_item(borrow.item_id)
        borrow = locked(borrow)
        if borrow.status != BorrowStatus.APPROVED:
            _refuse_wrong_state(borrow, action_label=_("handed out"))
        if borrow.return_by < timezone.localdate():
            raise DomainError(
                _("The return date %(date)s has passed; the borrower must ask again.")
                % {"date": f"{borrow.return_by:%Y-%m-%d}"}
            )
        if item.is_vital or item.status == ItemStatus.IN_VAULT:
            start_movement(
                item=item,
                user=user,
                kind=MovementKind.WITHDRAW,
                purpose=_purpose(_("Borrowing by %(name)s"), borrow),
                borrow=borrow,
            )
            return borrow
        if not can_proceed(item.check_out):
            refuse_stale_state(item, action_label=_("lent out"))
        from_state = item.status
        item.check_out()
        item.save()
        record_lending(borrow, item, by=user, role=role, from_state=from_state)
    return borrow


def _purpose(text: str, borrow) -> str:
    return (text % {"name": borrow.requested_by.display_name})[:200]


def return_item(*, borrow, user) -> BorrowRequest:
    """The archivist takes a borrowed item back. A vital voucher goes back into the vault: this
    starts the deposit, and the borrowing is returned once a second archivist confirms it."""
    role = require_role(user, ARCHIVIST)
    with transaction.atomic():
        item = lock_item(borrow.item_id)
        borrow = locked(borrow)
        if borrow.status != BorrowStatus.OUT:
            _refuse_wrong_state(borrow, action_label=_("returned"))
        if item.is_vital:
            start_movement(
                item=item,
                user=user,
                kind=MovementKind.DEPOSIT,
                purpose=_purpose(_("Returned by %(name)s"), borrow),
                borrow=borrow,
            )
            return borrow
        if not can_proceed(item.give_back):
            refuse_stale_state(item, action_label=_("returned"))
        from_state = item.status
        item.give_back()
        item.save()
        record_return(borrow, item, by=user, role=role, from_state=from_state)
    return borrow


def may_decide(user, borrow) -> bool:
    """Whether ``user`` may decide ``borrow`` now (the pages show the form only then)."""
    if borrow.status != BorrowStatus.PENDING or borrow.requested_by_id == user.pk:
        return False
    return has_role(user, DIRECTOR if borrow.item.is_vital else ARCHIVIST)


def pending_movement(borrow):
    """The vault movement of this borrowing waiting for a second archivist, if any."""
    return borrow.movements.filter(status=MovementStatus.PENDING).first()


# --- reads for queues, badges and reminders ------------------------------------------------------


def late_borrowings(today):
    return BorrowRequest.objects.filter(status=BorrowStatus.OUT, return_by__lt=today)


def approvals_waiting(user) -> int | None:
    """The director's nav badge: vital vouchers asked for, not decided."""
    if not has_role(user, DIRECTOR):
        return None
    waiting = BorrowRequest.objects.filter(status=BorrowStatus.PENDING, item__is_vital=True)
    return waiting.exclude(requested_by=user).count() or None


def desk_waiting(user) -> int | None:
    """The archivists' nav badge: requests to decide, items to hand out, late returns."""
    if not has_role(user, ARCHIVIST):
        return None
    today = timezone.localdate()
    count = BorrowRequest.objects.filter(
        Q(status=BorrowStatus.PENDING, item__is_vital=False)
        | Q(status=BorrowStatus.APPROVED)
        | Q(status=BorrowStatus.OUT, return_by__lt=today)
    ).count()
    return count or None
