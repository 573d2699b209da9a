"""Classification pages: the account's history and request form, the review flag, the
director's queue, and who may see and do what."""

from datetime import date

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from loancenter.navigation import items_for
from loans.models import ClassificationChange, LoanAccount
from loans.services.classification import flag_for_review, request_classification
from tests.servicing import consumer_account

pytestmark = pytest.mark.django_db
QUEUE = reverse("loans:classification_queue")


@pytest.fixture(autouse=True)
def _defaults(origination):
    pass


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


def page(account):
    return reverse("loans:account_classification", args=[account.pk])


def asked(account, user):
    return request_classification(
        account=account, user=user, to_class="substandard", reason="借款人涉诉,经营停滞"
    )


def flagged(account):
    with transaction.atomic():
        flag_for_review(account=account, reason="贷后检查发现风险")


def test_the_account_page_links_the_history_and_shows_the_flag(client, account, loan_officer):
    client.force_login(loan_officer)
    detail = reverse("loans:account_detail", args=[account.pk])
    body = client.get(detail).content.decode()
    assert page(account) in body and 'data-testid="review-flag"' not in body
    flagged(account)
    body = client.get(detail).content.decode()
    assert 'data-testid="review-flag"' in body and "贷后检查发现风险" in body


def test_the_officer_asks_for_a_change_on_the_page(client, account, loan_officer):
    client.force_login(loan_officer)
    assert 'data-testid="classification-form"' in client.get(page(account)).content.decode()
    response = client.post(page(account), {"to_class": "doubtful", "reason": "借款人失联"})
    assert response.status_code == 302
    change = ClassificationChange.objects.get()
    assert (change.to_class, change.requested_by) == ("doubtful", loan_officer)
    body = client.get(page(account)).content.decode()
    assert 'data-testid="classification-history"' in body and "借款人失联" in body


def test_a_refused_request_shows_why(client, account, loan_officer):
    client.force_login(loan_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(page(account), {"to_class": "normal", "reason": "无变化"})
    assert response.status_code == 200 and "already classed" in response.content.decode()
    assert not ClassificationChange.objects.exists()


def test_an_incomplete_request_is_shown_again_with_errors(client, account, reviewer):
    client.force_login(reviewer)
    response = client.post(page(account), {"to_class": "excellent", "reason": ""})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()


def test_another_officer_gets_404(client, account, other_officer):
    client.force_login(other_officer)
    assert client.get(page(account)).status_code == 404
    assert client.post(page(account), {"to_class": "loss", "reason": "x"}).status_code == 404


def test_the_archivist_watches_any_loan_and_may_ask(client, account, archivist):
    client.force_login(archivist)
    body = client.get(page(account)).content.decode()
    assert 'data-testid="classification-form"' in body


def test_the_auditor_and_the_director_read_but_do_not_ask(client, account, auditor, director):
    for user in (auditor, director):
        client.force_login(user)
        response = client.get(page(account))
        assert response.status_code == 200
        assert 'data-testid="classification-form"' not in response.content.decode()
        assert client.post(page(account), {"to_class": "loss", "reason": "x"}).status_code == 404
    assert not ClassificationChange.objects.exists()


def test_the_page_shows_the_extended_badge(client, account, reviewer):
    LoanAccount.objects.filter(pk=account.pk).update(is_extended=True)
    asked(account, reviewer)
    client.force_login(reviewer)
    assert "badge text-bg-warning" in client.get(page(account)).content.decode()


# --- the director's queue ---------------------------------------------------------------------


def test_the_director_sees_the_waiting_requests_and_approves(client, account, reviewer, director):
    LoanAccount.objects.filter(pk=account.pk).update(is_extended=True)
    change = asked(account, reviewer)
    client.force_login(director)
    body = client.get(QUEUE).content.decode()
    assert account.number in body and f'data-testid="decide-{change.pk}"' in body
    assert 'data-testid="extended-badge"' in body
    decide = reverse("loans:classification_decide", args=[change.pk])
    response = client.post(decide, {"decision": "approve", "opinion": "同意"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.classification == "substandard"
    assert 'data-testid="classification-queue-empty"' in client.get(QUEUE).content.decode()
    assert account.number in client.get(QUEUE, {"scope": "all"}).content.decode()


def test_the_director_rejects(client, account, reviewer, director):
    change = asked(account, reviewer)
    client.force_login(director)
    decide = reverse("loans:classification_decide", args=[change.pk])
    client.post(decide, {"decision": "reject", "opinion": "依据不足"})
    change.refresh_from_db()
    assert change.status == "rejected"


def test_a_decision_without_an_opinion_is_not_taken(client, account, reviewer, director):
    change = asked(account, reviewer)
    client.force_login(director)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    decide = reverse("loans:classification_decide", args=[change.pk])
    response = client.post(decide, {"decision": "approve", "opinion": ""}, follow=True)
    assert "reasons in writing" in response.content.decode()
    change.refresh_from_db()
    assert change.status == "pending"


def test_the_auditor_reads_the_queue_without_deciding(client, account, reviewer, auditor):
    change = asked(account, reviewer)
    client.force_login(auditor)
    body = client.get(QUEUE).content.decode()
    assert account.number in body and f'data-testid="decide-{change.pk}"' not in body
    decide = reverse("loans:classification_decide", args=[change.pk])
    assert client.post(decide, {"decision": "approve", "opinion": "同意"}).status_code == 404


@pytest.mark.parametrize("role", ["reviewer", "loan_officer", "approver", "archivist"])
def test_others_do_not_get_the_queue(client, account, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(QUEUE).status_code == 404


def test_deciding_an_unknown_request_is_404(client, director):
    client.force_login(director)
    url = reverse("loans:classification_decide", args=[999999])
    assert client.post(url, {"decision": "approve", "opinion": "同意"}).status_code == 404


def test_deciding_needs_a_post(client, account, reviewer, director):
    change = asked(account, reviewer)
    client.force_login(director)
    url = reverse("loans:classification_decide", args=[change.pk])
    assert client.get(url).status_code == 405


def test_the_directors_nav_item_counts_the_waiting_requests(account, reviewer, director, auditor):
    asked(account, reviewer)
    items = {item["key"]: item for item in items_for(director)}
    assert items["classification"]["badge"] == 1 and items["classification"]["url"] == QUEUE
    assert "classification" in {item["key"] for item in items_for(auditor)}
    assert "classification" not in {item["key"] for item in items_for(reviewer)}


# --- clearing the review flag -----------------------------------------------------------------


def test_a_reviewer_clears_the_flag_from_the_page(client, account, reviewer):
    flagged(account)
    client.force_login(reviewer)
    assert 'data-testid="clear-flag-form"' in client.get(page(account)).content.decode()
    clear = reverse("loans:clear_review_flag", args=[account.pk])
    assert client.post(clear, {"note": "已核实,风险可控"}).status_code == 302
    account.refresh_from_db()
    assert not account.needs_review


def test_clearing_without_a_note_keeps_the_flag(client, account, reviewer):
    flagged(account)
    client.force_login(reviewer)
    clear = reverse("loans:clear_review_flag", args=[account.pk])
    client.post(clear, {"note": ""})
    account.refresh_from_db()
    assert account.needs_review


def test_only_a_reviewer_may_clear_the_flag(client, account, loan_officer):
    flagged(account)
    client.force_login(loan_officer)
    assert 'data-testid="clear-flag-form"' not in client.get(page(account)).content.decode()
    clear = reverse("loans:clear_review_flag", args=[account.pk])
    assert client.post(clear, {"note": "已核实"}).status_code == 404
    account.refresh_from_db()
    assert account.needs_review


JUNK = ["abc", "-1", "9" * 30, "<script>alert(1)</script>", "1e400", "%00", "' OR 1=1 --"]


@pytest.mark.parametrize("param", ["scope", "page"])
@pytest.mark.parametrize("junk", JUNK)
def test_junk_in_the_query_string_answers_a_page(client, director, param, junk):
    client.force_login(director)
    assert client.get(QUEUE, {param: junk}).status_code == 200


def test_ids_too_large_for_the_database_are_404(client, director):
    client.force_login(director)
    assert client.get("/loans/accounts/99999999999999999999/classification/").status_code == 404
    url = "/loans/classification/99999999999999999999/decide/"
    assert client.post(url, {"decision": "approve", "opinion": "x"}).status_code == 404
