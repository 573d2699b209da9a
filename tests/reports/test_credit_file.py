"""The credit file (资信档案): everything about one customer, for those who may see them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from applications import services as application_services
from applications.models import Customer
from loancenter.repayment import add_months
from loans.behaviour import Behaviour, refresh_behaviour
from loans.models import Installment
from reports.models import RatingStatus
from reports.rating import confirm_rating, rerate_customer
from review.models import ApplicationScore
from tests.origination import customer_data
from tests.servicing import account_for, approved, consumer_account


def paid(account, **late_days):
    today = timezone.localdate()
    for item in Installment.objects.filter(account=account, due_date__lte=today):
        days = late_days.get(f"p{item.period}", 0)
        Installment.objects.filter(pk=item.pk).update(paid_off_on=item.due_date + timedelta(days))


@pytest.fixture
def account(
    origination, scorecard, loan_officer, investigator, reviewer, approver, disbursement_supervisor
):
    """A loan with its first installment paid ten days late, the others on time; a grade A
    confirmed and, after the late payment, a grade B proposed."""
    account = consumer_account(
        loan_officer, investigator, reviewer, approver, disbursement_supervisor,
        value_date=add_months(timezone.localdate().replace(day=1), -5),
    )  # fmt: skip
    customer = account.customer
    # grade A when never late, B after ten days late, whatever the builders' defaults
    Customer.objects.filter(pk=customer.pk).update(
        monthly_income="30000.00",
        employment_years=5,
        marital_status="married",
        housing_status="own",
    )
    customer.refresh_from_db()
    paid(account)
    confirm_rating(user=reviewer, rating=rerate_customer(customer), agree=True, reason="同意")
    paid(account, p1=10)
    rerate_customer(customer)
    data = customer_data(
        id_number=customer.id_number, employer="上海某银行", monthly_income="32000"
    )
    application_services.update_customer(user=loan_officer, customer=customer, data=data)
    return account


@pytest.fixture
def customer(account):
    return Customer.objects.get(pk=account.customer_id)


def page(client, user, customer):
    client.force_login(user)
    return client.get(reverse("reports:credit_file", args=[customer.pk]))


def test_it_shows_the_customer_their_loans_scores_and_grades(
    client, loan_officer, account, customer
):
    response = page(client, loan_officer, customer)

    assert response.status_code == 200
    html = response.content.decode()
    assert customer.id_number in html  # the loan officer sees the full number
    assert reverse("applications:customer_detail", args=[customer.pk]) in html
    assert account.application.number in html
    assert account.number in html
    rows = response.context["accounts"]
    assert [row.pk for row in rows] == [account.pk]
    assert rows[0].behaviour == Behaviour(times_late=1, worst_days_past_due=10)
    assert (customer.times_late, customer.worst_days_past_due) == (1, 10)

    scores = list(response.context["scores"])
    assert scores == list(ApplicationScore.objects.filter(application=account.application))
    assert scores and str(scores[0].total) in html

    current = response.context["current_rating"]
    assert (current.grade, current.status) == ("A", RatingStatus.CONFIRMED)
    assert current.decided_by.display_name in html
    [pending] = response.context["pending_ratings"]
    assert (pending.previous_grade, pending.grade) == ("A", "B")
    assert 'data-testid="pending-rating"' in html


def test_it_shows_the_history_of_the_customers_data(client, loan_officer, customer):
    response = page(client, loan_officer, customer)

    actions = [event.action for event in response.context["events"]]
    assert actions == [
        "create_customer",
        "propose_rating",
        "confirm_rating",
        "propose_rating",
        "update_customer",
    ]
    change = response.context["events"][-1]
    with translation.override("zh-hans"):
        employer = str(Customer._meta.get_field("employer").verbose_name)
        income = str(Customer._meta.get_field("monthly_income").verbose_name)
        assert employer in change.opinion and income in change.opinion
        assert employer in response.content.decode()


def test_the_auditor_sees_it_with_the_identity_number_masked(client, auditor, customer):
    response = page(client, auditor, customer)

    assert response.status_code == 200
    html = response.content.decode()
    assert customer.id_number not in html
    assert customer.masked_id_number in html


def test_a_reviewer_who_confirms_grades_may_open_it(client, make_user, customer):
    other_reviewer = make_user("reviewer2", "reviewer")

    response = page(client, other_reviewer, customer)

    assert response.status_code == 200
    customer_page = reverse("applications:customer_detail", args=[customer.pk])
    assert customer_page not in response.content.decode()  # that page would answer 404


@pytest.mark.parametrize("role", ["other_officer", "archivist", "mortgage_registrar"])
def test_it_is_not_found_for_anyone_else(client, request, role, customer):
    assert page(client, request.getfixturevalue(role), customer).status_code == 404


def test_a_missing_customer_is_not_found(client, director, db):
    client.force_login(director)

    assert client.get(reverse("reports:credit_file", args=[999999])).status_code == 404


def test_the_page_makes_the_same_number_of_queries_for_more_loans(
    client,
    director,
    customer,
    loan_officer,
    investigator,
    reviewer,
    approver,
    disbursement_supervisor,
):
    client.force_login(director)
    url = reverse("reports:credit_file", args=[customer.pk])
    with CaptureQueriesContext(connection) as one_loan:
        client.get(url)
    application = approved(
        loan_officer,
        investigator,
        reviewer,
        approver,
        product_code="CONSUMER",
        customer=customer,
        amount="50000.00",
        term_months=12,
        security_type="credit",
    )
    account_for(application, supervisor=disbursement_supervisor)
    refresh_behaviour(customer)

    with CaptureQueriesContext(connection) as two_loans:
        response = client.get(url)

    assert len(response.context["accounts"]) == 2
    assert len(two_loans) == len(one_loan)
