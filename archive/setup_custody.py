"""Navigation, audit labels and the item-page panels of the vault, borrowing, hand-over and
inspection work; ``register_custody`` runs from ``ArchiveConfig.ready``."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "archive_movement_started": _("Vault movement started"),
    "archive_movement_confirmed": _("Vault movement confirmed by a second archivist"),
    "archive_movement_cancelled": _("Vault movement called off"),
    "archive_deposited": _("Deposited in the vault"),
    "archive_withdrawn": _("Taken out of the vault"),
    "archive_borrow_requested": _("Borrowing asked for"),
    "archive_borrow_approved": _("Borrowing approved"),
    "archive_borrow_rejected": _("Borrowing refused"),
    "archive_borrowed": _("Archive item lent out"),
    "archive_returned": _("Archive item returned"),
    "archive_return_overdue": _("Archive item not returned on time"),
    "archive_released": _("Archive item released"),
    "archive_handover_started": _("Hand-over started"),
    "archive_handover_confirmed": _("Hand-over confirmed"),
    "archive_handover_cancelled": _("Hand-over called off"),
    "archive_handed_over": _("Archive item handed over"),
    "archive_inspection": _("Archive inspection recorded"),
    "archive_inspected": _("Archive item inspected"),
}


def register_custody():
    from loancenter import audit, navigation
    from loancenter.roles import ARCHIVIST, AUDITOR, DIRECTOR

    from .panels import ItemPanel, register
    from .services.borrowing import approvals_waiting, desk_waiting

    navigation.register(
        navigation.NavItem(
            "archive_vault",
            _("Vault"),
            "archive:vault",
            roles=frozenset({ARCHIVIST, DIRECTOR, AUDITOR}),
            order=61,
            badge=vault_waiting,
            group="archive",
        )
    )
    navigation.register(
        navigation.NavItem(
            "archive_borrowing",
            _("Borrowing"),
            "archive:borrow_queue",
            roles=frozenset({ARCHIVIST, AUDITOR}),
            order=62,
            badge=desk_waiting,
            group="archive",
        )
    )
    navigation.register(
        navigation.NavItem(
            "archive_approvals",
            _("Borrowing approvals"),
            "archive:borrow_approvals",
            roles=frozenset({DIRECTOR}),
            order=63,
            badge=approvals_waiting,
            group="archive",
        )
    )
    navigation.register(
        navigation.NavItem(
            "my_borrowings", _("My borrowings"), "archive:my_borrowings", order=940, group="archive"
        )
    )
    register(ItemPanel("custody_vault", "archive/custody/_item_vault.html", vault_panel, order=20))
    register(
        ItemPanel("custody_borrowing", "archive/custody/_item_borrowing.html", borrow_panel, 30)
    )
    audit.register_labels(AUDIT_LABELS)


def vault_waiting(user) -> int | None:
    """An archivist's badge: movements someone else started and hand-overs to them."""
    from loancenter.roles import ARCHIVIST, has_role

    from .models import Handover, HandoverStatus, MovementStatus, VaultMovement

    if not has_role(user, ARCHIVIST):
        return None
    movements = VaultMovement.objects.filter(status=MovementStatus.PENDING).exclude(started_by=user)
    handovers = Handover.objects.filter(status=HandoverStatus.PENDING, to_custodian=user)
    return (movements.count() + handovers.count()) or None


def vault_panel(user, item):
    """Deposit, release and the movement waiting for a second archivist, on the item page."""
    from loancenter.roles import ARCHIVIST, has_role

    from .forms_custody import DepositForm, ReleaseForm
    from .models import KEPT, ItemStatus, MovementStatus

    archivist = has_role(user, ARCHIVIST)
    movement = (
        item.movements.filter(status=MovementStatus.PENDING)
        .select_related("started_by", "borrow__requested_by")
        .first()
    )
    free = archivist and movement is None
    context = {
        "movement": movement,
        "may_confirm": archivist and movement is not None and movement.started_by_id != user.pk,
        "may_cancel": archivist and movement is not None,
        "deposit_form": (
            DepositForm() if free and item.is_vital and item.status == ItemStatus.EXPECTED else None
        ),
        "release_form": ReleaseForm() if free and item.status in KEPT else None,
    }
    if not any(context.values()):
        return None
    return context


def borrow_panel(user, item):
    """The open borrowing with the actions the user may take, or the request form."""
    from django.utils import timezone

    from loancenter.roles import ARCHIVIST, has_role

    from .forms_custody import BorrowDecisionForm, BorrowRequestForm
    from .models import KEPT, BorrowStatus
    from .selectors import sees_whole_archive
    from .services.borrowing import OPEN, may_decide

    open_one = item.borrowings.filter(status__in=OPEN).select_related("requested_by").first()
    staff = sees_whole_archive(user)
    if open_one is not None:
        open_one.item = item
        archivist = has_role(user, ARCHIVIST)
        waiting = open_one.movements.filter(status="pending").exists()
        return {
            "borrow": open_one,
            "show": staff or open_one.requested_by_id == user.pk,
            "decision_form": BorrowDecisionForm() if may_decide(user, open_one) else None,
            "may_check_out": archivist and open_one.status == BorrowStatus.APPROVED and not waiting,
            "may_return": archivist and open_one.status == BorrowStatus.OUT and not waiting,
            "late": open_one.status == BorrowStatus.OUT
            and open_one.return_by < timezone.localdate(),
        }
    if item.status not in KEPT:
        return None
    return {"request_form": BorrowRequestForm()}
