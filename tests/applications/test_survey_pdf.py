"""个人贷款调查报告: the survey report PDF, read back as text."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applications import services
from loancenter.pdf import cjk_font_available
from tests.origination import draft, id_number, survey_data, surveyed, upload_required_documents

pytestmark = pytest.mark.django_db

OPINION = "借款人收入稳定,还款来源充足,建议同意。"  # tests.origination.survey_data


@pytest.fixture(autouse=True)
def _defaults(origination):
    if not cjk_font_available():
        pytest.fail("No CJK font: apt-get install fonts-noto-cjk")


def pdf_text(content: bytes) -> str:
    """All pages' text without whitespace (CJK extraction may split characters)."""
    reader = PdfReader(io.BytesIO(content))
    return squeeze("".join(page.extract_text() for page in reader.pages))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def application(loan_officer, investigator):
    return surveyed(loan_officer, investigator)


def get_pdf(client, user, application):
    client.force_login(user)
    return client.get(reverse("applications:survey_pdf", args=[application.pk]))


def test_the_officer_gets_the_survey_report_in_chinese(
    client, loan_officer, investigator, application
):
    response = get_pdf(client, loan_officer, application)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    customer = application.customer
    for expected in [
        "个人贷款调查报告",
        application.number,
        application.product.name,
        customer.name,
        customer.masked_id_number,
        customer.masked_mobile,
        "800,000.00",
        "人民币捌拾万元整",
        "双人调查",
        "客户经理",
        "调查人",
        loan_officer.display_name,
        investigator.display_name,
        OPINION,
        "已婚",  # marital status, translated
        "建议发放",  # the recommendation, translated
        "本报告由个贷中心系统生成",
    ]:
        assert squeeze(expected) in text, expected
    assert customer.id_number not in text  # only the masked number is printed
    assert text.count(squeeze(OPINION)) == 2  # both investigators' opinions


def test_the_report_shows_the_verification_marks(client, loan_officer, application):
    text = pdf_text(get_pdf(client, loan_officer, application).content)

    # survey_data verifies everything but the guarantor's capacity, for both investigators
    assert text.count("✓") == 10
    assert text.count("✗") == 2


def test_the_report_is_in_chinese_even_for_an_english_speaking_user(
    client, loan_officer, application
):
    client.force_login(loan_officer)
    client.post(reverse("set_language"), {"language": "en"})
    response = client.get(reverse("applications:survey_pdf", args=[application.pk]))

    assert response["Content-Language"] == "en"  # the screens would be in English
    text = pdf_text(response.content)
    assert "已婚" in text
    assert "Married" not in text


def test_an_outsider_gets_404(client, other_officer, application):
    assert get_pdf(client, other_officer, application).status_code == 404


def test_no_report_before_any_survey_confirmation(client, loan_officer):
    application = draft(loan_officer)

    assert get_pdf(client, loan_officer, application).status_code == 404


def test_the_guarantors_are_listed_with_a_masked_id(client, loan_officer, investigator):
    application = draft(
        loan_officer,
        product_code="CONSUMER",
        amount=Decimal("100000"),
        term_months=36,
        security_type="guarantee",
    )
    guarantor = services.add_guarantor(
        user=loan_officer,
        application=application,
        data={
            "kind": "person",
            "name": "李四",
            "id_number": id_number(sequence=777),
            "relationship": "朋友",
            "guarantee_capacity": Decimal("200000"),
        },
    )
    upload_required_documents(loan_officer, application)
    application = services.submit_application(user=loan_officer, application=application)
    application = services.claim_survey(user=investigator, application=application, draw=0.99)
    services.confirm_survey(
        user=loan_officer, application=application, data=survey_data(application)
    )

    text = pdf_text(get_pdf(client, loan_officer, application).content)

    for expected in [
        "保证人情况",
        "李四",
        guarantor.masked_identifier,
        "200,000.00",
        "人民币壹拾万元整",
    ]:
        assert squeeze(expected) in text, expected
    assert guarantor.id_number not in text
    # one confirmation so far: the investigator's signature line is still empty
    assert "调查人（签字）：" in text
