"""Post-loan check pages: who sees which checks, filters, the form, the nav item and admin."""

import importlib.util
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from applications.models import LoanProduct
from collection.models import PostLoanCheck
from collection.sweep_checks import ensure_checks
from loancenter.navigation import items_for
from loans.models import LoanAccount
from tests.servicing import consumer_account

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
VALUE_DATE = TODAY - timedelta(days=100)
LIST = reverse("collection:check_list")
# collection/admin.py (the collection cases work) imports admin_checks; until it exists the
# admin has no collection pages.
needs_collection_admin = pytest.mark.skipif(
    importlib.util.find_spec("collection.admin") is None,
    reason="collection/admin.py, which imports collection.admin_checks, is not written yet",
)


@pytest.fixture(autouse=True)
def _defaults(origination):
    pass


@pytest.fixture
def account(loan_officer, investigator, reviewer, approver, disbursement_supervisor):
    account = consumer_account(
        loan_officer,
        investigator,
        reviewer,
        approver,
        disbursement_supervisor,
        value_date=VALUE_DATE,
    )
    LoanAccount.objects.filter(pk=account.pk).update(
        product=LoanProduct.objects.get(code="BUSINESS")
    )
    account.refresh_from_db()
    return account


@pytest.fixture
def check(account):
    ensure_checks(TODAY)
    return PostLoanCheck.objects.get(account=account)


def form_data(**overrides):
    data = {
        "done_on": TODAY.isoformat(),
        "findings": "实地走访,经营正常。",
        "risk_signals": ["collateral_fallen"],
        "conclusion": "watch",
    }
    data.update(overrides)
    return data


def test_the_officer_sees_their_overdue_check_first_and_marked(client, check, loan_officer):
    client.force_login(loan_officer)
    response = client.get(LIST)
    body = response.content.decode()
    assert response.status_code == 200
    assert check.account.number in body and "table-danger" in body


def test_another_officer_sees_none_of_them(client, check, other_officer):
    client.force_login(other_officer)
    body = client.get(LIST).content.decode()
    assert check.account.number not in body and 'data-testid="check-empty"' in body
    url = reverse("collection:check_detail", args=[check.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["director", "auditor"])
def test_the_director_and_the_auditor_see_every_check(client, check, role, request):
    client.force_login(request.getfixturevalue(role))
    assert check.account.number in client.get(LIST).content.decode()
    page = client.get(reverse("collection:check_detail", args=[check.pk]))
    assert page.status_code == 200 and 'data-testid="check-form"' not in page.content.decode()


@pytest.mark.parametrize("role", ["reviewer", "collections_officer", "archivist"])
def test_other_roles_do_not_get_the_queue(client, check, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(LIST).status_code == 404
    assert client.get(reverse("collection:check_detail", args=[check.pk])).status_code == 404


def test_the_queue_needs_a_sign_in(client):
    assert client.get(LIST).status_code == 302


def test_the_filters_show_overdue_done_and_all(client, check, loan_officer):
    client.force_login(loan_officer)
    number = check.account.number
    assert number in client.get(LIST, {"show": "overdue"}).content.decode()
    assert number not in client.get(LIST, {"show": "done"}).content.decode()
    client.post(reverse("collection:check_detail", args=[check.pk]), form_data())
    done = client.get(LIST, {"show": "done"}).content.decode()
    assert number in done
    overdue = client.get(LIST, {"show": "overdue"}).content.decode()
    assert 'data-testid="check-empty"' in overdue  # check #2 is not due yet
    assert client.get(LIST, {"show": "all"}).content.decode().count('data-testid="check-row"') == 2
    assert client.get(LIST, {"show": "nonsense", "page": "x"}).status_code == 200


def test_the_officer_records_the_check_on_its_page(client, check, loan_officer):
    client.force_login(loan_officer)
    url = reverse("collection:check_detail", args=[check.pk])
    assert 'data-testid="check-form"' in client.get(url).content.decode()
    response = client.post(url, form_data())
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.conclusion == "watch" and check.risk_signals == ["collateral_fallen"]
    page = client.get(url).content.decode()
    assert 'data-testid="check-form"' not in page and "实地走访" in page


def test_a_refused_check_shows_why_and_keeps_the_input(client, check, loan_officer):
    client.force_login(loan_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("collection:check_detail", args=[check.pk])
    future = (TODAY + timedelta(days=3)).isoformat()
    response = client.post(url, form_data(done_on=future))
    body = response.content.decode()
    assert response.status_code == 200 and "实地走访" in body
    assert "cannot be dated in the future" in body
    check.refresh_from_db()
    assert check.done_on is None


def test_an_empty_form_is_shown_again_with_errors(client, check, loan_officer):
    client.force_login(loan_officer)
    url = reverse("collection:check_detail", args=[check.pk])
    response = client.post(url, form_data(findings="", risk_signals=["nonsense"]))
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()


def test_the_director_may_not_post_a_check(client, check, director):
    client.force_login(director)
    url = reverse("collection:check_detail", args=[check.pk])
    assert client.post(url, form_data()).status_code == 404
    check.refresh_from_db()
    assert check.done_on is None


def test_the_nav_item_shows_the_officers_overdue_checks(check, loan_officer, director, reviewer):
    items = {item["key"]: item for item in items_for(loan_officer)}
    assert items["checks"]["badge"] == 1 and items["checks"]["url"] == LIST
    assert "checks" in {item["key"] for item in items_for(director)}
    assert "checks" not in {item["key"] for item in items_for(reviewer)}


@needs_collection_admin
def test_the_schedules_are_edited_in_the_admin(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:collection_checkschedule_changelist"))
    assert response.status_code == 200 and "个人经营贷款" in response.content.decode()


@needs_collection_admin
def test_checks_are_read_only_in_the_admin(client, superuser, check):
    client.force_login(superuser)
    url = reverse("admin:collection_postloancheck_change", args=[check.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert client.post(url, {"due_on": TODAY.isoformat()}).status_code == 403


JUNK = ["abc", "-1", "9" * 30, "<script>alert(1)</script>", "1e400", "%00", "' OR 1=1 --"]


@pytest.mark.parametrize("param", ["show", "page"])
@pytest.mark.parametrize("junk", JUNK)
def test_junk_in_the_query_string_answers_a_page(client, loan_officer, param, junk):
    client.force_login(loan_officer)
    assert client.get(LIST, {param: junk}).status_code == 200


def test_ids_too_large_for_the_database_are_404(client, director):
    client.force_login(director)
    assert client.get("/collection/checks/99999999999999999999/").status_code == 404
