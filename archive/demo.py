"""Archive demo data: the papers the demo loans produced, received onto shelves by the archivist;
the vital vouchers deposited in the vault by two archivists; one voucher out on loan to the
loan officer with the director's approval, one deposit waiting for the second archivist."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from loancenter import roles

from .models import ArchiveItem, ItemStatus, MovementKind, VaultMovement
from .services import borrowing, custody, items

SECOND_ARCHIVIST = "archivist2"


def seed_archive_demo() -> None:
    """Once: nothing is done when any paper has been received already."""
    if ArchiveItem.objects.exclude(status=ItemStatus.EXPECTED).exists():
        return
    User = get_user_model()
    first = User.objects.get(username=roles.ARCHIVIST)
    second = User.objects.get(username=SECOND_ARCHIVIST)
    expected = list(ArchiveItem.objects.filter(status=ItemStatus.EXPECTED).order_by("pk"))
    shelf_items = [item for item in expected if not item.is_vital]
    vital = [item for item in expected if item.is_vital]
    for n, item in enumerate(shelf_items[:-3]):  # the last three stay expected, to show the list
        items.receive_item(
            item=item, user=first, room="101", cabinet=f"A{1 + n // 20:02d}",
            shelf=f"{1 + n % 20 // 5}", box=f"{1 + n % 5}",
        )  # fmt: skip
    for n, item in enumerate(vital):
        movement = custody.start_movement(
            item=item, user=first, kind=MovementKind.DEPOSIT, purpose="他项权证/保单入库",
            location={"room": "金库", "cabinet": "V01", "shelf": "1", "box": f"{n + 1}"},
        )  # fmt: skip
        if n < len(vital) - 1:  # the last deposit waits for the second archivist
            custody.confirm_movement(movement=movement, user=second)
    _lend_one(User, first, second)


def _lend_one(User, first, second) -> None:  # noqa: N803
    in_vault = ArchiveItem.objects.filter(status=ItemStatus.IN_VAULT).order_by("pk").first()
    if in_vault is None:
        return
    officer = User.objects.get(username=roles.LOAN_OFFICER)
    director = User.objects.get(username=roles.DIRECTOR)
    borrow = borrowing.request_borrowing(
        item=in_vault, user=officer, reason="核对抵押物权属信息,办理贷后检查。",
        return_by=timezone.localdate() + timedelta(days=7),
    )  # fmt: skip
    borrowing.decide_borrowing(borrow=borrow, user=director, approve=True, note="同意调阅。")
    borrowing.check_out(borrow=borrow, user=first)
    movement = VaultMovement.objects.get(borrow=borrow, status="pending")
    custody.confirm_movement(movement=movement, user=second)
