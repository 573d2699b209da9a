"""个人贷款审批表: the approval sheet PDF, read back as text."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from loancenter.pdf import cjk_font_available
from review import services
from tests.origination import decision_data, reviewed, surveyed

pytestmark = pytest.mark.django_db

SURVEY_OPINION = "借款人收入稳定,还款来源充足,建议同意。"  # tests.origination.survey_data
REVIEW_TEXT = "资料完整合规,同意提交审批。"  # tests.origination.review_data
REASONS = "借款人资信良好,抵押充足,同意。"  # tests.origination.decision_data


@pytest.fixture(autouse=True)
def _defaults(origination):
    if not cjk_font_available():
        pytest.fail("No CJK font: apt-get install fonts-noto-cjk")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(content: bytes) -> str:
    """All pages' text without whitespace (CJK extraction may split characters)."""
    reader = PdfReader(io.BytesIO(content))
    return squeeze("".join(page.extract_text() for page in reader.pages))


def get_pdf(client, user, application):
    client.force_login(user)
    return client.get(reverse("review:approval_sheet", args=[application.pk]))


@pytest.fixture
def approved(loan_officer, investigator, reviewer, approver):
    application = reviewed(loan_officer, investigator, reviewer)
    services.decide_application(
        user=approver, application=application, data=decision_data(application)
    )
    application.refresh_from_db()
    return application


def test_the_officer_gets_the_approval_sheet_in_chinese(
    client, loan_officer, investigator, reviewer, approver, approved
):
    response = get_pdf(client, loan_officer, approved)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in [
        "个人贷款审批表",
        approved.number,
        approved.customer.name,
        approved.customer.masked_id_number,
        "人民币捌拾万元整",
        SURVEY_OPINION,
        REVIEW_TEXT,
        REASONS,
        "落实抵押登记后放款",  # the conditions
        "1,000,000.00",  # the approver's authority limit
        "审查意见",
        "审批意见",
        "最终审批结论",
        "资料完整、真实",  # a checklist label, translated
        loan_officer.display_name,
        investigator.display_name,
        reviewer.display_name,
        approver.display_name,
        "审查人（签字）",
        "审批人（签字）",
    ]:
        assert squeeze(expected) in text, expected
    assert "尚未批准" not in text
    assert approved.customer.id_number not in text


def test_the_checklist_marks_follow_the_reviewers_dict(client, loan_officer, approved):
    text = pdf_text(get_pdf(client, loan_officer, approved).content)

    # tests.origination.review_data checks two of the six items
    assert text.count("✓") == 2
    assert text.count("✗") == 4


def test_before_a_decision_the_sheet_says_not_yet_approved(
    client, loan_officer, investigator, reviewer
):
    application = reviewed(loan_officer, investigator, reviewer)

    response = get_pdf(client, loan_officer, application)

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "尚未批准" in text
    assert squeeze(REVIEW_TEXT) in text


def test_an_outsider_gets_404(client, other_officer, approved):
    assert get_pdf(client, other_officer, approved).status_code == 404


def test_no_sheet_before_the_review(client, loan_officer, investigator):
    application = surveyed(loan_officer, investigator)

    assert get_pdf(client, loan_officer, application).status_code == 404
