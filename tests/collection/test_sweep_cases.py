"""The sweep's collection steps: cases follow the accounts, promises are found kept or broken.

The accounts are set as the loans sweep leaves them (days past due, bucket, status) and the
steps are called directly for a business date.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from collection.models import (
    CaseStatus,
    CollectionCase,
    PromiseStatus,
    PromiseToPay,
    Recovery,
    Track,
)
from collection.sweep_cases import detect_promises, sync_cases
from loancenter.models import AuditEvent, Notification
from loans.models import LoanAccount, Repayment
from loans.sweep.registry import registered_steps
from tests.collection.builders import (
    TODAY,
    english_fixture,  # noqa: F401 (fixture)
    insure,
    make_loan,
    open_case,
    people_fixture,  # noqa: F401 (fixture)
    set_current,
    set_overdue,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = Decimal


@pytest.fixture
def loan(people):
    return make_loan(people)


def the_case(account) -> CollectionCase:
    return CollectionCase.objects.get(account=account, status=CaseStatus.OPEN)


def case_events(action):
    return AuditEvent.objects.filter(
        action=action, content_type=ContentType.objects.get_for_model(CollectionCase)
    )


def test_the_steps_are_registered_with_the_sweep():
    steps = {step.name: step for step in registered_steps()}
    assert steps["collection_cases"].run is sync_cases
    assert steps["collection_cases"].order == 10
    assert steps["collection_promises"].run is detect_promises
    assert steps["collection_promises"].order == 20


class TestOpening:
    def test_an_m1_account_gets_a_case_worked_by_its_loan_officer(self, loan, loan_officer):
        set_overdue(loan, "M1")
        figures = sync_cases(TODAY)
        case = the_case(loan)
        assert (case.bucket, case.track, case.assignee) == ("M1", Track.OFFICER, loan_officer)
        assert case.opened_on == TODAY
        assert figures["cases_opened"] == 1

    @pytest.mark.parametrize("bucket", ["M2", "M3"])
    def test_an_m2_or_m3_account_goes_to_a_collections_officer(
        self, loan, bucket, collections_officer
    ):
        set_overdue(loan, bucket)
        sync_cases(TODAY)
        case = the_case(loan)
        assert (case.track, case.assignee) == (Track.COLLECTIONS, collections_officer)

    def test_an_insured_loan_past_ninety_days_goes_to_an_insurance_claim(
        self, loan, collections_officer, loan_officer
    ):
        insure(loan, loan_officer)
        set_overdue(loan, "M3+")
        sync_cases(TODAY)
        case = the_case(loan)
        assert (case.track, case.assignee) == (Track.INSURANCE, collections_officer)

    def test_an_uninsured_loan_past_ninety_days_goes_to_legal_action(
        self, loan, collections_officer
    ):
        set_overdue(loan, "M3+")
        sync_cases(TODAY)
        assert the_case(loan).track == Track.LEGAL

    def test_a_performing_loan_gets_no_case(self, loan):
        sync_cases(TODAY)
        assert not CollectionCase.objects.exists()

    def test_new_cases_go_to_the_least_loaded_collections_officers_evenly(self, people, make_user):
        busy = make_user("busy_collector", "collections_officer")
        idle = make_user("idle_collector", "collections_officer")
        make_user("gone_collector", "collections_officer", is_active=False)
        for _n in range(2):
            open_case(set_overdue(make_loan(people), "M2"), assignee=busy, bucket="M2")
        new = [set_overdue(make_loan(people), "M2") for _n in range(4)]
        sync_cases(TODAY)
        assignees = [the_case(account).assignee for account in new]
        assert assignees.count(idle) == 3 and assignees.count(busy) == 1
        loads = {
            user.username: CollectionCase.objects.filter(assignee=user, status="open").count()
            for user in (busy, idle)
        }
        assert loads == {"busy_collector": 3, "idle_collector": 3}

    def test_ties_go_to_the_first_officer_and_the_most_overdue_loans_are_dealt_first(
        self, people, make_user
    ):
        first = make_user("collector_a", "collections_officer")
        second = make_user("collector_b", "collections_officer")
        older = set_overdue(make_loan(people), "M3", days=80)
        newer = set_overdue(make_loan(people), "M2", days=40)
        sync_cases(TODAY)
        assert the_case(older).assignee == first
        assert the_case(newer).assignee == second

    def test_without_collections_officers_the_case_waits_unassigned(self, loan):
        set_overdue(loan, "M2")
        sync_cases(TODAY)
        assert the_case(loan).assignee is None


class TestMoving:
    def test_m1_to_m2_moves_the_case_from_the_loan_officer_to_a_collections_officer(
        self, loan, loan_officer, collections_officer
    ):
        set_overdue(loan, "M1")
        sync_cases(TODAY)
        set_overdue(loan, "M2")
        figures = sync_cases(TODAY + timedelta(days=1))
        case = the_case(loan)
        assert (case.bucket, case.track, case.assignee) == (
            "M2",
            Track.COLLECTIONS,
            collections_officer,
        )
        assert figures["cases_moved"] == 1
        assert CollectionCase.objects.count() == 1

    def test_m2_to_m3_keeps_the_track_and_the_collections_officer(
        self, loan, make_user, collections_officer
    ):
        other = make_user("another_collector", "collections_officer")
        set_overdue(loan, "M3")
        open_case(loan, assignee=other, bucket="M2", track=Track.COLLECTIONS)
        sync_cases(TODAY)
        case = the_case(loan)
        assert (case.bucket, case.track, case.assignee) == ("M3", Track.COLLECTIONS, other)

    def test_past_ninety_days_the_track_changes_and_the_collections_officer_stays(
        self, loan, make_user, collections_officer
    ):
        other = make_user("another_collector", "collections_officer")
        set_overdue(loan, "M3+")
        open_case(loan, assignee=other, bucket="M3", track=Track.COLLECTIONS)
        sync_cases(TODAY)
        case = the_case(loan)
        assert (case.bucket, case.track, case.assignee) == ("M3+", Track.LEGAL, other)

    def test_back_to_m1_returns_the_case_to_the_loan_officer(
        self, loan, loan_officer, collections_officer
    ):
        set_overdue(loan, "M1")
        open_case(loan, assignee=collections_officer, bucket="M2", track=Track.COLLECTIONS)
        sync_cases(TODAY)
        case = the_case(loan)
        assert (case.track, case.assignee) == (Track.OFFICER, loan_officer)


class TestClosing:
    def test_a_cured_account_closes_its_case(self, loan, collections_officer):
        set_overdue(loan, "M2")
        sync_cases(TODAY)
        set_current(loan)
        figures = sync_cases(TODAY + timedelta(days=1))
        case = CollectionCase.objects.get(account=loan)
        assert (case.status, case.closed_on, case.close_reason) == (
            CaseStatus.CLOSED,
            TODAY + timedelta(days=1),
            "cured",
        )
        assert figures["cases_closed"] == 1

    def test_a_settled_account_closes_its_case_as_settled(self, loan, collections_officer):
        set_overdue(loan, "M2")
        sync_cases(TODAY)
        set_current(loan, status="settled")
        sync_cases(TODAY)
        assert CollectionCase.objects.get(account=loan).close_reason == "settled"

    def test_a_written_off_account_keeps_its_case_open_for_recovery(
        self, loan, collections_officer
    ):
        set_overdue(loan, "M3+", status="written_off")
        open_case(loan, assignee=collections_officer, bucket="M3+", track=Track.LEGAL)
        figures = sync_cases(TODAY)
        case = the_case(loan)
        assert case.track == Track.WRITTEN_OFF and figures["cases_written_off"] == 1
        assert CollectionCase.objects.count() == 1

    def test_an_account_overdue_again_gets_a_new_case(self, loan, collections_officer):
        set_overdue(loan, "M2")
        sync_cases(TODAY)
        set_current(loan)
        sync_cases(TODAY)
        set_overdue(loan, "M1")
        sync_cases(TODAY + timedelta(days=30))
        assert CollectionCase.objects.filter(account=loan).count() == 2
        assert the_case(loan).opened_on == TODAY + timedelta(days=30)


class TestRecordsAndRepeats:
    def test_one_system_audit_row_per_opened_and_per_closed_case(self, people, collections_officer):
        first, second = (set_overdue(make_loan(people), "M2") for _n in range(2))
        sync_cases(TODAY)
        opened = list(case_events("open_case"))
        assert len(opened) == 2
        assert {event.object_id for event in opened} == {
            str(the_case(first).pk),
            str(the_case(second).pk),
        }
        assert all(e.actor is None and e.actor_name == "system" for e in opened)
        assert opened[0].object_repr.startswith(("JJ",))
        set_current(first)
        sync_cases(TODAY)
        closed = list(case_events("close_case"))
        assert len(closed) == 1 and closed[0].to_state == CaseStatus.CLOSED

    def test_each_assignee_is_told_once_how_many_new_cases_they_got(
        self, people, loan_officer, collections_officer
    ):
        for bucket in ("M1", "M2", "M2", "M3"):
            set_overdue(make_loan(people), bucket)
        sync_cases(TODAY)
        mine = Notification.objects.get(recipient=collections_officer)
        assert mine.message.startswith("3 new collection cases")
        assert Notification.objects.get(recipient=loan_officer).message.startswith(
            "1 new collection case "
        )

    def test_running_it_twice_for_a_date_changes_nothing(
        self, people, collections_officer, loan_officer
    ):
        m1, m2, gone = (make_loan(people) for _n in range(3))
        set_overdue(m1, "M1")
        set_overdue(m2, "M3+")
        insure(m2, loan_officer)
        set_overdue(gone, "M2")
        sync_cases(TODAY)
        set_current(gone)
        sync_cases(TODAY)
        before = (
            list(CollectionCase.objects.order_by("pk").values()),
            AuditEvent.objects.count(),
            Notification.objects.count(),
        )
        figures = sync_cases(TODAY)
        after = (
            list(CollectionCase.objects.order_by("pk").values()),
            AuditEvent.objects.count(),
            Notification.objects.count(),
        )
        assert after == before
        assert figures == {
            "cases_opened": 0,
            "cases_moved": 0,
            "cases_closed": 0,
            "cases_written_off": 0,
        }

    def test_a_handful_of_statements_whatever_the_number_of_accounts(
        self, people, collections_officer
    ):
        def statements(count):
            accounts = [set_overdue(make_loan(people), "M2") for _n in range(count)]
            with CaptureQueriesContext(connection) as run:
                sync_cases(TODAY)
            for account in accounts:
                set_current(account)
            sync_cases(TODAY)
            return len(run.captured_queries)

        assert statements(1) == statements(5)
        assert statements(1) <= 12


@pytest.fixture
def promised(loan, loan_officer, collections_officer):
    """A case with 500.00 promised from ten days ago until yesterday."""
    set_overdue(loan, "M2")
    case = open_case(loan, assignee=collections_officer)
    promise = PromiseToPay.objects.create(
        case=case,
        amount=D("500.00"),
        made_on=TODAY - timedelta(days=10),
        promised_on=TODAY - timedelta(days=1),
        recorded_by=collections_officer,
    )
    return promise


def repay(account, amount, paid_on, reference):
    Repayment.objects.create(
        account=account,
        amount=amount,
        paid_on=paid_on,
        channel="counter",
        reference=reference,
        principal_part=amount,
    )


class TestPromises:
    def test_repayments_reaching_the_amount_keep_the_promise(self, promised, loan):
        repay(loan, D("200.00"), TODAY - timedelta(days=10), "R1")
        repay(loan, D("300.00"), TODAY - timedelta(days=1), "R2")
        figures = detect_promises(TODAY)
        promised.refresh_from_db()
        assert (promised.status, promised.settled_on) == (PromiseStatus.KEPT, TODAY)
        assert figures == {"promises_kept": 1, "promises_broken": 0}
        assert not Notification.objects.exists()

    def test_too_little_or_too_late_breaks_it_and_the_assignee_is_told(
        self, promised, loan, collections_officer
    ):
        repay(loan, D("499.99"), TODAY - timedelta(days=5), "R1")
        repay(loan, D("100.00"), TODAY, "R2")  # after the day promised
        repay(loan, D("100.00"), TODAY - timedelta(days=11), "R0")  # before the promise
        detect_promises(TODAY)
        promised.refresh_from_db()
        assert promised.status == PromiseStatus.BROKEN
        note = Notification.objects.get(recipient=collections_officer)
        assert loan.number in note.message and "broken" in note.message
        assert note.link.endswith(f"/collection/cases/{promised.case_id}/")

    def test_a_promise_due_today_waits_until_the_next_business_date(self, promised):
        PromiseToPay.objects.filter(pk=promised.pk).update(promised_on=TODAY)
        detect_promises(TODAY)
        promised.refresh_from_db()
        assert promised.status == PromiseStatus.PENDING

    def test_recoveries_count_on_a_written_off_loan(self, promised, loan, collections_officer):
        LoanAccount.objects.filter(pk=loan.pk).update(status="written_off")
        Recovery.objects.create(
            account=loan,
            amount=D("500.00"),
            received_on=TODAY - timedelta(days=3),
            source="borrower",
            reference="HS-1",
            recorded_by=collections_officer,
        )
        detect_promises(TODAY)
        promised.refresh_from_db()
        assert promised.status == PromiseStatus.KEPT

    def test_running_it_again_changes_nothing(self, promised):
        detect_promises(TODAY)
        assert detect_promises(TODAY) == {"promises_kept": 0, "promises_broken": 0}
        assert Notification.objects.count() == 1


def test_the_nightly_sweep_opens_the_case_of_a_loan_it_finds_overdue(loan, collections_officer):
    from loans.sweep import run_sweep

    run = run_sweep(business_date=TODAY)
    loan.refresh_from_db()
    case = the_case(loan)
    assert loan.status == "overdue" and case.bucket == loan.bucket != ""
    assert run.figures["collection_cases"]["cases_opened"] == 1
    assert "collection_promises" in run.figures
