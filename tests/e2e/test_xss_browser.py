"""In a real browser, script payloads typed into free-text fields never run: one in element
content, one that breaks out of an attribute. The browser context bypasses the
Content-Security-Policy, so the test proves the escaping itself (CSP is a second wall)."""

import pytest
from django.urls import reverse

from applications.models import LoanApplication
from tests.factories import TEST_PASSWORD
from tests.origination import draft, make_customer

pytestmark = pytest.mark.django_db(transaction=True)

IN_CONTENT = "<script>window.__xss=1</script>"
IN_ATTRIBUTE = '"\'><img src=x onerror="window.__xss=1">'
AUTOFOCUS = '" autofocus onfocus="window.__xss=1" x="'


@pytest.fixture
def planted(origination, loan_officer):
    customer = make_customer(
        loan_officer,
        name="张三" + IN_CONTENT,
        address="北京" + IN_ATTRIBUTE,
        employer="某公司" + AUTOFOCUS,
    )
    application = draft(loan_officer, customer=customer, with_collateral=False)
    LoanApplication.objects.filter(pk=application.pk).update(purpose="装修" + IN_ATTRIBUTE)
    return customer, application


@pytest.fixture
def csp_free_page(browser, live_server, loan_officer):
    context = browser.new_context(bypass_csp=True, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.dismiss())
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(loan_officer.username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    yield page
    context.close()


def test_payloads_in_customer_and_application_fields_never_run(planted, csp_free_page, live_server):
    customer, application = planted
    pages = [
        reverse("applications:customer_list"),
        reverse("applications:customer_detail", args=[customer.pk]),
        reverse("applications:customer_edit", args=[customer.pk]),  # values in attributes
        reverse("applications:detail", args=[application.pk]),
        reverse("applications:edit", args=[application.pk]),
        reverse("applications:queue"),
    ]
    for path in pages:
        csp_free_page.goto(live_server.url + path)
        csp_free_page.wait_for_load_state("networkidle")
        assert csp_free_page.evaluate("window.__xss") is None, path
        assert csp_free_page.locator("img[src='x']").count() == 0, path
        assert csp_free_page.locator("[onfocus]").count() == 0, path
    csp_free_page.goto(
        live_server.url + reverse("applications:customer_detail", args=[customer.pk])
    )
    assert IN_CONTENT in csp_free_page.locator("body").inner_text()  # shown as text
    print(f"\nbrowser_xss_pages_checked {len(pages)}")


def test_a_payload_typed_into_a_form_is_shown_as_text(planted, csp_free_page, live_server):
    _customer, application = planted
    csp_free_page.goto(live_server.url + reverse("applications:detail", args=[application.pk]))
    form = csp_free_page.locator(
        f"form[action='{reverse('applications:withdraw', args=[application.pk])}']"
    )
    if form.count() == 0:
        pytest.skip("the withdraw form is not on the draft page")
    reason = "撤回" + IN_CONTENT + IN_ATTRIBUTE
    with csp_free_page.expect_navigation():  # the reason box sits in a collapsed panel
        form.evaluate(
            "(f, reason) => { f.querySelector('textarea').value = reason; f.requestSubmit(); }",
            reason,
        )
    csp_free_page.wait_for_load_state("networkidle")
    assert csp_free_page.evaluate("window.__xss") is None
    assert csp_free_page.locator("img[src='x']").count() == 0
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert IN_CONTENT in csp_free_page.locator("body").inner_text()  # the reason, as text
