"""The destruction batch (销毁): an archivist lists due items, the director approves, a witness
(监销) checks each item against the list and confirms; the items are marked destroyed, never
deleted. Every refusal of the services is here."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override
from django_fsm import can_proceed

from archive.models import (
    ArchiveItem,
    BatchStatus,
    BorrowRequest,
    BorrowStatus,
    CustodyEvent,
    DestructionBatch,
    DestructionLine,
    EventKind,
    ItemStatus,
)
from archive.services.retention import (
    check_line,
    complete_destruction,
    decide_batch,
    prepare_batch,
    submit_batch,
)
from loancenter import audit, roles
from loancenter.errors import DomainError, PermissionRefused, SeparationOfDutiesError
from loancenter.models import Notification
from tests.archive.builders import make_item, received_item, vital_item

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PAST = TODAY - timedelta(days=30)


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


@pytest.fixture
def due(db):
    return [received_item(retain_until=PAST - timedelta(days=n)) for n in range(2)]


@pytest.fixture
def witness(make_user):
    return make_user("second_archivist", roles.ARCHIVIST)


@pytest.fixture
def draft(archivist, due):
    return prepare_batch(user=archivist, items=due)


@pytest.fixture
def pending(draft, archivist):
    return submit_batch(batch=draft, user=archivist)


@pytest.fixture
def approved(pending, director):
    return decide_batch(batch=pending, user=director, approve=True, opinion="已过保管期限,同意销毁")


@pytest.fixture
def checked(approved, witness):
    for line in approved.lines.all():
        check_line(line=line, user=witness)
    approved.refresh_from_db()
    return approved


def status_of(item):
    return ArchiveItem.objects.values_list("status", flat=True).get(pk=item.pk)


def borrow_meanwhile(item):
    ArchiveItem.objects.filter(pk=item.pk).update(status=ItemStatus.ON_LOAN)


def ask_for(item, user, *, status=BorrowStatus.PENDING, return_by=TODAY + timedelta(days=7)):
    return BorrowRequest.objects.create(
        item=item, requested_by=user, reason="核对原件", return_by=return_by, status=status
    )


class TestPreparing:
    def test_an_archivist_lists_due_items_in_a_numbered_draft(self, archivist, due):
        batch = prepare_batch(user=archivist, items=due)

        assert batch.status == BatchStatus.DRAFT and batch.prepared_by == archivist
        assert batch.number.startswith(f"XH{TODAY.year}") and len(batch.number) == 12
        assert set(batch.lines.values_list("item_id", flat=True)) == {item.pk for item in due}
        event = audit.events_for(batch).get()
        assert event.action == "prepare_destruction" and due[0].number in event.opinion

    def test_item_ids_are_accepted_as_well_as_items(self, archivist, due):
        batch = prepare_batch(user=archivist, items=[item.pk for item in due])
        assert batch.lines.count() == 2

    def test_it_refuses_anyone_but_an_archivist(self, director, due):
        with pytest.raises(PermissionRefused):
            prepare_batch(user=director, items=due)

    def test_it_refuses_an_empty_list(self, archivist):
        with pytest.raises(DomainError, match="Choose the items"):
            prepare_batch(user=archivist, items=[])
        assert not DestructionBatch.objects.exists()

    def test_it_refuses_an_item_that_does_not_exist(self, archivist, due):
        with pytest.raises(DomainError, match="no longer exist"):
            prepare_batch(user=archivist, items=[due[0].pk, 987654])

    def test_it_refuses_a_vital_voucher(self, archivist, due):
        voucher = vital_item(retain_until=PAST)
        with pytest.raises(DomainError, match="vital voucher"):
            prepare_batch(user=archivist, items=[*due, voucher])
        assert not DestructionBatch.objects.exists()

    def test_it_refuses_an_item_still_within_its_retention(self, archivist):
        for retain_until, text in ((TODAY, "kept until"), (None, "not yet set")):
            item = received_item(retain_until=retain_until)
            with pytest.raises(DomainError, match=text):
                prepare_batch(user=archivist, items=[item])

    def test_it_refuses_a_borrowed_item(self, archivist):
        item = received_item(retain_until=PAST, status="on_loan")
        with pytest.raises(DomainError, match="borrowed"):
            prepare_batch(user=archivist, items=[item])

    def test_it_refuses_an_item_someone_has_asked_to_borrow(self, archivist, loan_officer, due):
        ask_for(due[0], loan_officer, status=BorrowStatus.APPROVED)
        with pytest.raises(DomainError, match=f"{due[0].number} is asked for by"):
            prepare_batch(user=archivist, items=due)

    def test_an_approved_borrowing_past_its_return_date_does_not_hold_the_item(
        self, archivist, loan_officer, due
    ):
        ask_for(due[0], loan_officer, status=BorrowStatus.APPROVED, return_by=TODAY - timedelta(1))
        ask_for(due[1], loan_officer, status=BorrowStatus.REJECTED)
        assert prepare_batch(user=archivist, items=due).lines.count() == 2

    def test_it_refuses_an_item_not_on_the_shelf(self, archivist):
        for status in ("expected", "destroyed"):
            item = make_item(retain_until=PAST, status=status)
            with pytest.raises(DomainError, match="only items kept on the shelf"):
                prepare_batch(user=archivist, items=[item])

    def test_it_refuses_an_item_already_on_an_open_list(self, archivist, draft, due):
        with pytest.raises(DomainError, match=f"already on destruction list {draft.number}"):
            prepare_batch(user=archivist, items=[due[0]])

    def test_items_of_a_rejected_list_may_be_listed_again(self, archivist, pending, director, due):
        decide_batch(batch=pending, user=director, approve=False, opinion="请补充核对")

        again = prepare_batch(user=archivist, items=due)

        assert again.lines.count() == 2 and again.number != pending.number


class TestSubmitting:
    def test_the_draft_goes_to_the_director_who_is_told(
        self, draft, archivist, director, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            submit_batch(batch=draft, user=archivist)

        draft.refresh_from_db()
        assert draft.status == BatchStatus.PENDING_APPROVAL
        note = Notification.objects.get(recipient=director)
        assert draft.number in note.message and str(draft.pk) in note.link

    def test_it_refuses_anyone_but_an_archivist(self, draft, auditor):
        with pytest.raises(PermissionRefused):
            submit_batch(batch=draft, user=auditor)

    def test_it_refuses_a_list_already_submitted(self, pending, archivist):
        with pytest.raises(DomainError, match="cannot be submitted now"):
            submit_batch(batch=pending, user=archivist)

    def test_it_refuses_a_list_whose_item_was_borrowed_meanwhile(self, draft, archivist, due):
        borrow_meanwhile(due[1])
        with pytest.raises(DomainError, match=f"{due[1].number} is borrowed"):
            submit_batch(batch=draft, user=archivist)


class TestTheDirectorsDecision:
    def test_the_director_approves_with_reasons(
        self, pending, director, archivist, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            decide_batch(batch=pending, user=director, approve=True, opinion="同意销毁")

        pending.refresh_from_db()
        assert pending.status == BatchStatus.APPROVED
        assert pending.approved_by == director and pending.approved_at is not None
        assert pending.approval_opinion == "同意销毁"
        note = Notification.objects.get(recipient=archivist)
        assert pending.number in note.message and str(pending.pk) in note.link

    def test_the_director_rejects_with_reasons(self, pending, director):
        decide_batch(batch=pending, user=director, approve=False, opinion="清单有误")

        pending.refresh_from_db()
        assert pending.status == BatchStatus.REJECTED and pending.approval_opinion == "清单有误"

    def test_it_refuses_anyone_but_the_director(self, pending, approver, archivist):
        for user in (approver, archivist):
            with pytest.raises(PermissionRefused):
                decide_batch(batch=pending, user=user, approve=True, opinion="同意")

    def test_it_refuses_a_decision_without_reasons(self, pending, director):
        with pytest.raises(DomainError, match="reasons in writing"):
            decide_batch(batch=pending, user=director, approve=True, opinion="  ")

    def test_it_refuses_the_director_who_prepared_the_list(self, make_user, due):
        both = make_user("archivist_director", roles.ARCHIVIST, roles.DIRECTOR)
        batch = submit_batch(batch=prepare_batch(user=both, items=due), user=both)
        with pytest.raises(SeparationOfDutiesError):
            decide_batch(batch=batch, user=both, approve=True, opinion="同意")

    def test_it_refuses_a_list_not_sent_for_approval(self, draft, approved, director):
        for batch in (draft, approved):
            with pytest.raises(DomainError, match="cannot be decided now"):
                decide_batch(batch=batch, user=director, approve=True, opinion="同意")


class TestTheWitness:
    def test_the_first_to_check_an_item_becomes_the_witness(self, approved, witness):
        line = approved.lines.first()

        check_line(line=line, user=witness)

        approved.refresh_from_db()
        line.refresh_from_db()
        assert approved.witness == witness
        assert line.checked_by_witness and line.checked_at is not None

    def test_an_auditor_may_be_the_witness(self, approved, auditor):
        check_line(line=approved.lines.first(), user=auditor)
        approved.refresh_from_db()
        assert approved.witness == auditor

    def test_only_the_witness_may_check_the_other_items(self, approved, witness, auditor):
        first, second = approved.lines.all()
        check_line(line=first, user=witness)

        with pytest.raises(PermissionRefused, match="is the witness"):
            check_line(line=second, user=auditor)

    def test_checking_an_item_twice_changes_nothing(self, approved, witness):
        line = approved.lines.first()
        check_line(line=line, user=witness)
        at = DestructionLine.objects.get(pk=line.pk).checked_at

        check_line(line=line, user=witness)

        assert DestructionLine.objects.get(pk=line.pk).checked_at == at

    def test_it_refuses_the_one_who_prepared_the_list(self, approved, archivist):
        with pytest.raises(SeparationOfDutiesError):
            check_line(line=approved.lines.first(), user=archivist)

    def test_it_refuses_the_director_who_approved_it(self, make_user, pending):
        director = make_user("director_auditor", roles.DIRECTOR, roles.AUDITOR)
        decide_batch(batch=pending, user=director, approve=True, opinion="同意")
        with pytest.raises(SeparationOfDutiesError):
            check_line(line=pending.lines.first(), user=director)

    def test_it_refuses_staff_who_are_neither_archivist_nor_auditor(self, approved, loan_officer):
        with pytest.raises(PermissionRefused, match="archivist or an auditor"):
            check_line(line=approved.lines.first(), user=loan_officer)

    def test_it_refuses_a_list_not_approved(self, pending, witness):
        with pytest.raises(DomainError, match="only a list the director approved"):
            check_line(line=pending.lines.first(), user=witness)

    def test_it_refuses_an_item_borrowed_meanwhile(self, approved, witness, due):
        borrow_meanwhile(due[0])
        line = approved.lines.get(item=due[0])
        with pytest.raises(DomainError, match="borrowed"):
            check_line(line=line, user=witness)
        approved.refresh_from_db()
        assert approved.witness is None


class TestDestroying:
    def test_the_witness_confirms_and_each_item_is_marked_destroyed(self, checked, witness, due):
        complete_destruction(batch=checked, user=witness, method="碎纸机粉碎")

        checked.refresh_from_db()
        assert checked.status == BatchStatus.DESTROYED
        assert checked.method == "碎纸机粉碎" and checked.destroyed_at is not None
        for item in due:
            item.refresh_from_db()
            assert item.status == ItemStatus.DESTROYED
            assert checked.number in item.gone_reason
            event = item.events.get(kind=EventKind.DESTROYED)
            assert event.by == witness and "碎纸机粉碎" in event.note
            row = audit.events_for(item).get(action="archive_destroyed")
            assert (row.from_state, row.to_state) == ("in_custody", "destroyed")

    def test_nothing_is_deleted(self, checked, witness, due):
        before = ArchiveItem.objects.count(), CustodyEvent.objects.count()

        complete_destruction(batch=checked, user=witness, method="碎纸机粉碎")

        assert ArchiveItem.objects.count() == before[0]
        assert CustodyEvent.objects.count() == before[1] + len(due)
        assert DestructionLine.objects.filter(batch=checked).count() == len(due)

    def test_a_destroyed_item_cannot_be_borrowed(self, checked, witness, due):
        complete_destruction(batch=checked, user=witness, method="碎纸机粉碎")
        item = ArchiveItem.objects.get(pk=due[0].pk)
        assert not can_proceed(item.check_out)

    def test_an_unapproved_batch_cannot_be_destroyed(self, draft, archivist, witness, director):
        with pytest.raises(DomainError, match="only a list the director approved"):
            complete_destruction(batch=draft, user=witness, method="碎纸机粉碎")
        pending = submit_batch(batch=draft, user=archivist)
        with pytest.raises(DomainError, match="only a list the director approved"):
            complete_destruction(batch=pending, user=witness, method="碎纸机粉碎")
        decide_batch(batch=pending, user=director, approve=False, opinion="不同意")
        with pytest.raises(DomainError, match="only a list the director approved"):
            complete_destruction(batch=pending, user=witness, method="碎纸机粉碎")
        assert not ArchiveItem.objects.filter(status=ItemStatus.DESTROYED).exists()

    def test_a_line_not_checked_blocks_completion(self, approved, witness, due):
        check_line(line=approved.lines.get(item=due[0]), user=witness)

        with pytest.raises(DomainError, match=f"Not yet checked against the list: {due[1].number}"):
            complete_destruction(batch=approved, user=witness, method="碎纸机粉碎")
        assert status_of(due[0]) == ItemStatus.IN_CUSTODY

    def test_no_item_checked_blocks_completion(self, approved, witness):
        with pytest.raises(DomainError, match="Not yet checked"):
            complete_destruction(batch=approved, user=witness, method="碎纸机粉碎")

    def test_an_item_borrowed_meanwhile_blocks_completion(self, checked, witness, due):
        borrow_meanwhile(due[1])

        with pytest.raises(DomainError, match=f"{due[1].number} is borrowed"):
            complete_destruction(batch=checked, user=witness, method="碎纸机粉碎")
        assert status_of(due[0]) == ItemStatus.IN_CUSTODY
        checked.refresh_from_db()
        assert checked.status == BatchStatus.APPROVED

    def test_an_item_asked_for_meanwhile_blocks_completion(
        self, checked, witness, loan_officer, due
    ):
        ask_for(due[0], loan_officer)

        with pytest.raises(DomainError, match=f"{due[0].number} is asked for by"):
            complete_destruction(batch=checked, user=witness, method="碎纸机粉碎")
        assert status_of(due[0]) == ItemStatus.IN_CUSTODY

    def test_it_refuses_without_the_method_of_destruction(self, checked, witness):
        with pytest.raises(DomainError, match="how the papers were destroyed"):
            complete_destruction(batch=checked, user=witness, method=" ")

    def test_only_the_witness_confirms(self, checked, auditor, archivist):
        with pytest.raises(PermissionRefused, match="is the witness"):
            complete_destruction(batch=checked, user=auditor, method="碎纸机粉碎")
        with pytest.raises(SeparationOfDutiesError):
            complete_destruction(batch=checked, user=archivist, method="碎纸机粉碎")

    def test_a_destroyed_batch_cannot_be_destroyed_again(self, checked, witness):
        complete_destruction(batch=checked, user=witness, method="碎纸机粉碎")
        with pytest.raises(DomainError, match="only a list the director approved"):
            complete_destruction(batch=checked, user=witness, method="焚烧")
