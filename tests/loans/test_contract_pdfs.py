"""The contract and IOU (借据) PDFs, read back as text, and who may download them."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from loancenter.pdf import cjk_font_available
from loans.models import ContractKind
from loans.services.contracts import generate_contracts
from tests.loancenter.test_pdf import embedded_font_names
from tests.loans.test_contracts import add_collateral, guaranteed
from tests.origination import id_number
from tests.servicing import account_for, approved

pytestmark = pytest.mark.django_db


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


def stored(contract) -> bytes:
    with contract.pdf.open("rb") as file:
        return file.read()


@pytest.fixture
def housing(loan_officer, investigator, reviewer, approver):
    """800,000 over 240 months at 3.50% (5-year LPR + 0bp), secured on the borrower's flat."""
    return approved(loan_officer, investigator, reviewer, approver)


@pytest.fixture
def housing_contracts(housing, loan_officer):
    add_collateral(
        housing,
        loan_officer,
        owner_name="张父",
        owner_id_number=id_number(date(1960, 3, 1)),
        owner_is_borrower=False,
        certificate_number="京(2020)海淀区不动产权第0000777号",
        location="北京市海淀区中关村大街27号",
        appraised_value=Decimal("600000.00"),
    )
    return generate_contracts(user=loan_officer, application=housing)


def test_the_loan_contract_carries_the_approved_terms_in_chinese(housing, housing_contracts):
    loan = housing_contracts[0]
    customer = housing.customer
    text = pdf_text(stored(loan))

    for expected in [
        "个人住房贷款借款合同",
        loan.number,
        housing.number,
        "个贷中心",
        customer.name,
        customer.id_number,  # a legal paper carries the full number
        customer.address,
        "人民币捌拾万元整",
        "800,000.00",
        "240个月",
        "以借据记载为准",
        "年利率3.50%",
        "5年期以上LPR",
        "加0个基点",
        "等额本息",
        "抵押",
        "落实抵押登记后放款",  # the approval's conditions
        "受托支付",
        "北京某房地产开发有限公司",  # the counterparty
        "11050162540000000001",
        "加收50%",  # the product's penalty uplift
        "5.25%",  # 3.50% × 1.5
        "复利",
        housing_contracts[1].number,  # the security contracts it refers to
        housing_contracts[2].number,
        "借款人（签字/捺印）",
        "贷款人（盖章）",
    ]:
        assert squeeze(expected) in text, expected


def test_the_contract_sha256_is_that_of_the_stored_pdf(housing_contracts):
    import hashlib

    for contract in housing_contracts:
        assert hashlib.sha256(stored(contract)).hexdigest() == contract.sha256


def test_the_contract_is_set_in_an_embedded_cjk_font(housing_contracts):
    page = PdfReader(io.BytesIO(stored(housing_contracts[0]))).pages[0]

    names = embedded_font_names(page)

    assert any("CJK" in name or "WenQuanYi" in name for name in names), names


def test_each_mortgage_contract_lists_its_mortgagors_collateral(housing, housing_contracts):
    _loan, borrowers, fathers = housing_contracts
    borrower_collateral = housing.collaterals.filter(owner_is_borrower=True)

    text = pdf_text(stored(borrowers))
    for expected in [
        "抵押合同",
        borrowers.number,
        housing_contracts[0].number,  # the main contract
        "抵押人",
        housing.customer.name,
        "人民币捌拾万元整",
        "房产（住宅）",
        "他项权证",
    ]:
        assert squeeze(expected) in text, expected
    for item in borrower_collateral:
        assert squeeze(item.certificate_number) in text
        assert f"{item.appraised_value:,.2f}" in text
    assert "京(2020)海淀区不动产权第0000777号" not in text

    text = pdf_text(stored(fathers))
    assert "张父" in text
    assert "京(2020)海淀区不动产权第0000777号" in text
    assert "600,000.00" in text
    assert "人民币陆拾万元整" in text  # the appraised total in capitals


def test_a_pledge_contract_is_titled_as_one(loan_officer, investigator, reviewer, approver):
    application = approved(
        loan_officer,
        investigator,
        reviewer,
        approver,
        product_code="AUTO",
        amount=Decimal("150000.00"),
        term_months=36,
        security_type="pledge",
        purpose="购买自用小汽车",
        counterparty_name="北京某汽车销售服务有限公司",
    )
    add_collateral(application, loan_officer, kind="deposit", certificate_number="存单0012345")

    pledge = generate_contracts(user=loan_officer, application=application)[1]

    assert pledge.kind == ContractKind.PLEDGE
    text = pdf_text(stored(pledge))
    for expected in ["质押合同", "出质人", "质权人", "质物", "存单0012345", "人民币壹拾伍万元整"]:
        assert expected in text, expected
    assert "抵押合同" not in text


def test_a_guarantee_contract_binds_the_guarantor_jointly_for_three_years(
    loan_officer, investigator, reviewer, approver
):
    application = guaranteed(loan_officer, investigator, reviewer, approver)
    contracts = generate_contracts(user=loan_officer, application=application)
    guarantor = application.guarantors.get(name="李四")

    text = pdf_text(stored(contracts[1]))

    for expected in [
        "保证合同",
        contracts[1].number,
        contracts[0].number,
        "李四",
        guarantor.id_number,
        "连带责任保证",
        "主债务履行期届满之日起三年",
        "人民币壹拾伍万元整",
        "保证人（签字/盖章）",
    ]:
        assert squeeze(expected) in text, expected
    assert "王五" not in text


# --- the IOU -------------------------------------------------------------------------------


def test_the_iou_carries_the_loan_elements_and_the_disbursement_stamp(
    client, housing, housing_contracts, loan_officer, disbursement_supervisor
):
    account = account_for(housing, supervisor=disbursement_supervisor)
    client.force_login(loan_officer)

    response = client.get(reverse("loans:iou_pdf", args=[account.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response.content)
    for expected in [
        "借款借据",
        account.number,
        housing_contracts[0].number,
        housing.number,  # the approval it rests on
        housing.customer.name,
        housing.customer.id_number,
        "¥800,000.00",
        "人民币捌拾万元整",
        "2026年1月15日",  # the value date
        f"{account.maturity_date:%Y}年{account.maturity_date.month}月",
        "3.50%",
        "等额本息",
        "6222020200112233445",  # the repayment account
        disbursement_supervisor.display_name,
        "放款专用章",
    ]:
        assert squeeze(expected) in text, expected
    names = embedded_font_names(PdfReader(io.BytesIO(response.content)).pages[0])
    assert any("CJK" in name or "WenQuanYi" in name for name in names), names


# --- who may download ------------------------------------------------------------------------


def test_the_officer_and_the_auditor_download_a_contract_and_an_outsider_gets_404(
    client, housing_contracts, loan_officer, other_officer, auditor
):
    url = reverse("loans:contract_pdf", args=[housing_contracts[0].pk])

    for person, status in ((loan_officer, 200), (other_officer, 404), (auditor, 200)):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == status, person
        if status == 200:
            assert response["Cache-Control"] == "private, no-store"
            assert response.content == stored(housing_contracts[0])


def test_the_iou_is_refused_to_an_outsider(
    client, housing, loan_officer, other_officer, auditor, disbursement_supervisor
):
    account = account_for(housing, supervisor=disbursement_supervisor)
    url = reverse("loans:iou_pdf", args=[account.pk])

    for person, status in ((loan_officer, 200), (other_officer, 404), (auditor, 200)):
        client.force_login(person)
        assert client.get(url).status_code == status, person
