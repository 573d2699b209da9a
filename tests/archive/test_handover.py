"""Hand-over between custodians (移交), confirmed by the receiver, and inspections (检查)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from archive.models import EventKind, Handover, HandoverStatus, Inspection
from archive.services.handover import (
    cancel_handover,
    confirm_handover,
    record_inspection,
    start_handover,
)
from loancenter.errors import DomainError, PermissionRefused
from loancenter.models import AuditEvent, Notification
from tests.archive.builders import make_item, received_item, vital_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def second(make_user):
    return make_user("archivist_b", "archivist", last_name="乙", first_name="档案")


@pytest.fixture
def mine(archivist):
    return [received_item(custodian=archivist), vital_item(custodian=archivist)]


def hand_over(user, to, items, reason="岗位调整"):
    return start_handover(user=user, to_custodian=to, items=items, reason=reason)


class TestHandover:
    def test_the_receiver_confirms_and_each_item_changes_custodian_with_its_history(
        self, archivist, second, mine, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            handover = hand_over(archivist, second, mine)
        assert handover.status == HandoverStatus.PENDING
        assert Notification.objects.filter(recipient=second).exists()
        for item in mine:
            item.refresh_from_db()
            assert item.custodian == archivist  # nothing changes before the receiver confirms

        confirm_handover(handover=handover, user=second)

        handover.refresh_from_db()
        assert handover.status == HandoverStatus.CONFIRMED and handover.confirmed_at
        for item in mine:
            item.refresh_from_db()
            assert item.custodian == second
            event = item.events.get(kind=EventKind.HANDED_OVER)
            assert (event.by, event.second_by) == (archivist, second)
        assert AuditEvent.objects.filter(action="archive_handed_over").count() == 2

    def test_only_the_receiver_confirms(self, archivist, second, mine, make_user):
        handover = hand_over(archivist, second, mine)
        for someone in (archivist, make_user("archivist_c", "archivist")):
            with pytest.raises(PermissionRefused, match="receiving custodian"):
                confirm_handover(handover=handover, user=someone)

    def test_it_refuses_items_not_in_the_givers_custody(self, archivist, second):
        theirs = received_item(custodian=second)
        gone = make_item(status="destroyed", custodian=archivist)
        with pytest.raises(DomainError, match="Not in your custody") as refused:
            hand_over(archivist, second, [theirs, gone])
        assert theirs.number in str(refused.value) and gone.number in str(refused.value)

    def test_it_refuses_a_receiver_who_is_not_another_archivist(
        self, archivist, loan_officer, mine
    ):
        with pytest.raises(DomainError, match="another archivist"):
            hand_over(archivist, archivist, mine)
        with pytest.raises(DomainError, match="not an archivist"):
            hand_over(archivist, loan_officer, mine)

    def test_it_refuses_an_empty_list_no_reason_and_a_non_archivist(
        self, archivist, second, director, mine
    ):
        with pytest.raises(DomainError, match="at least one item"):
            hand_over(archivist, second, [])
        with pytest.raises(DomainError, match="reason"):
            hand_over(archivist, second, mine, reason=" ")
        with pytest.raises(PermissionRefused):
            hand_over(director, second, mine)

    def test_an_item_is_on_one_open_hand_over_at_a_time(self, archivist, second, mine, make_user):
        hand_over(archivist, second, mine)
        with pytest.raises(DomainError, match="waiting to be confirmed"):
            hand_over(archivist, make_user("archivist_c", "archivist"), mine[:1])

    def test_an_item_that_left_meanwhile_blocks_the_confirmation(self, archivist, second, mine):
        from archive.models import ArchiveItem

        handover = hand_over(archivist, second, mine)
        ArchiveItem.objects.filter(pk=mine[0].pk).update(status="released")
        with pytest.raises(DomainError, match=mine[0].number):
            confirm_handover(handover=handover, user=second)

    def test_either_custodian_calls_it_off_and_it_cannot_be_confirmed_then(
        self, archivist, second, mine, make_user
    ):
        handover = hand_over(archivist, second, mine)
        with pytest.raises(PermissionRefused):
            cancel_handover(handover=handover, user=make_user("archivist_c", "archivist"))
        cancel_handover(handover=handover, user=second, reason="清单不符")
        with pytest.raises(DomainError, match="cancelled"):
            confirm_handover(handover=handover, user=second)

    def test_a_hand_over_is_confirmed_once(self, archivist, second, mine):
        handover = hand_over(archivist, second, mine)
        confirm_handover(handover=handover, user=second)
        with pytest.raises(DomainError, match="already confirmed"):
            confirm_handover(handover=handover, user=second)

    def test_the_database_refuses_a_hand_over_to_oneself(self, archivist):
        with pytest.raises(IntegrityError), transaction.atomic():
            Handover.objects.create(from_custodian=archivist, to_custodian=archivist, reason="x")


def inspect(user, items=(), **overrides):
    data = {
        "user": user,
        "inspected_on": timezone.localdate(),
        "scope": "金库 V01 柜",
        "findings": "账实相符",
        "problems_found": False,
        "items": list(items),
    }
    data.update(overrides)
    return record_inspection(**data)


class TestInspection:
    @pytest.mark.parametrize("role", ["archivist", "director", "auditor"])
    def test_an_archivist_director_or_auditor_records_it_with_a_line_on_each_item(
        self, role, request
    ):
        user = request.getfixturevalue(role)
        items = [received_item(), vital_item()]
        inspection = inspect(user, items, problems_found=True, findings="一份合同缺页")
        assert inspection.items.count() == 2 and inspection.problems_found
        for item in items:
            event = item.events.get(kind=EventKind.INSPECTED)
            assert event.by == user and "一份合同缺页" in event.note
        assert AuditEvent.objects.filter(action="archive_inspection").exists()

    def test_an_inspection_may_list_no_items(self, archivist):
        assert inspect(archivist).items.count() == 0

    def test_it_refuses_other_roles(self, loan_officer):
        with pytest.raises(PermissionRefused):
            inspect(loan_officer)

    def test_it_refuses_no_scope_no_findings_and_a_future_date(self, archivist):
        with pytest.raises(DomainError, match="what was inspected"):
            inspect(archivist, scope="")
        with pytest.raises(DomainError, match="what was inspected"):
            inspect(archivist, findings=" ")
        with pytest.raises(DomainError, match="on or after the day"):
            inspect(archivist, inspected_on=timezone.localdate() + timedelta(days=1))
        assert not Inspection.objects.exists()

    def test_it_refuses_items_no_longer_kept(self, archivist):
        gone = make_item(status="destroyed")
        with pytest.raises(DomainError, match=gone.number):
            inspect(archivist, [received_item(), gone])
