"""The director's dashboard: who sees it, what it shows, and a fixed number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from loancenter import audit
from loans.models import PortfolioSnapshot
from reports import selectors_dashboard
from reports.defaults import seed_alert_levels
from reports.models import AlertLevel, OfficerTarget
from tests.origination import reviewed
from tests.reports.test_figures import account_rows

pytestmark = pytest.mark.django_db
URL = reverse("reports:dashboard")


@pytest.fixture
def snapshots(origination):
    from applications.models import LoanProduct

    seed_alert_levels(AlertLevel)
    product = LoanProduct.objects.order_by("pk").first()
    on = timezone.localdate()
    PortfolioSnapshot.objects.create(
        business_date=on,
        product=product,
        classification="normal",
        bucket="",
        accounts=9,
        principal_outstanding=Decimal("962500.00"),
    )
    PortfolioSnapshot.objects.create(
        business_date=on,
        product=product,
        classification="special_mention",
        bucket="M1",
        accounts=1,
        principal_outstanding=Decimal("37500.00"),
        overdue_principal=Decimal("37500.00"),
    )
    return on


def test_the_director_sees_the_figures_coloured_against_the_alert_levels(
    client, director, snapshots
):
    client.force_login(director)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="overdue_rate" data-state="alert"' in html
    assert "3.75%" in html
    assert 'data-figure="npl_ratio" data-state="ok"' in html
    assert "<svg" in html and "1,000,000" in html, html[html.find("<tfoot>") :][:300]
    assert 'data-testid="read-only"' not in html


def test_the_director_sees_what_waits_for_a_decision_with_its_age_and_a_link(
    client, director, loan_officer, investigator, reviewer, origination
):
    application = reviewed(loan_officer, investigator, reviewer)
    assert application.status == "approving"
    client.force_login(director)
    later = timezone.now() + timedelta(days=3)
    waiting = selectors_dashboard.approvals_waiting(director, later)
    assert [(row.application, row.age_days) for row in waiting] == [(application, 3)]
    html = client.get(URL).content.decode()
    assert reverse("applications:detail", args=[application.pk]) in html
    assert application.number in html


def test_an_application_the_director_reviewed_does_not_wait_for_their_approval(
    director, loan_officer, investigator, reviewer, origination
):
    application = reviewed(loan_officer, investigator, reviewer)
    with transaction.atomic():
        audit.record(actor=director, action="review", obj=application, duty="review")
    assert selectors_dashboard.approvals_waiting(director, timezone.now()) == []


def test_the_auditor_reads_the_dashboard_but_decides_nothing(
    client, auditor, loan_officer, investigator, reviewer, origination, snapshots
):
    reviewed(loan_officer, investigator, reviewer)
    client.force_login(auditor)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="read-only"' in html
    assert 'data-testid="approvals-waiting"' not in html


@pytest.mark.parametrize(
    "role", ["loan_officer", "approver", "reviewer", "collections_officer", "head_office"]
)
def test_anyone_else_gets_a_404(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 404


def test_a_visitor_is_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302


def test_the_directors_home_is_the_dashboard(client, director, loan_officer):
    client.force_login(director)
    assert client.get(reverse("home")).url == URL
    client.force_login(loan_officer)
    assert client.get(reverse("home")).status_code == 200


def test_an_empty_book_shows_empty_states(client, director):
    client.force_login(director)
    response = client.get(URL)
    assert response.status_code == 200
    assert (
        "No portfolio snapshot yet." in response.content.decode()
        or response.context["latest"] is None
    )


def test_the_page_makes_a_fixed_number_of_queries_whatever_the_book_size(
    client, director, loan_officer, investigator, reviewer, snapshots, django_assert_max_num_queries
):
    client.force_login(director)
    OfficerTarget.objects.create(
        officer=loan_officer, year=timezone.localdate().year, amount=Decimal("1000000.00")
    )
    reviewed(loan_officer, investigator, reviewer)
    account_rows(loan_officer, [("100000.00", timezone.localdate())])
    client.get(URL)  # warm the caches (content types, sessions)
    with django_assert_max_num_queries(40) as small:
        client.get(URL)
    for _ in range(3):
        reviewed(loan_officer, investigator, reviewer)
    account_rows(loan_officer, [("100000.00", timezone.localdate())] * 5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(URL)
