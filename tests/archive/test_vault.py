"""The vault under dual custody (双人管库): a vital voucher goes in or out only when a second
archivist confirms under their own login; release to the owner."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from archive.models import (
    CustodyEvent,
    EventKind,
    ItemStatus,
    MovementKind,
    MovementStatus,
    VaultMovement,
)
from archive.services.custody import (
    cancel_movement,
    confirm_movement,
    release_item,
    start_movement,
)
from loancenter.errors import DomainError, PermissionRefused, RuleViolations
from loancenter.models import AuditEvent
from tests.archive.builders import VAULT, make_item, received_item, vital_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def second(make_user):
    return make_user("archivist_b", "archivist", last_name="乙", first_name="档案")


def deposit(item, user, **overrides):
    data = {"item": item, "user": user, "kind": MovementKind.DEPOSIT, "purpose": "入库"}
    data.update(overrides)
    data.setdefault("location", VAULT)
    return start_movement(**data)


def withdraw(item, user, purpose="交还抵押人"):
    return start_movement(item=item, user=user, kind=MovementKind.WITHDRAW, purpose=purpose)


class TestDeposit:
    def test_two_archivists_put_an_expected_vital_voucher_into_the_vault(self, archivist, second):
        item = make_item(vital=True)
        movement = deposit(item, archivist)
        item.refresh_from_db()
        assert item.status == ItemStatus.EXPECTED and item.room == VAULT["room"]

        confirm_movement(movement=movement, user=second)

        item.refresh_from_db()
        movement.refresh_from_db()
        assert item.status == ItemStatus.IN_VAULT and item.received_at is not None
        assert item.custodian == archivist
        assert movement.status == MovementStatus.CONFIRMED and movement.confirmed_by == second
        event = item.events.get(kind=EventKind.DEPOSITED)
        assert (event.by, event.second_by) == (archivist, second)
        assert event.location == "金库 / V01 / 1"
        audit = AuditEvent.objects.get(action="archive_deposited")
        assert (audit.from_state, audit.to_state) == ("expected", "in_vault")

    def test_one_archivist_alone_cannot_deposit_a_vital_voucher(self, archivist):
        item = make_item(vital=True)
        movement = deposit(item, archivist)
        with pytest.raises(PermissionRefused, match="second archivist"):
            confirm_movement(movement=movement, user=archivist)
        item.refresh_from_db()
        assert item.status == ItemStatus.EXPECTED
        assert not item.events.filter(kind=EventKind.DEPOSITED).exists()

    def test_the_database_refuses_a_movement_confirmed_by_its_starter(self, archivist):
        movement = deposit(make_item(vital=True), archivist)
        with pytest.raises(IntegrityError), transaction.atomic():
            VaultMovement.objects.filter(pk=movement.pk).update(
                confirmed_by=archivist, status=MovementStatus.CONFIRMED
            )

    def test_it_refuses_anyone_but_an_archivist(self, archivist, director, second):
        item = make_item(vital=True)
        with pytest.raises(PermissionRefused):
            deposit(item, director)
        movement = deposit(item, archivist)
        with pytest.raises(PermissionRefused):
            confirm_movement(movement=movement, user=director)

    def test_it_refuses_an_item_that_is_not_a_vital_voucher(self, archivist):
        with pytest.raises(DomainError, match="not a vital voucher"):
            deposit(make_item(), archivist)

    def test_it_needs_the_place_in_the_vault_and_a_purpose(self, archivist):
        item = make_item(vital=True)
        with pytest.raises(RuleViolations):
            deposit(item, archivist, location={"room": "金库"})
        with pytest.raises(DomainError, match="Say why"):
            deposit(item, archivist, purpose="  ")
        assert not VaultMovement.objects.exists()

    def test_it_refuses_a_second_movement_while_one_waits(self, archivist, second):
        item = make_item(vital=True)
        deposit(item, archivist)
        with pytest.raises(DomainError, match="already has a vault movement"):
            deposit(item, second)

    def test_it_refuses_a_voucher_already_in_the_vault(self, archivist):
        with pytest.raises(DomainError, match="cannot be deposited"):
            deposit(vital_item(), archivist)

    def test_a_movement_is_confirmed_once(self, archivist, second, make_user):
        third = make_user("archivist_c", "archivist")
        movement = deposit(make_item(vital=True), archivist)
        confirm_movement(movement=movement, user=second)
        with pytest.raises(DomainError, match="already confirmed by"):
            confirm_movement(movement=movement, user=third)
        assert CustodyEvent.objects.filter(kind=EventKind.DEPOSITED).count() == 1


class TestCancel:
    def test_either_archivist_calls_a_deposit_off_and_the_planned_place_is_cleared(
        self, archivist, second
    ):
        item = make_item(vital=True)
        movement = deposit(item, archivist)
        cancel_movement(movement=movement, user=second, reason="原件未到")
        item.refresh_from_db()
        movement.refresh_from_db()
        assert movement.status == MovementStatus.CANCELLED
        assert item.status == ItemStatus.EXPECTED and item.location == ""
        assert AuditEvent.objects.filter(action="archive_movement_cancelled").exists()

    def test_a_cancelled_movement_cannot_be_confirmed(self, archivist, second):
        movement = deposit(make_item(vital=True), archivist)
        cancel_movement(movement=movement, user=archivist)
        with pytest.raises(DomainError, match="cancelled"):
            confirm_movement(movement=movement, user=second)

    def test_only_an_archivist_calls_a_movement_off(self, archivist, auditor):
        movement = deposit(make_item(vital=True), archivist)
        with pytest.raises(PermissionRefused):
            cancel_movement(movement=movement, user=auditor)


class TestReleaseAndWithdrawal:
    def test_one_archivist_alone_cannot_take_a_vital_voucher_out(self, archivist):
        item = vital_item(custodian=archivist)
        movement = release_item(item=item, user=archivist, reason="抵押已注销，交还抵押人")
        assert movement.kind == MovementKind.WITHDRAW
        item.refresh_from_db()
        assert item.status == ItemStatus.IN_VAULT
        with pytest.raises(PermissionRefused):
            confirm_movement(movement=movement, user=archivist)
        item.refresh_from_db()
        assert item.status == ItemStatus.IN_VAULT

    def test_a_second_archivist_confirms_and_the_voucher_is_released(self, archivist, second):
        item = vital_item()
        movement = release_item(item=item, user=archivist, reason="抵押已注销，交还抵押人")
        confirm_movement(movement=movement, user=second)
        item.refresh_from_db()
        assert item.status == ItemStatus.RELEASED
        assert item.gone_reason == "抵押已注销，交还抵押人"
        event = item.events.get(kind=EventKind.RELEASED)
        assert (event.by, event.second_by) == (archivist, second)

    def test_an_item_on_the_shelf_is_released_by_one_archivist(self, archivist):
        item = received_item()
        assert release_item(item=item, user=archivist, reason="复印件退还客户") is None
        item.refresh_from_db()
        assert item.status == ItemStatus.RELEASED
        assert item.events.filter(kind=EventKind.RELEASED, by=archivist).exists()

    def test_it_refuses_a_release_without_a_reason_or_of_an_item_not_kept(self, archivist):
        with pytest.raises(DomainError, match="Say why"):
            release_item(item=received_item(), user=archivist, reason="")
        with pytest.raises(DomainError, match="cannot be released"):
            release_item(item=received_item(status="destroyed"), user=archivist, reason="x")

    def test_a_withdrawal_without_a_borrowing_is_a_release(self, archivist, second):
        item = vital_item()
        confirm_movement(movement=withdraw(item, archivist), user=second)
        item.refresh_from_db()
        assert item.status == ItemStatus.RELEASED

    def test_it_refuses_to_withdraw_a_voucher_not_in_the_vault(self, archivist):
        with pytest.raises(DomainError, match="cannot be taken out of the vault"):
            withdraw(make_item(vital=True), archivist)


class TestReleaseWhileSecured:
    @pytest.fixture
    def account(
        self, origination, loan_officer, investigator, reviewer, approver, disbursement_supervisor
    ):
        from tests.servicing import consumer_account

        return consumer_account(
            loan_officer, investigator, reviewer, approver, disbursement_supervisor
        )

    def test_it_refuses_to_release_the_certificate_of_a_loan_not_settled(self, account, archivist):
        item = vital_item(account=account)
        with pytest.raises(DomainError, match="only after its loan is settled"):
            release_item(item=item, user=archivist, reason="客户要求")
        assert not VaultMovement.objects.exists()

    def test_it_releases_the_certificate_once_the_loan_is_settled(self, account, archivist, second):
        from loans.models import AccountStatus, LoanAccount

        item = vital_item(account=account)
        LoanAccount.objects.filter(pk=account.pk).update(status=AccountStatus.SETTLED)
        confirm_movement(
            movement=release_item(item=item, user=archivist, reason="贷款结清，交还抵押人"),
            user=second,
        )
        item.refresh_from_db()
        assert item.status == ItemStatus.RELEASED
