from datetime import date

import pytest
from django.urls import reverse

from loans.models import ChangeRequest, ChangeStatus
from tests.servicing import consumer_account

pytestmark = pytest.mark.django_db


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
        value_date=date(2026, 11, 1),
    )


FULL = {
    "kind": "early_full",
    "effective_on": "2026-11-20",
    "reason": "客户资金到位",
    "payment_reference": "TRF-001",
}


def test_the_officer_quotes_then_asks_and_the_reviewer_decides(
    client, account, loan_officer, reviewer
):
    client.force_login(loan_officer)
    url = reverse("loans:change_request", args=[account.pk])
    quoted = client.post(url, {**FULL, "action": "quote"}).content.decode()
    assert "120228.00" in quoted and not ChangeRequest.objects.exists()
    response = client.post(url, {**FULL, "action": "submit"})
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    client.force_login(reviewer)
    assert account.number in client.get(reverse("loans:change_queue")).content.decode()
    client.post(
        reverse("loans:change_decide", args=[change.pk]),
        {"agree": "yes", "opinion": "同意提前结清"},
    )
    assert ChangeRequest.objects.get().status == ChangeStatus.DONE


def test_a_bad_request_shows_its_reasons_and_keeps_the_input(client, account, loan_officer):
    client.force_login(loan_officer)
    response = client.post(
        reverse("loans:change_request", args=[account.pk]),
        {**FULL, "payment_reference": "", "action": "submit"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "付款流水号" in body
    assert 'value="客户资金到位"' in body or "客户资金到位" in body


def test_only_the_own_officer_asks_and_only_deciders_see_the_queue(
    client, account, other_officer, loan_officer
):
    client.force_login(other_officer)
    assert client.get(reverse("loans:change_request", args=[account.pk])).status_code == 404
    client.force_login(loan_officer)
    assert client.get(reverse("loans:change_queue")).status_code == 404
