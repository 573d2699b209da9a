"""Post-loan checks: the sweep step, recording a check, and the daily reminder."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django_celery_beat.models import PeriodicTask

from applications.models import LoanProduct
from collection.models import CheckSchedule, PostLoanCheck
from collection.services_checks import record_check
from collection.sweep_checks import ensure_checks
from collection.tasks import remind_overdue_checks
from loancenter.errors import DomainError, PermissionRefused, RuleViolations
from loancenter.models import AuditEvent, Notification
from loancenter.repayment import add_months
from loans.models import LoanAccount
from loans.sweep.registry import registered_steps
from tests.servicing import consumer_account

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
VALUE_DATE = TODAY - timedelta(days=100)


@pytest.fixture(autouse=True)
def _defaults(origination):
    pass


@pytest.fixture(autouse=True)
def _english():
    """Refusals are matched on their English text, whatever the catalogue says."""
    with translation.override("en"):
        yield


def business_account(officer, investigator, reviewer, approver, supervisor, **changes):
    """A disbursed loan moved onto the business product, which has a check schedule."""
    account = consumer_account(
        officer, investigator, reviewer, approver, supervisor, value_date=VALUE_DATE
    )
    LoanAccount.objects.filter(pk=account.pk).update(
        product=LoanProduct.objects.get(code="BUSINESS"), **changes
    )
    account.refresh_from_db()
    return account


@pytest.fixture
def account(loan_officer, investigator, reviewer, approver, disbursement_supervisor):
    return business_account(loan_officer, investigator, reviewer, approver, disbursement_supervisor)


@pytest.fixture
def check(account):
    ensure_checks(TODAY)
    return PostLoanCheck.objects.get(account=account)


def record(check, user, **overrides):
    data = {
        "findings": "经营正常,库存充足,资金用途与合同一致。",
        "risk_signals": [],
        "conclusion": "normal",
        "done_on": TODAY,
    }
    data.update(overrides)
    return record_check(check=check, user=user, **data)


# --- the sweep step ---------------------------------------------------------------------------


def test_the_step_is_registered_with_the_sweep():
    step = next(step for step in registered_steps() if step.name == "post_loan_checks")
    assert (step.run, step.order) == (ensure_checks, 30)


def test_the_sweep_gives_each_open_scheduled_loan_its_first_check(account):
    assert ensure_checks(TODAY) == {"post_loan_checks_created": 1}
    check = PostLoanCheck.objects.get(account=account)
    assert (check.sequence, check.due_on) == (1, VALUE_DATE + timedelta(days=30))
    assert check.done_on is None


def test_running_the_sweep_twice_creates_nothing_new(account):
    ensure_checks(TODAY)
    assert ensure_checks(TODAY) == {"post_loan_checks_created": 0}
    assert ensure_checks(TODAY + timedelta(days=1)) == {"post_loan_checks_created": 0}
    assert PostLoanCheck.objects.count() == 1


def test_the_sweep_follows_the_schedule_edited_in_the_admin(account):
    CheckSchedule.objects.filter(product=account.product).update(first_within_days=15)
    ensure_checks(TODAY)
    assert PostLoanCheck.objects.get().due_on == VALUE_DATE + timedelta(days=15)


def test_the_sweep_skips_closed_loans_and_products_without_a_schedule(
    loan_officer, investigator, reviewer, approver, disbursement_supervisor
):
    people = (loan_officer, investigator, reviewer, approver, disbursement_supervisor)
    consumer_account(*people, value_date=VALUE_DATE)  # no schedule for consumer loans
    business_account(*people, status="settled")
    business_account(*people, status="written_off")
    overdue = business_account(*people, status="overdue")
    assert ensure_checks(TODAY) == {"post_loan_checks_created": 1}
    assert PostLoanCheck.objects.get().account == overdue


def test_the_sweep_skips_products_whose_schedule_is_not_in_force(account):
    CheckSchedule.objects.filter(product=account.product).update(is_active=False)
    assert ensure_checks(TODAY) == {"post_loan_checks_created": 0}


def test_the_sweep_makes_the_same_queries_for_one_loan_or_many(
    loan_officer,
    investigator,
    reviewer,
    approver,
    disbursement_supervisor,
    django_assert_num_queries,
):
    people = (loan_officer, investigator, reviewer, approver, disbursement_supervisor)
    business_account(*people)
    with django_assert_num_queries(2) as one:  # one SELECT, one INSERT
        ensure_checks(TODAY)
    PostLoanCheck.objects.all().delete()
    business_account(*people)
    business_account(*people)
    with django_assert_num_queries(len(one.captured_queries)):
        ensure_checks(TODAY)
    assert PostLoanCheck.objects.count() == 3


# --- recording a check ------------------------------------------------------------------------


def test_the_officer_records_a_check_and_the_next_one_is_scheduled(check, loan_officer):
    done = record(check, loan_officer, risk_signals=["business_decline"], conclusion="watch")
    done.refresh_from_db()
    assert (done.done_on, done.done_by, done.conclusion) == (TODAY, loan_officer, "watch")
    assert done.risk_signals == ["business_decline"]
    upcoming = PostLoanCheck.objects.get(account=check.account, sequence=2)
    assert upcoming.due_on == add_months(check.due_on, 3)
    event = AuditEvent.objects.get(action="record_check")
    assert event.actor == loan_officer and "经营正常" in event.opinion
    check.account.refresh_from_db()
    assert not check.account.needs_review


def test_the_next_check_follows_the_schedule_interval(check, loan_officer):
    CheckSchedule.objects.filter(product=check.account.product).update(every_months=6)
    record(check, loan_officer)
    upcoming = PostLoanCheck.objects.get(sequence=2)
    assert upcoming.due_on == add_months(check.due_on, 6)


def test_a_risk_found_flags_the_loan_and_tells_the_reviewers(
    check, loan_officer, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record(check, loan_officer, risk_signals=["funds_misused", "litigation"], conclusion="risk")
    account = LoanAccount.objects.get(pk=check.account_id)
    assert account.needs_review
    assert "#1" in account.review_reason
    assert AuditEvent.objects.filter(action="flag_for_review", object_id=str(account.pk)).exists()
    note = Notification.objects.get(recipient=reviewer)
    assert account.number in note.message


def test_no_next_check_is_scheduled_once_the_loan_is_closed(check, loan_officer):
    record(check, loan_officer)
    second = PostLoanCheck.objects.get(sequence=2)
    LoanAccount.objects.filter(pk=check.account_id).update(status="settled")
    record(second, loan_officer, done_on=TODAY)
    assert not PostLoanCheck.objects.filter(sequence=3).exists()


def test_it_refuses_another_officer(check, other_officer):
    with pytest.raises(PermissionRefused):
        record(check, other_officer)


def test_it_refuses_someone_who_is_not_a_loan_officer(check, director):
    with pytest.raises(PermissionRefused):
        record(check, director)


def test_it_refuses_recording_a_check_twice(check, loan_officer):
    record(check, loan_officer)
    with pytest.raises(DomainError, match="already recorded"):
        record(check, loan_officer)


def test_it_refuses_a_date_in_the_future(check, loan_officer):
    with pytest.raises(RuleViolations, match="future"):
        record(check, loan_officer, done_on=TODAY + timedelta(days=1))


def test_it_refuses_a_date_before_the_value_date(check, loan_officer):
    with pytest.raises(RuleViolations, match="value date"):
        record(check, loan_officer, done_on=VALUE_DATE - timedelta(days=1))


def test_it_refuses_a_check_without_a_date(check, loan_officer):
    with pytest.raises(RuleViolations, match="date the check was done"):
        record(check, loan_officer, done_on=None)


def test_it_refuses_a_check_without_findings(check, loan_officer):
    with pytest.raises(RuleViolations, match="findings"):
        record(check, loan_officer, findings="   ")


def test_it_refuses_risk_signals_not_on_the_list(check, loan_officer):
    with pytest.raises(RuleViolations, match="Unknown risk signals"):
        record(check, loan_officer, risk_signals=["bad_weather"])


def test_it_refuses_a_conclusion_not_on_the_list(check, loan_officer):
    with pytest.raises(RuleViolations, match="conclusion"):
        record(check, loan_officer, conclusion="fine")


def test_a_refused_check_changes_nothing(check, loan_officer):
    with pytest.raises(RuleViolations):
        record(check, loan_officer, findings="")
    check.refresh_from_db()
    assert check.done_on is None and PostLoanCheck.objects.count() == 1
    assert not AuditEvent.objects.filter(action="record_check").exists()


# --- the daily reminder -----------------------------------------------------------------------


def test_the_reminder_task_keeps_the_name_beat_calls(settings):
    assert remind_overdue_checks.name == "collection.remind_overdue_checks"
    assert PeriodicTask.objects.filter(task="collection.remind_overdue_checks").exists()


def test_the_reminder_sends_each_officer_one_note_a_day(
    loan_officer, other_officer, investigator, reviewer, approver, disbursement_supervisor
):
    mine = business_account(loan_officer, investigator, reviewer, approver, disbursement_supervisor)
    also_mine = business_account(
        loan_officer, investigator, reviewer, approver, disbursement_supervisor
    )
    theirs = business_account(
        other_officer, investigator, reviewer, approver, disbursement_supervisor
    )
    ensure_checks(TODAY)  # all due VALUE_DATE + 30: overdue
    PostLoanCheck.objects.filter(account=theirs).update(due_on=TODAY)  # due today: not overdue
    assert remind_overdue_checks() == 1
    note = Notification.objects.get()
    assert note.recipient == loan_officer
    assert mine.number in note.message and also_mine.number in note.message
    assert note.link == "/collection/checks/?show=overdue"
    assert set(PostLoanCheck.objects.values_list("reminded_on", flat=True)) == {TODAY, None}

    assert remind_overdue_checks() == 0  # the same day: nothing more
    assert Notification.objects.count() == 1

    PostLoanCheck.objects.update(reminded_on=TODAY - timedelta(days=1))  # the next day
    assert remind_overdue_checks() == 1
    assert Notification.objects.count() == 2


def test_the_reminder_leaves_out_done_checks_and_closed_loans(check, loan_officer):
    record(check, loan_officer)  # done; check #2 is due in the future
    assert remind_overdue_checks() == 0
    PostLoanCheck.objects.filter(sequence=2).update(due_on=TODAY - timedelta(days=1))
    LoanAccount.objects.filter(pk=check.account_id).update(status="settled")
    assert remind_overdue_checks() == 0
    assert not Notification.objects.exists()
