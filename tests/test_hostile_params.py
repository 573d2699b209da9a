"""Junk in query strings and forms answers a page or a 404, never a 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

JUNK = ["abc", "-1", "9" * 30, "<script>alert(1)</script>", "1e400", "%00", "' OR 1=1 --"]


@pytest.mark.parametrize("junk", JUNK)
@pytest.mark.parametrize(
    "url_name,param",
    [
        ("applications:create", "customer"),
        ("applications:queue", "q"),
        ("applications:queue", "page"),
        ("applications:queue", "order"),
        ("applications:customer_list", "q"),
        ("loans:account_list", "q"),
        ("loans:account_list", "status"),
        ("collateral:queue", "status"),
        ("audit_log", "date_from"),
        ("loans:calculator", "principal"),
        ("reports:validation_report", "scorecard"),
    ],
)
def test_hostile_query_parameters_never_raise(
    client, origination, superuser, url_name, param, junk, make_user
):
    officer = make_user("hostile_officer", "loan_officer", "director")
    client.force_login(officer)
    response = client.get(reverse(url_name), {param: junk})
    assert response.status_code in (200, 302, 404), response.status_code


@pytest.mark.parametrize(
    "path",
    [
        "/applications/9999999999999999999999/",
        "/applications/customers/99999999999999999999/",
        "/loans/accounts/99999999999999999999/",
        "/review/99999999999999999999/decide/",
    ],
)
def test_ids_too_large_for_the_database_are_404(client, make_user, path):
    client.force_login(make_user("any_director", "director"))
    assert client.get(path).status_code == 404


def test_the_largest_valid_id_is_a_plain_404(client, make_user):
    client.force_login(make_user("any_director2", "director"))
    assert client.get("/applications/999999999999999999/").status_code == 404
