"""Borrowing (调阅): asked with a reason and a return date, approved by the director for a vital
voucher and by an archivist otherwise (never the requester), handed out and taken back; a vital
voucher leaves and re-enters the vault only with a second archivist."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from archive.models import BorrowRequest, BorrowStatus, EventKind, ItemStatus, MovementKind
from archive.services.borrowing import (
    check_out,
    decide_borrowing,
    request_borrowing,
    return_item,
)
from archive.services.custody import confirm_movement
from loancenter.errors import (
    DomainError,
    PermissionRefused,
    RuleViolations,
    SeparationOfDutiesError,
)
from loancenter.models import AuditEvent, Notification
from tests.archive.builders import make_dossier, make_item, received_item, vital_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def second(make_user):
    return make_user("archivist_b", "archivist", last_name="乙", first_name="档案")


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


def ask(item, user, *, reason="贷后检查需要核对原件", days=7):
    return request_borrowing(item=item, user=user, reason=reason, return_by=in_days(days))


class TestRequest:
    def test_an_archive_user_asks_and_the_archivists_are_told(
        self, archivist, auditor, django_capture_on_commit_callbacks
    ):
        item = received_item()
        with django_capture_on_commit_callbacks(execute=True):
            borrow = ask(item, auditor)
        assert borrow.status == BorrowStatus.PENDING and borrow.requested_by == auditor
        assert Notification.objects.filter(recipient=archivist).exists()
        assert AuditEvent.objects.filter(action="archive_borrow_requested").exists()

    def test_the_director_is_told_of_a_vital_voucher(
        self, director, auditor, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            ask(vital_item(), auditor)
        assert Notification.objects.filter(recipient=director).exists()

    def test_it_refuses_no_reason_and_a_return_date_out_of_range(self, auditor):
        item = received_item()
        with pytest.raises(RuleViolations) as refused:
            request_borrowing(item=item, user=auditor, reason=" ", return_by=in_days(31))
        assert len(refused.value.messages) == 2
        with pytest.raises(RuleViolations, match="between today and 30 days"):
            ask(item, auditor, days=-1)
        ask(item, auditor, days=30)

    @pytest.mark.parametrize("status", ["destroyed", "released", "expected"])
    def test_an_item_not_kept_cannot_be_borrowed(self, auditor, status):
        item = make_item(status=status)
        with pytest.raises(DomainError, match="cannot be borrowed"):
            ask(item, auditor)
        assert not BorrowRequest.objects.exists()

    def test_it_refuses_a_second_open_borrowing_of_an_item(self, auditor, director):
        item = received_item()
        ask(item, auditor)
        with pytest.raises(DomainError, match="already asked for"):
            ask(item, director)

    def test_it_refuses_someone_who_may_not_see_the_item(self, other_officer):
        with pytest.raises(PermissionRefused):
            ask(received_item(), other_officer)

    def test_a_loan_officer_borrows_a_paper_of_their_own_customer(self, loan_officer):
        item = received_item(dossier=make_dossier(officer=loan_officer))
        assert ask(item, loan_officer).status == BorrowStatus.PENDING


class TestDecision:
    def test_an_archivist_approves_an_ordinary_item_and_the_requester_is_told(
        self, archivist, auditor, django_capture_on_commit_callbacks
    ):
        borrow = ask(received_item(), auditor)
        with django_capture_on_commit_callbacks(execute=True):
            decide_borrowing(borrow=borrow, user=archivist, approve=True, note="")
        borrow.refresh_from_db()
        assert borrow.status == BorrowStatus.APPROVED and borrow.decided_by == archivist
        assert Notification.objects.filter(recipient=auditor).exists()

    def test_the_director_not_an_archivist_approves_a_vital_voucher(
        self, archivist, director, auditor
    ):
        borrow = ask(vital_item(), auditor)
        with pytest.raises(PermissionRefused, match="director"):
            decide_borrowing(borrow=borrow, user=archivist, approve=True)
        decide_borrowing(borrow=borrow, user=director, approve=True)
        borrow.refresh_from_db()
        assert borrow.status == BorrowStatus.APPROVED and borrow.decided_by == director

    def test_the_director_does_not_approve_an_ordinary_item(self, director, auditor):
        borrow = ask(received_item(), auditor)
        with pytest.raises(PermissionRefused):
            decide_borrowing(borrow=borrow, user=director, approve=True)

    def test_the_requester_cannot_approve_their_own_borrowing(self, archivist, make_user):
        borrow = ask(vital_item(), make_user("director_b", "director", "archivist"))
        with pytest.raises(SeparationOfDutiesError):
            decide_borrowing(borrow=borrow, user=borrow.requested_by, approve=True)
        own = ask(received_item(), archivist)
        with pytest.raises(SeparationOfDutiesError):
            decide_borrowing(borrow=own, user=archivist, approve=True)

    def test_a_refusal_needs_its_reason(self, archivist, auditor):
        borrow = ask(received_item(), auditor)
        with pytest.raises(DomainError, match="reason for refusing"):
            decide_borrowing(borrow=borrow, user=archivist, approve=False, note="")
        decide_borrowing(borrow=borrow, user=archivist, approve=False, note="无调阅必要")
        borrow.refresh_from_db()
        assert borrow.status == BorrowStatus.REJECTED
        assert ask(borrow.item, auditor).status == BorrowStatus.PENDING  # may ask again

    def test_a_borrowing_is_decided_once(self, archivist, second, auditor):
        borrow = ask(received_item(), auditor)
        decide_borrowing(borrow=borrow, user=archivist, approve=True)
        with pytest.raises(DomainError, match="decided by"):
            decide_borrowing(borrow=borrow, user=second, approve=False, note="不同意")

    def test_an_item_destroyed_meanwhile_cannot_be_lent(self, archivist, auditor):
        from archive.models import ArchiveItem

        borrow = ask(received_item(), auditor)
        ArchiveItem.objects.filter(pk=borrow.item_id).update(status=ItemStatus.DESTROYED)
        with pytest.raises(DomainError, match="cannot be borrowed"):
            decide_borrowing(borrow=borrow, user=archivist, approve=True)


def approved(item, requester, decider):
    borrow = ask(item, requester)
    decide_borrowing(borrow=borrow, user=decider, approve=True)
    borrow.refresh_from_db()
    return borrow


class TestOrdinaryItem:
    def test_handed_out_and_taken_back_with_its_history(self, archivist, second, auditor):
        item = received_item()
        borrow = approved(item, auditor, archivist)
        check_out(borrow=borrow, user=second)
        borrow.refresh_from_db()
        item.refresh_from_db()
        assert borrow.status == BorrowStatus.OUT and borrow.checked_out_by == second
        assert item.status == ItemStatus.ON_LOAN

        return_item(borrow=borrow, user=archivist)
        borrow.refresh_from_db()
        item.refresh_from_db()
        assert borrow.status == BorrowStatus.RETURNED and borrow.returned_to == archivist
        assert item.status == ItemStatus.IN_CUSTODY
        kinds = list(item.events.values_list("kind", flat=True))
        assert kinds[-2:] == [EventKind.BORROWED, EventKind.RETURNED]
        states = AuditEvent.objects.filter(action__in=["archive_borrowed", "archive_returned"])
        assert [(a.from_state, a.to_state) for a in states.order_by("pk")] == [
            ("in_custody", "on_loan"),
            ("on_loan", "in_custody"),
        ]

    def test_it_refuses_to_hand_out_a_borrowing_not_approved(self, archivist, auditor):
        borrow = ask(received_item(), auditor)
        with pytest.raises(DomainError, match="cannot be handed out"):
            check_out(borrow=borrow, user=archivist)

    def test_it_refuses_to_hand_out_after_the_return_date(self, archivist, auditor):
        borrow = approved(received_item(), auditor, archivist)
        BorrowRequest.objects.filter(pk=borrow.pk).update(return_by=in_days(-1))
        borrow.refresh_from_db()
        with pytest.raises(DomainError, match="has passed"):
            check_out(borrow=borrow, user=archivist)

    def test_only_an_archivist_hands_out_and_takes_back(self, archivist, auditor, director):
        borrow = approved(received_item(), auditor, archivist)
        with pytest.raises(PermissionRefused):
            check_out(borrow=borrow, user=director)
        check_out(borrow=borrow, user=archivist)
        with pytest.raises(PermissionRefused):
            return_item(borrow=borrow, user=director)

    def test_it_refuses_to_take_back_a_borrowing_not_out(self, archivist, auditor):
        borrow = approved(received_item(), auditor, archivist)
        with pytest.raises(DomainError, match="cannot be returned"):
            return_item(borrow=borrow, user=archivist)


class TestVitalVoucher:
    def test_it_leaves_and_returns_only_with_a_second_archivist(
        self, archivist, second, director, auditor
    ):
        item = vital_item()
        borrow = approved(item, auditor, director)

        check_out(borrow=borrow, user=archivist)
        borrow.refresh_from_db()
        item.refresh_from_db()
        assert borrow.status == BorrowStatus.APPROVED and item.status == ItemStatus.IN_VAULT
        movement = borrow.movements.get()
        assert movement.kind == MovementKind.WITHDRAW
        with pytest.raises(PermissionRefused):
            confirm_movement(movement=movement, user=archivist)
        confirm_movement(movement=movement, user=second)
        borrow.refresh_from_db()
        item.refresh_from_db()
        assert borrow.status == BorrowStatus.OUT and item.status == ItemStatus.ON_LOAN
        assert borrow.checked_out_by == archivist

        return_item(borrow=borrow, user=second)
        borrow.refresh_from_db()
        assert borrow.status == BorrowStatus.OUT  # not back until a second archivist confirms
        deposit = borrow.movements.get(kind=MovementKind.DEPOSIT)
        with pytest.raises(PermissionRefused):
            confirm_movement(movement=deposit, user=second)
        confirm_movement(movement=deposit, user=archivist)
        borrow.refresh_from_db()
        item.refresh_from_db()
        assert borrow.status == BorrowStatus.RETURNED and borrow.returned_to == second
        assert item.status == ItemStatus.IN_VAULT
        kinds = list(item.events.values_list("kind", flat=True))
        assert kinds[-4:] == [
            EventKind.WITHDRAWN,
            EventKind.BORROWED,
            EventKind.RETURNED,
            EventKind.DEPOSITED,
        ]
        withdrawn = item.events.get(kind=EventKind.WITHDRAWN)
        assert (withdrawn.by, withdrawn.second_by) == (archivist, second)

    def test_a_second_check_out_while_the_withdrawal_waits_is_refused(
        self, archivist, second, director, auditor
    ):
        borrow = approved(vital_item(), auditor, director)
        check_out(borrow=borrow, user=archivist)
        with pytest.raises(DomainError, match="already has a vault movement"):
            check_out(borrow=borrow, user=second)
