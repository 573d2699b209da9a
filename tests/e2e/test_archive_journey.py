"""The browser journey of the archive: papers arrive expected when the loan's workflow steps
happen → the archivist receives the IOU onto a shelf and starts the deposit of the mortgage
certificate (他项权证, a vital voucher), which a second archivist confirms under their own login →
the loan officer borrows the certificate with the director's approval; it leaves and re-enters
the vault with two archivists → years later, the loan long settled, the IOU is listed for
destruction, the director approves, a witness (监销, the auditor) checks it against the list and
confirms; the IOU is marked destroyed and keeps its history. The certificate is never listed.

The loan is built through the services (approved → signed → mortgage registered → disbursed);
every step after that is done on the pages, by the role that does it at the bank. The pages
are found by their test ids and form fields, and statuses are matched in English or Chinese, so
the journey holds before and after the catalogue is merged.
"""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from archive.models import ArchiveItem, BatchStatus, DestructionBatch, EventKind, ItemStatus
from archive.retention import add_years
from loancenter import roles
from loans.models import AccountStatus, LoanAccount
from loans.services.disbursement import disburse
from loans.sweep import run_sweep
from tests.e2e.navigation import nav, switch_user
from tests.servicing import approved, registered, signed

ACCOUNT = "6222020200112233445"
VAULT = {"room": "金库", "cabinet": "V01", "shelf": "2", "box": "B07"}
SHELF = {"room": "A101", "cabinet": "C03", "shelf": "4", "box": "B12"}


def status(english, chinese):
    return re.compile(f"{re.escape(english)}|{re.escape(chinese)}")


IN_VAULT = status("In the vault", "在库")
EXPECTED = status("Expected", "待入库")
DESTROYED = status("Destroyed", "已销毁")


def success(page):
    return page.locator(".alert-success")


def fill(form, values):
    for name, value in values.items():
        form.locator(f"[name={name}]").fill(value)


def item_page(page, live_server, item):
    page.goto(f"{live_server.url}/archive/items/{item.pk}/")
    expect(page.get_by_role("heading", name=re.compile(re.escape(item.number)))).to_be_visible()


def confirm_in_vault(page, item):
    """The second archivist confirms the movement of ``item`` waiting on the vault page."""
    nav(page, "archive_vault").click()
    row = page.get_by_test_id("pending-movements").locator("tr", has_text=item.number)
    expect(row).to_have_count(1)
    row.get_by_test_id("confirm-movement").click()
    expect(success(page)).to_contain_text(item.number)
    expect(page.get_by_test_id("no-pending-movements")).to_be_visible()


@pytest.fixture
def mortgage_loan(
    settings,
    origination,
    loan_officer,
    investigator,
    reviewer,
    approver,
    mortgage_registrar,
    disbursement_supervisor,
):
    """A housing loan signed, registered (the certificate handed over) and disbursed today."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    application = signed(approved(loan_officer, investigator, reviewer, approver), loan_officer)
    application = registered(application, mortgage_registrar, disbursement_supervisor)
    return disburse(
        user=disbursement_supervisor,
        application=application,
        value_date=timezone.localdate(),
        repayment_account=ACCOUNT,
    )


def test_an_item_is_received_borrowed_returned_and_destroyed_with_two_people_each_time(
    page, sign_in, live_server, mortgage_loan, loan_officer, archivist, director, auditor, make_user
):
    second = make_user("archivist_two", roles.ARCHIVIST, last_name="李", first_name="复核")
    application = mortgage_loan.application
    registration = application.registrations.get()
    certificate = ArchiveItem.objects.get(source=f"certificate:{registration.pk}")
    iou = ArchiveItem.objects.get(source=f"iou:{mortgage_loan.pk}")
    assert certificate.is_vital and not iou.is_vital

    # 1. The papers arrive expected; the archivist receives the IOU onto a shelf.
    sign_in(archivist.username)
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
    nav(page, "archive").click()
    page.get_by_test_id("expected-link").click()
    expected = page.get_by_test_id("expected-table")
    for item in (certificate, iou):
        expect(expected.locator("tr", has_text=item.number)).to_have_count(1)
    expected.get_by_role("link", name=iou.number).click()
    expect(page.get_by_test_id("item-status")).to_have_text(EXPECTED)
    receive = page.get_by_test_id("receive-form")
    fill(receive, SHELF)
    receive.locator("button[type=submit]").click()
    expect(success(page)).to_contain_text(iou.number)
    expect(page.get_by_test_id("item-location")).to_have_text("A101 / C03 / 4 / B12")

    # 2. The certificate goes into the vault: one archivist starts, a second confirms.
    item_page(page, live_server, certificate)
    expect(page.get_by_test_id("receive-form")).to_have_count(0)
    deposit = page.get_by_test_id("deposit-form")
    fill(deposit, VAULT)
    deposit.locator("button[type=submit]").click()
    expect(page.get_by_test_id("item-pending-movement")).to_be_visible()
    expect(page.get_by_test_id("confirm-movement")).to_have_count(0)  # not by the same person
    switch_user(page, sign_in, second.username)
    confirm_in_vault(page, certificate)
    expect(page.get_by_test_id("vault-inventory")).to_contain_text(certificate.number)
    item_page(page, live_server, certificate)
    expect(page.get_by_test_id("item-status")).to_have_text(IN_VAULT)
    history = page.get_by_test_id("item-history")
    expect(history.locator("tr", has_text=second.display_name)).to_have_count(1)

    # 3. The loan officer asks to borrow the certificate from the application page.
    switch_user(page, sign_in, loan_officer.username)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    page.get_by_test_id("archive-panel").get_by_role("link", name=certificate.number).click()
    ask = page.get_by_test_id("borrow-request-form")
    ask.locator("[name=reason]").fill("抵押物部分解押,需核对他项权证原件。")
    ask.locator("button[type=submit]").click()
    expect(success(page)).to_be_visible()
    borrow = certificate.borrowings.get()

    # 4. A vital voucher is lent only with the director's approval.
    switch_user(page, sign_in, director.username)
    expect(page.get_by_test_id("nav-archive_approvals")).to_contain_text("1")
    nav(page, "archive_approvals").click()
    card = page.get_by_test_id(f"approval-{borrow.pk}")
    card.locator("[name=approve]").select_option("yes")
    card.locator("[name=note]").fill("同意调阅,按期归还。")
    card.get_by_test_id(f"decide-{borrow.pk}").click()
    expect(page.get_by_test_id("approvals-empty")).to_be_visible()

    # 5. Handed out: the withdrawal from the vault needs the second archivist again.
    switch_user(page, sign_in, archivist.username)
    item_page(page, live_server, certificate)
    page.get_by_test_id("borrow-check-out").click()
    expect(success(page)).to_be_visible()
    switch_user(page, sign_in, second.username)
    confirm_in_vault(page, certificate)
    certificate.refresh_from_db()
    assert certificate.status == ItemStatus.ON_LOAN

    # 6. Returned: back into the vault, confirmed by the second archivist.
    switch_user(page, sign_in, archivist.username)
    item_page(page, live_server, certificate)
    page.get_by_test_id("borrow-return").click()
    expect(success(page)).to_be_visible()
    switch_user(page, sign_in, second.username)
    confirm_in_vault(page, certificate)
    item_page(page, live_server, certificate)
    expect(page.get_by_test_id("item-status")).to_have_text(IN_VAULT)
    kinds = list(certificate.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.EXPECTED,
        EventKind.DEPOSITED,
        EventKind.WITHDRAWN,
        EventKind.BORROWED,
        EventKind.RETURNED,
        EventKind.DEPOSITED,
    ]
    expect(page.get_by_test_id("item-history").locator("tbody tr")).to_have_count(len(kinds))

    # Years later: the loan was settled five years and a month ago, and the nightly sweep
    # dates its papers (five years after settlement).
    today = timezone.localdate()
    settled_on = add_years(today, -5) - timedelta(days=31)
    LoanAccount.objects.filter(pk=mortgage_loan.pk).update(
        status=AccountStatus.SETTLED, settled_on=settled_on, principal_outstanding=0
    )
    run_sweep(business_date=today)
    iou.refresh_from_db()
    assert iou.retain_until == add_years(settled_on, 5) < today

    # 7. The archivist lists the IOU for destruction; the certificate is never listed.
    switch_user(page, sign_in, archivist.username)
    nav(page, "archive_destruction").click()
    page.get_by_test_id("due-link").click()
    due = page.get_by_test_id("due-table")
    expect(due.locator("tr", has_text=iou.number)).to_have_count(1)
    expect(due).not_to_contain_text(certificate.number)
    page.locator(f"#due-{iou.pk}").check()
    page.get_by_test_id("prepare-batch").click()
    batch = DestructionBatch.objects.get()
    expect(page.get_by_role("heading", name=re.compile(batch.number))).to_be_visible()
    expect(page.get_by_test_id("batch-lines")).to_contain_text(iou.number)
    page.get_by_test_id("submit-batch").click()
    expect(success(page)).to_be_visible()
    expect(page.get_by_test_id("submit-batch")).to_have_count(0)

    # 8. The director approves the list, with reasons.
    switch_user(page, sign_in, director.username)
    expect(page.get_by_test_id("nav-archive_destruction")).to_contain_text("1")
    nav(page, "archive_destruction").click()
    page.get_by_test_id("batch-table").get_by_role("link", name=batch.number).click()
    decide = page.get_by_test_id("decide-form")
    decide.locator("[name=approve]").select_option("yes")
    decide.locator("[name=opinion]").fill("保管期限已满,同意销毁。")
    decide.locator("button[type=submit]").click()
    expect(success(page)).to_be_visible()
    expect(page.get_by_test_id("batch-facts")).to_contain_text("保管期限已满,同意销毁。")

    # 9. The auditor witnesses: checks the IOU against the list, then confirms the destruction.
    switch_user(page, sign_in, auditor.username)
    expect(page.get_by_test_id("nav-archive_destruction")).to_contain_text("1")
    nav(page, "archive_destruction").click()
    page.get_by_test_id("batch-table").get_by_role("link", name=batch.number).click()
    expect(page.get_by_test_id("complete-form")).to_have_count(0)
    row = page.get_by_test_id("line-row").filter(has_text=iou.number)
    row.get_by_test_id("line-check").locator("button").click()
    expect(success(page)).to_contain_text(iou.number)
    expect(page.get_by_test_id("batch-witness")).to_contain_text(auditor.display_name)
    complete = page.get_by_test_id("complete-form")
    complete.locator("[name=method]").fill("碎纸机现场粉碎")
    complete.locator("button[type=submit]").click()
    expect(success(page)).to_be_visible()
    expect(page.get_by_test_id("batch-status")).to_have_text(status("Destroyed", "已销毁"))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DESTROYED and batch.witness == auditor

    response = page.request.get(f"{live_server.url}/archive/destruction/{batch.pk}/list.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(response.body())).pages)
    assert batch.number in text and iou.number in text and auditor.display_name in text

    # 10. The archivist can say why the IOU is gone; it can no longer be asked for.
    switch_user(page, sign_in, archivist.username)
    item_page(page, live_server, iou)
    expect(page.get_by_test_id("item-status")).to_have_text(DESTROYED)
    expect(page.get_by_test_id("item-details")).to_contain_text(batch.number)
    expect(page.get_by_test_id("item-history")).to_contain_text(batch.number)
    expect(page.get_by_test_id("destruction-panel")).to_contain_text(batch.number)
    expect(page.get_by_test_id("borrow-request-form")).to_have_count(0)
    assert ArchiveItem.objects.filter(pk=iou.pk, status=ItemStatus.DESTROYED).exists()
