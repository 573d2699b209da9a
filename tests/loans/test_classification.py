"""Five-level classification by hand: asking, the director's decision, and the review flag."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from loancenter.errors import DomainError, PermissionRefused, SeparationOfDutiesError
from loancenter.models import AuditEvent, Notification
from loans.models import ClassificationChange, LoanAccount
from loans.services.classification import (
    clear_review_flag,
    decide_classification,
    flag_for_review,
    pending_classification_count,
    request_classification,
)
from tests.servicing import consumer_account

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _defaults(origination):
    pass


@pytest.fixture(autouse=True)
def _english():
    """Refusals are matched on their English text, whatever the catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture
def account(loan_officer, investigator, reviewer, approver, disbursement_supervisor):
    return consumer_account(
        loan_officer,
        investigator,
        reviewer,
        approver,
        disbursement_supervisor,
        value_date=date(2026, 6, 1),
    )


def set_account(account, **fields):
    LoanAccount.objects.filter(pk=account.pk).update(**fields)
    account.refresh_from_db()
    return account


def ask(account, user, to_class="special_mention", reason="借款人经营恶化,现金流紧张"):
    return request_classification(account=account, user=user, to_class=to_class, reason=reason)


# --- asking -----------------------------------------------------------------------------------


def test_a_reviewer_asks_for_a_worse_class_and_the_director_is_told(
    account, reviewer, director, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change = ask(account, reviewer, "substandard")
    assert (change.from_class, change.to_class) == ("normal", "substandard")
    assert (change.origin, change.status, change.requested_by) == (
        "manual_worse",
        "pending",
        reviewer,
    )
    assert change.reason == "借款人经营恶化,现金流紧张"
    event = AuditEvent.objects.get(action="request_classification")
    assert event.actor == reviewer and event.object_id == str(account.pk)
    note = Notification.objects.get(recipient=director)
    assert account.number in note.message and note.link == "/loans/classification/"
    account.refresh_from_db()
    assert account.classification == "normal"  # nothing changes until the director approves


@pytest.mark.parametrize("role", ["collections_officer", "archivist"])
def test_collections_officers_and_archivists_may_ask_about_any_loan(account, role, request):
    assert ask(account, request.getfixturevalue(role)).status == "pending"


def test_a_loan_officer_asks_about_their_own_loan(account, loan_officer):
    assert ask(account, loan_officer).requested_by == loan_officer


def test_it_refuses_a_loan_officer_asking_about_another_officers_loan(account, other_officer):
    with pytest.raises(PermissionRefused):
        ask(account, other_officer)


@pytest.mark.parametrize("role", ["director", "approver", "investigator", "auditor"])
def test_it_refuses_roles_that_do_not_ask(account, role, request):
    with pytest.raises(PermissionRefused):
        ask(account, request.getfixturevalue(role))


def test_it_refuses_a_request_without_a_reason(account, reviewer):
    with pytest.raises(DomainError, match="reason"):
        ask(account, reviewer, reason="  ")


def test_it_refuses_a_class_that_does_not_exist(account, reviewer):
    with pytest.raises(DomainError, match="five classes"):
        ask(account, reviewer, to_class="excellent")


def test_it_refuses_the_class_the_loan_already_has(account, reviewer):
    with pytest.raises(DomainError, match="already classed"):
        ask(account, reviewer, to_class="normal")


def test_it_refuses_a_second_pending_request(account, reviewer, collections_officer):
    ask(account, reviewer)
    with pytest.raises(DomainError, match="awaits the director"):
        ask(account, collections_officer, "doubtful")
    assert ClassificationChange.objects.count() == 1


def test_it_refuses_a_closed_loan(account, reviewer):
    set_account(account, status="settled")
    with pytest.raises(DomainError, match="no longer be changed"):
        ask(account, reviewer)


def test_a_worse_class_may_be_asked_for_while_overdue(account, reviewer):
    set_account(account, status="overdue", days_past_due=40, overdue_principal=Decimal("9000.00"))
    change = ask(account, reviewer, "doubtful")
    assert change.origin == "manual_worse" and change.days_past_due == 40


def test_a_better_class_is_asked_for_once_the_arrears_are_cleared(account, reviewer):
    set_account(account, classification="substandard")
    change = ask(account, reviewer, "normal", reason="欠款已全部结清,连续还款正常")
    assert change.origin == "manual_better" and change.from_class == "substandard"


def test_it_refuses_a_better_class_while_days_are_past_due(account, reviewer):
    set_account(account, classification="substandard", status="overdue", days_past_due=3)
    with pytest.raises(DomainError, match="arrears are cleared"):
        ask(account, reviewer, "normal")


def test_it_refuses_a_better_class_while_principal_is_overdue(account, reviewer):
    set_account(account, classification="special_mention", overdue_principal=Decimal("0.01"))
    with pytest.raises(DomainError, match="arrears are cleared"):
        ask(account, reviewer, "normal")


def test_it_refuses_a_class_better_than_the_floor_for_the_days_past_due(account, reviewer):
    set_account(account, classification="doubtful", status="overdue", days_past_due=120)
    with pytest.raises(DomainError, match="may not be better than"):
        ask(account, reviewer, "special_mention")  # 120 days: at least substandard


# --- deciding ---------------------------------------------------------------------------------


def test_the_director_approves_and_the_loan_is_reclassified(
    account, reviewer, director, django_capture_on_commit_callbacks
):
    change = ask(account, reviewer, "substandard")
    with django_capture_on_commit_callbacks(execute=True):
        decided = decide_classification(
            change=change, user=director, approve=True, opinion="同意下调为次级"
        )
    account.refresh_from_db()
    assert account.classification == "substandard"
    assert (decided.status, decided.decided_by, decided.decision_opinion) == (
        "approved",
        director,
        "同意下调为次级",
    )
    assert decided.decided_at is not None
    reclassify = AuditEvent.objects.get(action="reclassify")
    assert (reclassify.from_state, reclassify.to_state) == ("normal", "substandard")
    assert AuditEvent.objects.filter(action="approve_classification", actor=director).exists()
    assert Notification.objects.filter(recipient=reviewer).exists()


def test_the_director_rejects_and_the_class_stays(account, reviewer, director):
    change = ask(account, reviewer, "loss")
    decide_classification(change=change, user=director, approve=False, opinion="依据不足")
    account.refresh_from_db()
    change.refresh_from_db()
    assert account.classification == "normal" and change.status == "rejected"
    assert AuditEvent.objects.filter(action="reject_classification").exists()
    assert not AuditEvent.objects.filter(action="reclassify").exists()


def test_a_better_class_is_approved_once_the_arrears_are_cleared(account, reviewer, director):
    set_account(account, classification="substandard")
    change = ask(account, reviewer, "special_mention")
    decide_classification(change=change, user=director, approve=True, opinion="同意")
    account.refresh_from_db()
    assert account.classification == "special_mention"


@pytest.mark.parametrize("role", ["approver", "reviewer", "auditor", "loan_officer"])
def test_it_refuses_anyone_but_the_director(account, collections_officer, role, request):
    change = ask(account, collections_officer)
    with pytest.raises(PermissionRefused):
        decide_classification(
            change=change, user=request.getfixturevalue(role), approve=True, opinion="同意"
        )


def test_it_refuses_the_director_deciding_their_own_request(account, make_user):
    both = make_user("director_and_reviewer", "director", "reviewer")
    change = ask(account, both)
    with pytest.raises(SeparationOfDutiesError):
        decide_classification(change=change, user=both, approve=True, opinion="同意")


def test_it_refuses_a_decision_without_reasons(account, reviewer, director):
    change = ask(account, reviewer)
    with pytest.raises(DomainError, match="reasons"):
        decide_classification(change=change, user=director, approve=True, opinion=" ")


def test_it_refuses_deciding_twice(account, reviewer, director):
    change = ask(account, reviewer)
    decide_classification(change=change, user=director, approve=False, opinion="依据不足")
    with pytest.raises(DomainError, match="already decided"):
        decide_classification(change=change, user=director, approve=True, opinion="同意")


def test_it_refuses_approving_when_the_loan_was_reclassified_meanwhile(account, reviewer, director):
    change = ask(account, reviewer, "substandard")
    set_account(account, classification="doubtful")  # the sweep's floor moved it
    with pytest.raises(DomainError, match="reclassified since"):
        decide_classification(change=change, user=director, approve=True, opinion="同意")
    account.refresh_from_db()
    assert account.classification == "doubtful"


def test_it_refuses_approving_a_better_class_when_the_loan_fell_overdue_meanwhile(
    account, reviewer, director
):
    set_account(account, classification="special_mention")
    change = ask(account, reviewer, "normal")
    set_account(account, status="overdue", days_past_due=5)
    with pytest.raises(DomainError, match="arrears are cleared"):
        decide_classification(change=change, user=director, approve=True, opinion="同意")


def test_it_refuses_approving_when_the_loan_was_closed_meanwhile(account, reviewer, director):
    change = ask(account, reviewer, "substandard")
    set_account(account, status="written_off")
    with pytest.raises(DomainError, match="no longer be changed"):
        decide_classification(change=change, user=director, approve=True, opinion="同意")
    decide_classification(change=change, user=director, approve=False, opinion="已核销")
    change.refresh_from_db()
    assert change.status == "rejected"


def test_the_directors_badge_counts_the_waiting_requests(account, reviewer, director, auditor):
    assert pending_classification_count(director) == 0
    ask(account, reviewer)
    assert pending_classification_count(director) == 1
    assert pending_classification_count(auditor) == 0


# --- the review flag --------------------------------------------------------------------------


def flagged(account, reason="贷后检查发现风险"):
    from django.db import transaction

    with transaction.atomic():
        flag_for_review(account=account, reason=reason)
    account.refresh_from_db()
    return account


def test_a_reviewer_clears_the_flag_with_a_note(account, reviewer):
    flagged(account)
    clear_review_flag(account=account, user=reviewer, note="已核实,借款人经营恢复正常")
    account.refresh_from_db()
    assert not account.needs_review and account.review_reason == ""
    event = AuditEvent.objects.get(action="clear_review_flag")
    assert event.actor == reviewer
    assert "贷后检查发现风险" in event.opinion and "经营恢复正常" in event.opinion


@pytest.mark.parametrize("role", ["loan_officer", "director", "collections_officer"])
def test_it_refuses_clearing_the_flag_without_the_reviewer_role(account, role, request):
    flagged(account)
    with pytest.raises(PermissionRefused):
        clear_review_flag(account=account, user=request.getfixturevalue(role), note="已核实")


def test_it_refuses_clearing_the_flag_without_a_note(account, reviewer):
    flagged(account)
    with pytest.raises(DomainError, match="note"):
        clear_review_flag(account=account, user=reviewer, note="")


def test_it_refuses_clearing_a_flag_that_is_not_raised(account, reviewer):
    with pytest.raises(DomainError, match="not flagged"):
        clear_review_flag(account=account, user=reviewer, note="已核实")
