import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_an_anonymous_visitor_is_sent_to_the_chinese_sign_in_page(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    page = client.get(response["Location"])
    assert "登录个贷中心" in page.content.decode()


def test_a_browser_asking_for_english_still_gets_chinese_by_default(client):
    page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "登录个贷中心" in page.content.decode()


def test_the_work_page_shows_the_users_roles_in_chinese(client, loan_officer):
    client.force_login(loan_officer)
    page = client.get("/").content.decode()
    assert "我的工作台" in page
    assert "客户经理 / 营销岗" in page
    assert loan_officer.display_name in page


def test_a_user_can_switch_to_english_and_back(client, loan_officer):
    client.force_login(loan_officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "My work" in page and "Loan officer" in page
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "我的工作台" in client.get("/").content.decode()


def test_a_wrong_password_shows_a_chinese_error(client, loan_officer):
    response = sign_in(client, loan_officer.username, "wrong-password")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_the_right_password_signs_in(client, loan_officer):
    response = sign_in(client, loan_officer.username, TEST_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_sixth_attempt_after_five_wrong_passwords_is_locked_out(client, loan_officer):
    for _ in range(5):
        sign_in(client, loan_officer.username, "wrong-password")
    response = sign_in(client, loan_officer.username, TEST_PASSWORD)
    assert response.status_code == 429
    assert "账户已锁定" in response.content.decode()
    # the lock is on the account, not on this browser
    assert sign_in(Client(), loan_officer.username, TEST_PASSWORD).status_code == 429


def test_idle_sessions_expire_and_the_expiry_is_renewed_on_each_request(client, loan_officer):
    client.force_login(loan_officer)
    client.get("/")
    assert client.session.get_expiry_age() == 30 * 60
    assert client.cookies["sessionid"]["max-age"] in ("", 1800)


def test_the_audit_trail_is_for_auditors_and_the_director(client, loan_officer, auditor, director):
    client.force_login(loan_officer)
    assert client.get("/audit/").status_code == 403
    for reader in (auditor, director):
        client.force_login(reader)
        page = client.get("/audit/")
        assert page.status_code == 200
        assert "审计日志" in page.content.decode()


def test_the_audit_trail_filter_rejects_an_inverted_date_range(client, auditor):
    client.force_login(auditor)
    page = client.get("/audit/", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert page.status_code == 200
    assert "开始日期晚于结束日期" in page.content.decode()


def test_navigation_follows_the_roles(client, loan_officer, auditor):
    client.force_login(loan_officer)
    assert 'href="/audit/"' not in client.get("/").content.decode()
    client.force_login(auditor)
    assert 'href="/audit/"' in client.get("/").content.decode()


def test_unknown_pages_answer_a_chinese_404(client, loan_officer):
    client.force_login(loan_officer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_the_admin_is_titled_in_chinese(client, superuser):
    client.force_login(superuser)
    assert "个贷中心管理" in client.get("/admin/").content.decode()


def test_the_admin_refuses_conflicting_roles_on_the_page(client, superuser, mortgage_registrar):
    from django.contrib.auth.models import Group

    client.force_login(superuser)
    url = f"/admin/loancenter/user/{mortgage_registrar.pk}/change/"
    form = {
        "username": mortgage_registrar.username,
        "groups": [g.pk for g in Group.objects.filter(name__in=["mortgage_registrar", "approver"])],
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "岗位分离:同一人不得同时担任审批岗和抵押办证岗" in response.content.decode()
    assert set(mortgage_registrar.groups.values_list("name", flat=True)) == {"mortgage_registrar"}


def test_static_assets_are_served_by_the_app_not_a_cdn(client, loan_officer):
    client.force_login(loan_officer)
    page = client.get("/").content.decode()
    assert "cdn" not in page.lower()
    assert "/static/bootstrap/css/bootstrap.min.css" in page
    assert "/static/django_htmx/htmx-2.min.js" in page
