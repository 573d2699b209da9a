"""Sign-in: what tests/loancenter/test_views.py does not already prove about the lockout,
idle sessions and password rules (it covers the sixth attempt being locked, on any browser,
and the 30-minute expiry being set and renewed)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def fail(username, times):
    for _ in range(times):
        assert sign_in(Client(), username, "wrong-password").status_code in (200, 429)


def test_four_failures_still_let_the_right_password_in(loan_officer):
    fail(loan_officer.username, 4)
    assert sign_in(Client(), loan_officer.username, TEST_PASSWORD).status_code == 302


def test_a_success_clears_the_count_of_earlier_failures(loan_officer):
    fail(loan_officer.username, 4)
    assert sign_in(Client(), loan_officer.username, TEST_PASSWORD).status_code == 302
    fail(loan_officer.username, 4)
    assert sign_in(Client(), loan_officer.username, TEST_PASSWORD).status_code == 302


def test_the_lock_is_on_one_account_and_lifts_after_fifteen_minutes(loan_officer, investigator):
    fail(loan_officer.username, 5)
    assert sign_in(Client(), loan_officer.username, TEST_PASSWORD).status_code == 429
    # a colleague at the same address signs in as usual
    assert sign_in(Client(), investigator.username, TEST_PASSWORD).status_code == 302
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert sign_in(Client(), loan_officer.username, TEST_PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(Client(), loan_officer.username, TEST_PASSWORD).status_code == 302


def test_the_fifth_failure_locks_and_the_page_says_so(loan_officer):
    fail(loan_officer.username, 4)
    fifth = sign_in(Client(), loan_officer.username, "wrong-password")
    assert fifth.status_code == 429 and "账户已锁定" in fifth.content.decode()
    assert AccessAttempt.objects.get(username=loan_officer.username).failures_since_start == 5


def test_a_session_idle_for_thirty_minutes_ends(client, loan_officer):
    client.force_login(loan_officer)
    assert client.get("/").status_code == 200
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )  # the last request was thirty minutes ago
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_a_request_after_twenty_nine_idle_minutes_renews_the_session(client, loan_officer):
    client.force_login(loan_officer)
    client.get("/")
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get("/").status_code == 200
    renewed = Session.objects.get(pk=key).expire_date - timezone.now()
    assert timedelta(minutes=29) < renewed <= timedelta(minutes=30)


def test_signing_out_ends_the_session_on_the_server(client, loan_officer):
    client.force_login(loan_officer)
    key = client.session.session_key
    assert client.post(reverse("logout")).status_code == 302
    assert not Session.objects.filter(pk=key).exists()
    assert client.get("/").status_code == 302


def test_signing_out_needs_a_post(client, loan_officer):
    client.force_login(loan_officer)
    assert client.get(reverse("logout")).status_code == 405


def change_password(client, new):
    return client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )


@pytest.mark.parametrize(
    "weak,reason",
    [
        ("Ab#12345", "too short (under 10)"),
        ("3141592653589", "only digits"),
        ("password123", "a common password"),
        ("loan_officer2026", "too like the username"),
    ],
)
def test_a_weak_new_password_is_refused(client, loan_officer, weak, reason):
    client.force_login(loan_officer)
    response = change_password(client, weak)
    assert response.status_code == 200, reason
    assert response.context["form"].errors["new_password2"], reason
    loan_officer.refresh_from_db()
    assert loan_officer.check_password(TEST_PASSWORD)


def test_a_strong_new_password_is_accepted_and_the_old_one_stops_working(client, loan_officer):
    client.force_login(loan_officer)
    assert change_password(client, "Qz7!river-lantern").status_code == 302
    assert sign_in(Client(), loan_officer.username, TEST_PASSWORD).status_code == 200
    assert sign_in(Client(), loan_officer.username, "Qz7!river-lantern").status_code == 302


def test_the_password_change_needs_the_current_password(client, loan_officer):
    client.force_login(loan_officer)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "not-my-password",
            "new_password1": "Qz7!river-lantern",
            "new_password2": "Qz7!river-lantern",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["old_password"]
