"""The browser journey of a collection case, in Chinese: M1 with the loan officer → the
director's catch-up sweep → M3+ on the legal track → lawsuit and judgment → write-off with
evidence, reviewed and approved → a recovery after write-off.

The loan is built through the services (tests.servicing.consumer_account) and swept in Python
for a business date 80 days ago; every step after that is done on the pages, by the role that
does it at the bank.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from collection.models import CollectionCase, PromiseToPay
from loancenter.repayment import add_months
from loans.sweep import run_sweep
from tests.e2e.navigation import nav, switch_user
from tests.origination import PDF_BYTES
from tests.servicing import consumer_account

COURT = "北京市朝阳区人民法院"
COURT_CASE = "(2026)京0105民初12345号"
RECOVERY_REFERENCE = "ZS-2026-0001"
# Catching up eighty business dates takes a few seconds on one request.
SWEEP_TIMEOUT = 60_000


def pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}


def alert(page, text):
    return page.get_by_role("alert").filter(has_text=text)


def open_case(page, number):
    """From the navigation bar to the case page of loan ``number``."""
    nav(page, "collections").click()
    expect(page.get_by_role("heading", name="催收案件")).to_be_visible()
    page.get_by_test_id("case-table").get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", name=re.compile(f"催收案件 {number}"))).to_be_visible()


def first_due_date(today):
    """About 100 days ago, on a day of the month every month has, so that a loan valued a
    month earlier falls due on exactly that day."""
    due = today - timedelta(days=100)
    while due.day > 28:
        due -= timedelta(days=1)
    return due


@pytest.fixture
def overdue_loan(
    settings,
    origination,
    loan_officer,
    investigator,
    reviewer,
    approver,
    disbursement_supervisor,
):
    """A 120,000 consumer loan whose first installment fell due ~100 days ago and was never
    paid, swept for the business date 20 days after that (M1, with the loan officer)."""
    # The director's "run the sweep now" button is for the embedded set-up without a beat;
    # with REDIS_URL set (CI) the setting is False, so the test turns it on.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    due = first_due_date(timezone.localdate())
    account = consumer_account(
        loan_officer,
        investigator,
        reviewer,
        approver,
        disbursement_supervisor,
        value_date=add_months(due, -1),
    )
    assert account.installments.get(period=1).due_date == due
    run_sweep(business_date=due + timedelta(days=20))
    account.refresh_from_db()
    assert (account.days_past_due, account.bucket, account.status) == (20, "M1", "overdue")
    return account


def test_a_case_goes_from_m1_to_write_off_and_money_is_recovered_after_it(
    page,
    sign_in,
    live_server,
    overdue_loan,
    loan_officer,
    reviewer,
    director,
    collections_officer,
):
    account = overdue_loan
    number = account.number
    due = account.installments.get(period=1).due_date
    today = timezone.localdate()
    today_text = f"{today:%Y-%m-%d}"
    days_now = (today - due).days
    next_week = f"{today + timedelta(days=7):%Y-%m-%d}"

    # 1. The loan officer finds the case in M1 in the queue and works it.
    sign_in(loan_officer.username)
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
    nav(page, "collections").click()
    expect(page.get_by_role("heading", name="催收案件")).to_be_visible()
    row = page.get_by_test_id("case-row").filter(has_text=number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("M1")
    expect(row).to_contain_text("客户经理催收(M1)")
    expect(row).to_contain_text(loan_officer.display_name)
    row.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", name=re.compile(f"催收案件 {number}"))).to_be_visible()
    expect(page.get_by_test_id("bucket")).to_have_text("M1")
    expect(page.get_by_test_id("days-past-due")).to_have_text("20")
    expect(page.get_by_test_id("assignee")).to_have_text(loan_officer.display_name)
    expect(page.get_by_test_id("account-status")).to_have_text("逾期")

    action = page.get_by_test_id("action-form")
    action.get_by_label("操作").select_option(label="电话催收")
    action.get_by_label("催收结果").fill("借款人接听,称资金周转困难,下周还款。")
    action.get_by_label("下次催收日期").fill(next_week)
    action.get_by_role("button", name="登记催收").click()
    expect(alert(page, "催收记录已登记。")).to_be_visible()
    actions = page.get_by_test_id("action-table")
    expect(actions).to_contain_text("电话催收")
    expect(actions).to_contain_text("借款人接听,称资金周转困难,下周还款。")
    expect(actions).to_contain_text(next_week)

    promise = page.get_by_test_id("promise-form")
    promise.get_by_label("承诺还款金额").fill("10000.00")
    promise.get_by_label("承诺还款日期").fill(today_text)
    promise.get_by_role("button", name="登记承诺").click()
    expect(alert(page, "承诺还款已登记。")).to_be_visible()
    promises = page.get_by_test_id("promise-table")
    expect(promises).to_contain_text("10,000.00")
    expect(promises).to_contain_text("待履行")

    # The promise was made on the business date the sweep last ran, to pay five days later
    # (time travel through the ORM: the page only takes dates from today on), so the
    # catch-up sweep finds it broken.
    PromiseToPay.objects.filter(case__account=account).update(
        made_on=due + timedelta(days=20), promised_on=due + timedelta(days=25)
    )

    # 2. The director catches the missed business dates up to today.
    switch_user(page, sign_in, director.username)
    nav(page, "sweep").click()
    expect(page.get_by_role("heading", name="逾期日终批处理")).to_be_visible()
    missing = days_now - 20
    expect(page.get_by_test_id("sweep-missing")).to_contain_text(str(missing))
    page.get_by_test_id("run-sweep").click()
    expect(alert(page, "逾期日终批处理已运行")).to_have_text(
        f"逾期日终批处理已运行 {missing} 个营业日，截至 {today_text}。", timeout=SWEEP_TIMEOUT
    )
    expect(page.get_by_test_id("sweep-missing")).to_have_count(0)
    expect(page.get_by_test_id("sweep-runs")).to_contain_text(today_text)

    # Now 100 days past due: M3+, substandard, on the legal track with the collections officer;
    # the loan officer's promise is broken.
    open_case(page, number)
    expect(page.get_by_test_id("days-past-due")).to_have_text(str(days_now))
    expect(page.get_by_test_id("bucket")).to_have_text("M3+")
    expect(page.get_by_test_id("track")).to_have_text("诉讼(M3+)")
    expect(page.get_by_test_id("classification")).to_have_text("次级")
    expect(page.get_by_test_id("assignee")).to_have_text(collections_officer.display_name)
    expect(page.get_by_test_id("promise-table")).to_contain_text("已违约")
    expect(page.get_by_test_id("action-form")).to_have_count(0)  # the director only reads

    # 3. The collections officer sues, records the judgment and asks for the write-off.
    switch_user(page, sign_in, collections_officer.username)
    open_case(page, number)
    lawsuit_form = page.get_by_test_id("lawsuit-form")
    lawsuit_form.get_by_label("受理法院").fill(COURT)
    lawsuit_form.get_by_label("案号").fill(COURT_CASE)
    expect(lawsuit_form.get_by_label("立案日期")).to_have_value(today_text)
    lawsuit_form.get_by_label("诉讼标的金额").fill("120000.00")
    lawsuit_form.get_by_role("button", name="登记诉讼").click()
    expect(alert(page, "诉讼已登记。")).to_be_visible()
    lawsuit = page.get_by_test_id("lawsuit")
    expect(lawsuit).to_have_count(1)
    expect(lawsuit).to_contain_text(f"{COURT} {COURT_CASE}")
    expect(lawsuit).to_contain_text("120,000.00")

    lawsuit.locator("summary", has_text="登记判决").click()
    judgment = lawsuit.get_by_test_id("judgment-form")
    judgment.get_by_label(re.compile(r"^判决( \*)?$")).fill("判决借款人偿还全部借款本息及罚息。")
    expect(judgment.get_by_label("判决日期")).to_have_value(today_text)
    judgment.get_by_role("button", name="登记判决").click()
    expect(alert(page, "判决已登记。")).to_be_visible()
    expect(lawsuit).to_contain_text("判决借款人偿还全部借款本息及罚息。")

    write_off = page.get_by_test_id("writeoff-form")
    write_off.get_by_label("核销依据").select_option(label="法院终结执行")
    write_off.get_by_label("理由").fill("借款人无财产可供执行,法院裁定终结本次执行程序。")
    write_off.get_by_label("法院判决书").set_input_files(pdf("判决书.pdf"))
    write_off.get_by_label("终结执行或执行不能裁定书").set_input_files(pdf("终结执行裁定书.pdf"))
    write_off.get_by_role("button", name="提交审查").click()
    expect(alert(page, "核销申请已提交审查岗。")).to_be_visible()
    requests = page.get_by_test_id("writeoff-table")
    expect(requests).to_contain_text("待审查")
    expect(requests.get_by_test_id("evidence-link")).to_have_count(2)
    expect(page.get_by_test_id("writeoff-form")).to_have_count(0)  # one request at a time

    # 4. The reviewer agrees, from the write-off queue.
    switch_user(page, sign_in, reviewer.username)
    nav(page, "collections").click()
    page.get_by_test_id("writeoff-queue-link").click()
    expect(page.get_by_role("heading", name="核销申请")).to_be_visible()
    page.get_by_test_id("writeoff-queue").get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", name=re.compile(f"核销申请 {number}"))).to_be_visible()
    status = page.get_by_test_id("writeoff-status")
    expect(status).to_have_text("待审查")
    evidence = page.get_by_test_id("evidence-list")
    expect(evidence).to_contain_text("判决书.pdf")
    expect(evidence).to_contain_text("终结执行裁定书.pdf")
    decide(page, "法律文书齐全,终结执行裁定有效,同意核销。")
    expect(status).to_have_text("待主任审批")

    # 5. The director approves: the loan is written off, the case stays open for recovery.
    switch_user(page, sign_in, director.username)
    nav(page, "collections").click()
    page.get_by_test_id("writeoff-queue-link").click()
    page.get_by_test_id("writeoff-queue").get_by_role("link", name=number).click()
    expect(status).to_have_text("待主任审批")
    decide(page, "证据充分,在主任权限内,同意核销。")
    expect(status).to_have_text("已核销")
    page.get_by_role("link", name="催收案件", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(f"催收案件 {number}"))).to_be_visible()
    expect(page.get_by_test_id("account-status")).to_have_text("已核销")
    expect(page.get_by_test_id("case-status")).to_have_text("未结案")
    expect(page.get_by_test_id("track")).to_have_text("核销后追偿")

    # 6. The collections officer records money recovered after the write-off.
    switch_user(page, sign_in, collections_officer.username)
    open_case(page, number)
    recovery = page.get_by_test_id("recovery-form")
    recovery.get_by_label("收回金额").fill("5000.00")
    expect(recovery.get_by_label("收款日期")).to_have_value(today_text)
    recovery.get_by_label("款项来源").select_option(label="借款人")
    recovery.get_by_label("付款流水号").fill(RECOVERY_REFERENCE)
    recovery.get_by_label("备注").fill("借款人亲属代为偿还。")
    recovery.get_by_role("button", name="登记收回").click()
    expect(alert(page, "收回款项已登记。")).to_be_visible()
    recovered = page.get_by_test_id("recovery-table").locator("tbody tr")
    expect(recovered).to_have_count(1)
    for text in (today_text, "5,000.00", "借款人", RECOVERY_REFERENCE, "借款人亲属代为偿还。"):
        expect(recovered).to_contain_text(text)
    expect(page.get_by_test_id("case-status")).to_have_text("未结案")
    assert CollectionCase.objects.get(account=account).is_open


def decide(page, reasons):
    form = page.get_by_test_id("writeoff-decision-form")
    form.get_by_label("意见").select_option(label="同意")
    form.get_by_label("理由").fill(reasons)
    form.get_by_role("button", name="提交审批意见").click()
    expect(alert(page, "审批意见已提交。")).to_be_visible()
