from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services
from applications.models import CreditWarning, Status
from loancenter.errors import DomainError, InvalidTransition, PermissionRefused, RuleViolations
from loancenter.models import AuditEvent
from tests.origination import (
    PDF_BYTES,
    draft,
    id_number,
    make_customer,
    upload_required_documents,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _defaults(origination):
    pass


def submit(officer, application):
    upload_required_documents(officer, application)
    return services.submit_application(user=officer, application=application)


def refusals(officer, application) -> str:
    with pytest.raises(RuleViolations) as refused:
        submit(officer, application)
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    return " ".join(refused.value.messages)


def test_a_draft_gets_a_yearly_number_and_the_lpr_priced_rate(loan_officer):
    first = draft(loan_officer, rate_spread_bp=-20)
    second = draft(loan_officer, customer=first.customer)
    year = date.today().year
    assert first.number == f"GD{year}000001" and second.number == f"GD{year}000002"
    assert first.lpr_rate == Decimal("3.50")
    assert first.annual_rate == Decimal("3.30")
    event = AuditEvent.objects.get(action="create", object_id=str(first.pk))
    assert (event.duty, event.to_state) == ("investigation", "draft")


def test_an_officer_opens_applications_only_for_own_customers(loan_officer, other_officer):
    customer = make_customer(other_officer)
    with pytest.raises(PermissionRefused):
        draft(loan_officer, customer=customer)


def test_a_complete_application_is_submitted(loan_officer):
    application = submit(loan_officer, draft(loan_officer))
    assert application.status == Status.SUBMITTED
    assert application.submitted_at is not None
    assert AuditEvent.objects.filter(action="submit", to_state="submitted").count() == 1


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"amount": Decimal("50000")}, "金额须在 100,000.00 至 10,000,000.00 之间"),
        ({"term_months": 480}, "期限不得超过 360 个月"),
        ({"rate_spread_bp": 300}, "利差须在 -50 至 150 个基点之间"),
        ({"repayment_method": "bullet"}, "不允许该还款方式"),
        ({"security_type": "credit"}, "仅允许以下担保方式:抵押"),
    ],
)
def test_terms_must_be_within_the_product(loan_officer, overrides, message):
    assert message in refusals(loan_officer, draft(loan_officer, **overrides))


def test_a_business_loan_longer_than_five_years_needs_a_written_reason(loan_officer):
    application = draft(
        loan_officer,
        product_code="BUSINESS",
        term_months=96,
        rate_spread_bp=100,
        security_type="mortgage",
        amount=Decimal("500000"),
    )
    assert "超过 60 个月的期限须书面说明理由" in refusals(loan_officer, application)
    services.update_application(
        user=loan_officer, application=application, data={"term_reason": "设备回收期八年"}
    )
    assert submit(loan_officer, application).status == Status.SUBMITTED


@pytest.mark.parametrize(
    "customer_overrides,message",
    [
        ({"id_number": id_number(date(1958, 1, 1))}, "本产品仅向 18 至 65 周岁"),
        ({"id_number": id_number(date(1975, 1, 1))}, "到期时将满"),
        ({"full_civil_capacity": False}, "不具有完全民事行为能力"),
        ({"monthly_income": Decimal("8000")}, "月供占收入的"),
        ({"monthly_debt_payments": Decimal("13000")}, "全部债务月供占收入的"),
    ],
)
def test_the_borrower_must_qualify(loan_officer, customer_overrides, message):
    customer = make_customer(loan_officer, **customer_overrides)
    assert message in refusals(loan_officer, draft(loan_officer, customer=customer))


def test_nobody_on_the_credit_warning_list_may_borrow(loan_officer):
    application = draft(loan_officer)
    CreditWarning.objects.create(id_number=application.customer.id_number, reason="恶意逃废债")
    assert "信用预警" in refusals(loan_officer, application)


def test_a_lifted_warning_no_longer_blocks(loan_officer):
    application = draft(loan_officer)
    CreditWarning.objects.create(
        id_number=application.customer.id_number,
        reason="已结清",
        since=date(2020, 1, 1),
        lifted_on=date(2021, 1, 1),
    )
    assert submit(loan_officer, application).status == Status.SUBMITTED


def test_self_payment_is_limited_and_entrusted_payment_needs_the_counterparty(loan_officer):
    over = draft(
        loan_officer,
        product_code="CONSUMER",
        amount=Decimal("400000"),
        term_months=36,
        payment_mode="self",
        security_type="credit",
    )
    assert "自主支付仅限 300,000.00 以内" in refusals(loan_officer, over)
    blind = draft(loan_officer, customer=over.customer, counterparty_account="")
    assert "受托支付须填写交易对手的名称和账号" in refusals(loan_officer, blind)


def test_a_guaranteed_loan_needs_a_guarantor(loan_officer):
    application = draft(
        loan_officer,
        product_code="CONSUMER",
        amount=Decimal("100000"),
        term_months=36,
        security_type="guarantee",
    )
    assert "至少需要一名保证人" in refusals(loan_officer, application)
    services.add_guarantor(
        user=loan_officer,
        application=application,
        data={
            "kind": "person",
            "name": "李四",
            "id_number": id_number(sequence=777),
            "guarantee_capacity": Decimal("200000"),
        },
    )
    assert submit(loan_officer, application).status == Status.SUBMITTED


def test_a_company_guarantor_needs_a_valid_credit_code(loan_officer):
    application = draft(loan_officer)
    with pytest.raises(RuleViolations, match="统一社会信用代码"):
        services.add_guarantor(
            user=loan_officer,
            application=application,
            data={
                "kind": "company",
                "name": "某公司",
                "credit_code": "91110000600037341X",
                "guarantee_capacity": Decimal("1"),
            },
        )


def test_it_cannot_be_submitted_while_documents_are_missing(loan_officer):
    application = draft(loan_officer)
    with pytest.raises(RuleViolations) as refused:
        services.submit_application(user=loan_officer, application=application)
    assert "缺少以下必需材料:身份证" in " ".join(refused.value.messages)


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("evil.pdf", b"<html><script>alert(1)</script></html>", "仅接受 PDF、JPEG 或 PNG"),
        ("image.png", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "仅接受 PDF、JPEG 或 PNG"),
        ("empty.pdf", b"", "文件为空"),
        ("big.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024), "大于 10 MB"),
    ],
)
def test_uploads_are_judged_by_content_and_size(loan_officer, name, content, message):
    application = draft(loan_officer)
    with pytest.raises(DomainError, match=message):
        services.upload_document(
            user=loan_officer,
            application=application,
            kind="id_card",
            uploaded=SimpleUploadedFile(name, content),
        )
    assert not application.documents.exists()


def test_images_are_accepted(loan_officer):
    application = draft(loan_officer)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    document = services.upload_document(
        user=loan_officer,
        application=application,
        kind="id_card",
        uploaded=SimpleUploadedFile("身份证.txt", png),
    )
    assert document.content_type == "image/png"
    assert document.original_name == "身份证.txt"
    assert "身份证" not in document.file.name  # stored under a random name


def test_only_the_own_officer_edits_submits_or_withdraws(loan_officer, other_officer):
    application = draft(loan_officer)
    with pytest.raises(PermissionRefused):
        services.update_application(user=other_officer, application=application, data={})
    with pytest.raises(PermissionRefused):
        services.submit_application(user=other_officer, application=application)
    with pytest.raises(PermissionRefused):
        services.withdraw_application(user=other_officer, application=application, reason="x")


def test_a_submitted_application_can_no_longer_be_edited(loan_officer):
    application = submit(loan_officer, draft(loan_officer))
    with pytest.raises(DomainError, match="不能再修改"):
        services.update_application(
            user=loan_officer, application=application, data={"amount": Decimal("1")}
        )


def test_withdrawing_needs_a_reason_and_ends_the_application(loan_officer):
    application = submit(loan_officer, draft(loan_officer))
    with pytest.raises(DomainError, match="撤回原因"):
        services.withdraw_application(user=loan_officer, application=application, reason=" ")
    services.withdraw_application(user=loan_officer, application=application, reason="客户放弃")
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    with pytest.raises(InvalidTransition, match="已撤回"):
        services.withdraw_application(user=loan_officer, application=application, reason="再次")
