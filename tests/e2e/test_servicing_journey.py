"""The browser journey after approval, in Chinese: contracts → mortgage registration →
certificate hand-over → disbursement → a repayment on the statement.

The approval itself is built through the services (tests.servicing.approved); every step after
it is done on the pages, by the role that does it at the bank.
"""

import re

from django.utils import timezone
from playwright.sync_api import expect

from loans.models import Installment, LoanAccount, LoanContract
from tests.e2e.navigation import nav, switch_user
from tests.servicing import approved

REPAYMENT_ACCOUNT = "6222020200112233445"
REGISTRY_OFFICE = "北京市朝阳区不动产登记中心"


def alert(page, text):
    return page.get_by_role("alert").filter(has_text=text)


def test_an_approved_housing_loan_is_signed_registered_disbursed_and_repaid(
    page,
    sign_in,
    live_server,
    origination,
    loan_officer,
    investigator,
    reviewer,
    approver,
    mortgage_registrar,
    disbursement_supervisor,
):
    application = approved(loan_officer, investigator, reviewer, approver)
    number, borrower = application.number, application.customer.name
    detail_url = f"{live_server.url}/applications/{application.pk}/"
    today = timezone.localdate()
    today_text = f"{today:%Y-%m-%d}"
    status = page.get_by_test_id("status")

    # 1. The loan officer generates the contracts and records the in-person signing (面签).
    sign_in(loan_officer.username)
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
    page.goto(detail_url)
    expect(page.get_by_role("heading", name=re.compile(number))).to_be_visible()
    expect(status).to_have_text("已批准")
    contracts = page.get_by_test_id("contracts-panel")
    contracts.get_by_role("button", name="生成合同").click()
    expect(alert(page, "合同已生成")).to_be_visible()
    numbers = list(
        LoanContract.objects.filter(application=application).values_list("number", flat=True)
    )
    assert numbers, "no contract was generated"
    for contract_number in numbers:
        expect(alert(page, "合同已生成")).to_contain_text(contract_number)
        expect(contracts.get_by_role("link", name=contract_number)).to_be_visible()
    expect(contracts).to_contain_text("未签约")

    contracts.get_by_role("link", name="登记签约").click()
    expect(page.get_by_role("heading", name=re.compile("登记签约"))).to_be_visible()
    page.get_by_label("签约日期").fill(today_text)
    page.get_by_label("签约方式").select_option(label="面签")
    page.get_by_label("签约人").fill(borrower)
    page.get_by_role("button", name="登记签约").click()
    expect(alert(page, "签约已登记")).to_be_visible()
    # The status of a secured loan after signing is REGISTERING, "Mortgage registration".
    expect(status).to_have_text("抵押登记中")
    expect(contracts).to_contain_text(f"{today_text} · 面签")

    # 2. The mortgage registrar finds it in the ledger, registers it and hands the certificate over.
    switch_user(page, sign_in, mortgage_registrar.username)
    nav(page, "registrations").click()
    expect(page.get_by_role("heading", name="抵押登记台帐")).to_be_visible()
    ledger = page.get_by_test_id("ledger")
    ledger.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", name=re.compile(number))).to_be_visible()
    registration = page.get_by_test_id("registration")
    expect(registration).to_have_count(1)
    # The registration forms render bare widgets without <label>s, hence the name selectors.
    registration.locator("[name=registry_office]").fill(REGISTRY_OFFICE)
    registration.locator("[name=submitted_on]").fill(today_text)
    registration.get_by_role("button", name="已提交登记机关").click()
    expect(alert(page, "已提交登记机关。")).to_be_visible()
    expect(registration).to_contain_text(REGISTRY_OFFICE)

    certificate = f"京(2026)朝阳区不动产证明第{application.pk:07d}号"
    registration.locator("[name=certificate_number]").fill(certificate)
    registration.locator("[name=registered_on]").fill(today_text)
    registration.get_by_role("button", name="已登记", exact=True).click()
    expect(alert(page, "登记结果已记录。")).to_be_visible()
    expect(registration).to_contain_text(certificate)

    registration.get_by_role("button", name="将权证移交放款监督岗").click()
    expect(alert(page, "权证已移交,须由放款监督岗确认接收。")).to_be_visible()
    expect(registration.get_by_role("button", name="将权证移交放款监督岗")).to_have_count(0)
    expect(status).to_have_text("抵押登记中")

    # 3. The disbursement supervisor receives the certificate and disburses.
    switch_user(page, sign_in, disbursement_supervisor.username)
    nav(page, "disbursement").click()
    expect(page.get_by_role("heading", name="放款", exact=True)).to_be_visible()
    page.get_by_test_id("disbursement-queue").get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", name=re.compile(number))).to_be_visible()
    page.get_by_role("button", name="确认接收权证").click()
    expect(alert(page, "权证已接收。")).to_be_visible()
    expect(status).to_have_text("待放款")

    disbursement = page.get_by_test_id("disbursement-panel")
    conditions = disbursement.locator("[data-testid^='condition-']")
    expect(conditions.first).to_be_visible()
    assert conditions.count() > 0
    for condition in conditions.all():
        expect(condition).to_contain_text("✓")
        expect(condition).not_to_contain_text("✗")
    expect(disbursement.get_by_label("起息日")).to_have_value(today_text)
    disbursement.get_by_label("起息日").fill(today_text)
    disbursement.get_by_label("借款人还款账号").fill(REPAYMENT_ACCOUNT)
    disbursement.get_by_role("button", name="放款", exact=True).click()
    account = LoanAccount.objects.get(application=application)
    expect(alert(page, "已放款,生成借据")).to_have_text(f"已放款,生成借据 {account.number}。")
    expect(status).to_have_text("已放款")
    expect(page.get_by_test_id("account-panel")).to_contain_text(account.number)

    # The IOU (借据) is a PDF.
    iou_link = page.get_by_test_id("contracts-panel").get_by_role("link", name="借据(PDF)")
    response = page.request.get(iou_link.evaluate("link => link.href"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/pdf")

    # 4. The loan officer opens the account. On the value date nothing is due yet, so a
    # repayment is refused in Chinese.
    switch_user(page, sign_in, loan_officer.username)
    nav(page, "accounts").click()
    expect(page.get_by_role("heading", name="借据查询")).to_be_visible()
    page.get_by_test_id("account-table").get_by_role("link", name=account.number).click()
    expect(page.get_by_role("heading", name=re.compile(account.number))).to_be_visible()
    statement_url = page.url
    expect(page.get_by_test_id("account-terms")).to_contain_text(REPAYMENT_ACCOUNT)
    expect(page.get_by_test_id("principal-outstanding")).to_have_text("800,000.00")
    expect(page.get_by_test_id("due-now")).to_have_text("0.00")
    expect(page.get_by_test_id("repayment-empty")).to_be_visible()

    form = page.get_by_test_id("repayment-form")
    form.get_by_label("还款金额(元)").fill("100.00")
    expect(form.get_by_label("还款日期")).to_have_value(today_text)
    form.get_by_label("还款渠道").select_option(label="银行转账")
    form.get_by_label("凭证号").fill("ZZ-EARLY-0001")
    form.get_by_role("button", name="登记还款").click()
    expect(alert(page, "超过当前应还金额")).to_have_text(
        "还款金额 100.00 元超过当前应还金额 0.00 元;提前还款请另行申请。"
    )
    expect(page.get_by_test_id("repayment-empty")).to_be_visible()

    # Make the first installment fall due today (time travel through the ORM) …
    Installment.objects.filter(account=account, period=1).update(due_date=today)
    first = Installment.objects.get(account=account, period=1)
    owed = first.principal_due + first.interest_due + first.penalty_due
    owed_text = f"{owed:,.2f}"
    # (Not page.reload(): that would post the refused form again, now successfully.)
    page.goto(statement_url)
    expect(page.get_by_test_id("due-now")).to_have_text(owed_text)

    # … and post exactly that.
    reference = "ZZ-2026-0001"
    form.get_by_label("还款金额(元)").fill(f"{owed:.2f}")
    form.get_by_label("还款渠道").select_option(label="银行转账")
    form.get_by_label("凭证号").fill(reference)
    form.get_by_role("button", name="登记还款").click()
    expect(alert(page, "已登记还款")).to_have_text(f"已登记还款 {owed_text} 元。")
    expect(page.get_by_role("heading", name="还款凭证")).to_be_visible()
    receipt = page.get_by_test_id("receipt")
    expect(receipt).to_contain_text(reference)
    expect(receipt).to_contain_text(owed_text)

    # The statement shows it in the history and the first installment as paid off.
    page.get_by_role("link", name="返回对账单").click()
    expect(page.get_by_role("heading", name=re.compile(account.number))).to_be_visible()
    history = page.get_by_test_id("repayment-table")
    row = history.locator("tbody tr").filter(has_text=reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(owed_text)
    expect(row).to_contain_text(today_text)
    expect(row).to_contain_text("银行转账")
    installment_1 = page.get_by_test_id("schedule-table").locator("tbody tr").first
    cells = installment_1.locator("td")
    expect(cells.first).to_have_text("1")
    expect(cells.nth(8)).to_have_text("0.00")  # owed
    expect(cells.nth(9)).to_have_text(today_text)  # paid off on
    expect(page.get_by_test_id("due-now")).to_have_text("0.00")
