import re

from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD


def test_a_loan_officer_signs_in_and_sees_the_chinese_work_page(page, sign_in, loan_officer):
    sign_in(loan_officer.username)
    expect(page).to_have_title(re.compile("我的工作台"))
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
    expect(page.get_by_test_id("my-roles")).to_contain_text("客户经理 / 营销岗")
    expect(page.get_by_test_id("current-user")).to_contain_text(loan_officer.display_name)


def test_the_user_switches_to_english_and_back(page, sign_in, loan_officer):
    sign_in(loan_officer.username)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="My work", exact=True)).to_be_visible()
    expect(page.get_by_test_id("my-roles")).to_contain_text("Loan officer")
    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()


def test_a_wrong_password_shows_a_chinese_error(page, sign_in, loan_officer):
    sign_in(loan_officer.username, "not-the-password")
    expect(page.get_by_test_id("login-error")).to_contain_text("请输入一个正确的")
    expect(page.get_by_label("用户名")).to_have_value(loan_officer.username)


def test_the_sixth_wrong_password_is_locked_out(page, sign_in, loan_officer):
    for _attempt in range(4):
        sign_in(loan_officer.username, "not-the-password")
        expect(page.get_by_test_id("login-error")).to_be_visible()
    sign_in(loan_officer.username, "not-the-password")  # the fifth failure locks the account
    expect(page.get_by_test_id("locked-out")).to_have_text("账户已锁定")
    sign_in(loan_officer.username, "not-the-password")
    expect(page.get_by_test_id("locked-out")).to_have_text("账户已锁定")
    sign_in(loan_officer.username, TEST_PASSWORD)  # even the right password, until it lifts
    expect(page.get_by_test_id("locked-out")).to_be_visible()


def test_the_auditor_reads_the_audit_trail_from_the_navigation(page, sign_in, auditor):
    sign_in(auditor.username)
    page.get_by_role("link", name="审计日志").first.click()
    expect(page.get_by_role("heading", name="审计日志")).to_be_visible()
    expect(page.get_by_text("没有符合条件的审计记录。")).to_be_visible()
