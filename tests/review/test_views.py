from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import Status
from tests.origination import make_customer, reviewed, surveyed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _defaults(origination):
    pass


def test_only_a_reviewer_without_a_conflicting_duty_opens_the_review_page(
    client, loan_officer, investigator, reviewer, approver
):
    application = surveyed(loan_officer, investigator)
    url = reverse("review:review", args=[application.pk])
    for person, status in (
        (reviewer, 200),
        (investigator, 404),
        (approver, 404),
        (loan_officer, 404),
    ):
        client.force_login(person)
        assert client.get(url).status_code == status, person


def test_the_review_form_records_the_opinion(client, loan_officer, investigator, reviewer):
    application = surveyed(loan_officer, investigator)
    client.force_login(reviewer)
    response = client.post(
        reverse("review:review", args=[application.pk]),
        {
            "checks": ["documents_complete", "compliant"],
            "proposed_amount": "700000",
            "proposed_term_months": "240",
            "proposed_rate": "3.5",
            "proposed_method": "equal_installment",
            "decision": "agree",
            "text": "同意",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.APPROVING
    opinion = application.review_opinions.get()
    assert opinion.checklist["documents_complete"] is True
    assert opinion.checklist["security_adequate"] is False


def test_a_decision_without_reasons_stays_on_the_form_with_an_error(
    client, loan_officer, investigator, reviewer, approver
):
    application = reviewed(loan_officer, investigator, reviewer)
    client.force_login(approver)
    url = reverse("review:decide", args=[application.pk])
    page = client.get(url).content.decode()
    assert "您的授权额度:1,000,000.00" in page
    response = client.post(
        url,
        {
            "decision": "approve",
            "amount": "800000",
            "term_months": "240",
            "annual_rate": "3.5",
            "repayment_method": "equal_installment",
            "security_type": "mortgage",
            "reasons": "",
        },
    )
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.APPROVING


def test_the_decide_page_is_for_the_level_the_application_waits_for(
    client, loan_officer, investigator, reviewer, approver, director, head_office
):
    customer = make_customer(loan_officer, monthly_income=Decimal("100000"))
    application = reviewed(
        loan_officer, investigator, reviewer, amount=Decimal("1500000"), customer=customer
    )
    url = reverse("review:decide", args=[application.pk])
    client.force_login(head_office)
    assert client.get(url).status_code == 404
    client.force_login(approver)
    client.post(
        url,
        {
            "decision": "approve",
            "amount": "1500000",
            "term_months": "240",
            "annual_rate": "3.5",
            "repayment_method": "equal_installment",
            "security_type": "mortgage",
            "reasons": "同意,超权限上报",
        },
    )
    application.refresh_from_db()
    assert (application.status, application.escalation_level) == (Status.ESCALATED, "director")
    assert client.get(url).status_code == 404  # no longer the approver's
    client.force_login(director)
    assert client.get(url).status_code == 200
