"""The vault under dual custody (双人管库), release to the owner, hand-over between custodians
(移交) and inspections (检查).

A vital voucher (他项权证, insurance policy, pledged rights) goes into or out of the vault only as a
VaultMovement: one archivist starts it, a second archivist confirms it under their own login and
only then does the item move. The DB check constraint ``vault_two_people`` backs the rule."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from applications.models import Status as ApplicationStatus
from loancenter import audit
from loancenter.errors import DomainError, PermissionRefused
from loancenter.roles import ARCHIVIST
from loancenter.workflow import locked, refuse_stale_state, require_role
from loans.models import AccountStatus, LoanAccount

from ..history import record_event
from ..models import (
    ArchiveItem,
    BorrowRequest,
    BorrowStatus,
    EventKind,
    ItemStatus,
    MovementKind,
    MovementStatus,
    VaultMovement,
)
from .items import (
    LOCATION_FIELDS,
    checked_location,  # the same location rule as a receipt
)

# Items a custodian may hand over: on the shelf, in the vault, or lent out under their care.
IN_CARE = (ItemStatus.IN_CUSTODY, ItemStatus.IN_VAULT, ItemStatus.ON_LOAN)
GONE = (ItemStatus.RELEASED, ItemStatus.DESTROYED)


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def lock_item(pk) -> ArchiveItem:
    return ArchiveItem.objects.select_for_update().get(pk=pk)


# --- effects on a borrowing (used by the vault and by the borrowing desk) -----------------------


def record_lending(borrow, item, *, by, role, second_by=None, from_state="") -> None:
    """The borrowing is out: who handed the item over (and who confirmed, from the vault)."""
    borrow.status = BorrowStatus.OUT
    borrow.checked_out_by, borrow.checked_out_at = by, timezone.now()
    borrow.save(update_fields=["status", "checked_out_by", "checked_out_at"])
    note = _("Lent to %(name)s until %(date)s: %(reason)s") % {
        "name": borrow.requested_by.display_name,
        "date": f"{borrow.return_by:%Y-%m-%d}",
        "reason": borrow.reason,
    }
    record_event(
        item,
        EventKind.BORROWED,
        by=by,
        second_by=second_by,
        note=note,
        role=role,
        from_state=from_state,
    )


def record_return(borrow, item, *, by, role, from_state="") -> None:
    borrow.status = BorrowStatus.RETURNED
    borrow.returned_to, borrow.returned_at = by, timezone.now()
    borrow.save(update_fields=["status", "returned_to", "returned_at"])
    note = _("Returned by %(name)s (due %(date)s).") % {
        "name": borrow.requested_by.display_name,
        "date": f"{borrow.return_by:%Y-%m-%d}",
    }
    record_event(item, EventKind.RETURNED, by=by, note=note, role=role, from_state=from_state)


# --- the vault --------------------------------------------------------------------------------


def start_movement(
    *, item, user, kind: str, purpose: str, borrow=None, location: dict | None = None
) -> VaultMovement:
    """One archivist starts a deposit or a withdrawal; nothing moves until a second confirms.

    deposit: a vital voucher that is expected (``location`` says where in the vault it goes), or
    one on loan coming back. withdraw: a vital voucher in the vault, for an approved borrowing
    (``borrow``) or, without one, a release to its owner with ``purpose`` as the reason."""
    role = require_role(user, ARCHIVIST)
    purpose = (purpose or "").strip()
    if not purpose:
        raise DomainError(_("Say why the voucher goes into or out of the vault."))
    if kind not in MovementKind.values:
        raise DomainError(_("Choose a deposit or a withdrawal."))
    with transaction.atomic():
        item = lock_item(item.pk)
        if item.movements.filter(status=MovementStatus.PENDING).exists():
            raise DomainError(
                _("%(item)s already has a vault movement waiting for a second archivist.")
                % {"item": item}
            )
        if kind == MovementKind.DEPOSIT:
            borrow = _check_deposit(item, borrow, location)
        else:
            _check_withdrawal(item, borrow)
        movement = VaultMovement.objects.create(
            item=item, kind=kind, purpose=purpose[:200], borrow=borrow, started_by=user
        )
        audit.record(
            actor=user,
            action="archive_movement_started",
            obj=item,
            role=role,
            opinion=f"{movement.get_kind_display()}: {purpose}",
        )
    return movement


def _check_deposit(item, borrow, location):
    if not item.is_vital:
        raise DomainError(
            _("%(item)s is not a vital voucher: it is kept on a shelf, not in the vault.")
            % {"item": item}
        )
    if item.status == ItemStatus.EXPECTED:
        location = location or {}
        place = checked_location(**{field: location.get(field) for field in LOCATION_FIELDS})
        for field, value in place.items():
            setattr(item, field, value)
        item.save(update_fields=list(LOCATION_FIELDS))
        return None
    if item.status == ItemStatus.ON_LOAN:
        out = BorrowRequest.objects.select_for_update().filter(item=item, status=BorrowStatus.OUT)
        borrow = out.filter(pk=borrow.pk).first() if borrow else out.first()
        if borrow is None:
            raise DomainError(_("%(item)s is not out on a borrowing.") % {"item": item})
        return borrow
    refuse_stale_state(item, action_label=_("deposited in the vault"))


def _check_withdrawal(item, borrow) -> None:
    if item.status != ItemStatus.IN_VAULT:
        refuse_stale_state(item, action_label=_("taken out of the vault"))
    if borrow is None:
        refuse_release_while_secured(item)
    elif borrow.item_id != item.pk or borrow.status != BorrowStatus.APPROVED:
        raise DomainError(_("Only an approved borrowing of this item takes it out of the vault."))


def refuse_release_while_secured(item) -> None:
    """A vital voucher secures its loan: it goes back to its owner only once the loan is
    settled, or when its application never became a loan."""
    if not item.is_vital:
        return
    account = item.account
    if account is None and item.application_id:
        account = LoanAccount.objects.filter(application_id=item.application_id).first()
    if account is not None and account.status != AccountStatus.SETTLED:
        raise DomainError(
            _(
                "%(item)s secures loan %(loan)s, which is %(state)s: a vital voucher is released "
                "only after its loan is settled."
            )
            % {"item": item, "loan": account.number, "state": account.get_status_display()}
        )
    closed = (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)
    if account is None and item.application_id and item.application.status not in closed:
        raise DomainError(
            _("%(item)s belongs to application %(number)s, which is still open.")
            % {"item": item, "number": item.application.number}
        )


def confirm_movement(*, movement, user) -> VaultMovement:
    """The second archivist confirms under their own login; the item moves now."""
    role = require_role(user, ARCHIVIST)
    with transaction.atomic():
        item = lock_item(movement.item_id)  # item first, then the movement: one lock order
        movement = locked(movement)
        _refuse_unless_pending(movement)
        if movement.started_by_id == user.pk:
            raise PermissionRefused(
                _(
                    "You started this movement: a second archivist must confirm it under "
                    "their own login."
                )
            )
        borrow = locked(movement.borrow) if movement.borrow_id else None
        if movement.kind == MovementKind.DEPOSIT:
            _deposit(movement, item, borrow, user, role)
        else:
            _withdraw(movement, item, borrow, user, role)
        movement.status = MovementStatus.CONFIRMED
        movement.confirmed_by, movement.confirmed_at = user, timezone.now()
        movement.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        audit.record(
            actor=user,
            action="archive_movement_confirmed",
            obj=item,
            role=role,
            opinion=f"{movement.get_kind_display()}: {movement.purpose}",
        )
    return movement


def _refuse_unless_pending(movement) -> None:
    if movement.status == MovementStatus.CONFIRMED:
        raise DomainError(
            _("This movement was already confirmed by %(who)s at %(time)s.")
            % {"who": movement.confirmed_by.display_name, "time": _when(movement.confirmed_at)},
            code="already_confirmed",
        )
    if movement.status != MovementStatus.PENDING:
        raise DomainError(_("This movement was cancelled."), code="cancelled")


def _deposit(movement, item, borrow, user, role) -> None:
    if not can_proceed(item.deposit):
        refuse_stale_state(item, action_label=_("deposited in the vault"))
    from_state = item.status
    if borrow is not None:
        if borrow.status != BorrowStatus.OUT:
            raise DomainError(_("This borrowing is no longer out."))
        record_return(borrow, item, by=movement.started_by, role=role)
    item.deposit()
    item.custodian = item.custodian or movement.started_by
    item.save()
    record_event(
        item,
        EventKind.DEPOSITED,
        by=movement.started_by,
        second_by=user,
        note=movement.purpose,
        role=role,
        from_state=from_state,
    )


def _withdraw(movement, item, borrow, user, role) -> None:
    if item.status != ItemStatus.IN_VAULT:
        refuse_stale_state(item, action_label=_("taken out of the vault"))
    from_state = item.status
    if borrow is None:
        refuse_release_while_secured(item)
        item.release(movement.purpose)
    else:
        if borrow.status != BorrowStatus.APPROVED:
            raise DomainError(_("This borrowing is no longer approved."))
        item.check_out()
    item.save()
    kind = EventKind.WITHDRAWN if borrow else EventKind.RELEASED
    record_event(
        item,
        kind,
        by=movement.started_by,
        second_by=user,
        note=movement.purpose,
        role=role,
        from_state=from_state,
    )
    if borrow is not None:
        record_lending(borrow, item, by=movement.started_by, second_by=user, role=role)


def cancel_movement(*, movement, user, reason: str = "") -> VaultMovement:
    """Either archivist calls a pending movement off; nothing has moved."""
    role = require_role(user, ARCHIVIST)
    with transaction.atomic():
        item = lock_item(movement.item_id)
        movement = locked(movement)
        _refuse_unless_pending(movement)
        movement.status = MovementStatus.CANCELLED
        movement.save(update_fields=["status"])
        if movement.kind == MovementKind.DEPOSIT and item.status == ItemStatus.EXPECTED:
            for field in LOCATION_FIELDS:  # the place was only where it was going to be
                setattr(item, field, "")
            item.save(update_fields=list(LOCATION_FIELDS))
        audit.record(
            actor=user,
            action="archive_movement_cancelled",
            obj=item,
            role=role,
            opinion=f"{movement.get_kind_display()}: {reason.strip() or movement.purpose}",
        )
    return movement


def release_item(*, item, user, reason: str) -> VaultMovement | None:
    """Give an item back to its owner. A vital voucher leaves the vault only by a withdrawal a
    second archivist confirms (the movement is returned); anything else goes at once (None)."""
    role = require_role(user, ARCHIVIST)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why and to whom the item is released."))
    with transaction.atomic():
        item = lock_item(item.pk)
        if item.is_vital or item.status == ItemStatus.IN_VAULT:
            return start_movement(item=item, user=user, kind=MovementKind.WITHDRAW, purpose=reason)
        if not can_proceed(item.release):
            refuse_stale_state(item, action_label=_("released"))
        from_state = item.status
        item.release(reason)
        item.save()
        record_event(
            item, EventKind.RELEASED, by=user, note=reason, role=role, from_state=from_state
        )
    return None
