"""The credit warning list reaches loans already made, and refuses new applications."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import CreditWarning, LoanApplication
from loancenter.errors import DomainError
from loancenter.models import AuditEvent, Notification
from loans.models import LoanAccount
from tests.origination import application_data, make_customer
from tests.servicing import consumer_account

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _defaults(origination):
    pass


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(loan_officer, investigator, reviewer, approver, disbursement_supervisor):
    return loan_officer, investigator, reviewer, approver, disbursement_supervisor


@pytest.fixture
def account(people):
    return consumer_account(*people, value_date=date(2026, 6, 1))


def second_loan_of(account, people, officer=None):
    """Another loan of the same customer (a second application after the first)."""
    from tests.servicing import account_for, approved

    officer = officer or people[0]
    application = approved(
        officer,
        *people[1:4],
        product_code="CONSUMER",
        customer=account.customer,
        amount=account.principal,
        term_months=12,
        repayment_method="equal_installment",
        rate_spread_bp=60,
        security_type="credit",
    )
    return account_for(application, supervisor=people[4], value_date=date(2026, 7, 1))


def listed(account, **fields):
    data = {"id_number": account.customer.id_number, "reason": "他行逾期,恶意逃废债"}
    data.update(fields)
    return CreditWarning.objects.create(**data)


def test_listing_a_customer_flags_their_open_loans(account, people):
    other = second_loan_of(account, people)
    LoanAccount.objects.filter(pk=other.pk).update(status="overdue")
    listed(account)
    for loan in (account, other):
        loan.refresh_from_db()
        assert loan.needs_review
        assert "credit warning list" in loan.review_reason and "恶意逃废债" in loan.review_reason
    events = AuditEvent.objects.filter(action="flag_for_review")
    assert sorted(events.values_list("object_id", flat=True)) == sorted(
        [str(account.pk), str(other.pk)]
    )
    assert {event.actor_name for event in events} == {"system"}


def test_closed_loans_and_other_customers_are_left_alone(account, people):
    settled = second_loan_of(account, people)
    LoanAccount.objects.filter(pk=settled.pk).update(status="settled")
    stranger = consumer_account(*people, value_date=date(2026, 6, 1))
    listed(account)
    assert set(LoanAccount.objects.filter(needs_review=True)) == {account}
    stranger.refresh_from_db()
    assert not stranger.needs_review


def test_the_officers_and_the_reviewers_are_told(
    account, people, other_officer, django_capture_on_commit_callbacks
):
    loan_officer, reviewer = people[0], people[2]
    with django_capture_on_commit_callbacks(execute=True):
        listed(account)
    assert account.number in Notification.objects.get(recipient=loan_officer).message
    assert Notification.objects.filter(recipient=reviewer).count() == 1
    assert not Notification.objects.filter(recipient=other_officer).exists()


def test_saving_the_entry_again_changes_nothing(account, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        warning = listed(account)
        warning.save()
    assert AuditEvent.objects.filter(action="flag_for_review").count() == 1
    assert Notification.objects.count() == 2  # the officer and the reviewer, once


def test_a_cleared_flag_is_raised_again_when_the_entry_changes(account, reviewer):
    from loans.services.classification import clear_review_flag

    warning = listed(account)
    clear_review_flag(account=account, user=reviewer, note="客户已说明")
    warning.reason = "法院失信被执行人"
    warning.save()
    account.refresh_from_db()
    assert account.needs_review and "失信" in account.review_reason


def test_a_lifted_or_future_entry_flags_nothing(account):
    listed(account, lifted_on=TODAY)
    listed(account, since=TODAY + timedelta(days=1))
    account.refresh_from_db()
    assert not account.needs_review
    assert not AuditEvent.objects.filter(action="flag_for_review").exists()


def test_the_flagging_is_set_based(account, people, django_assert_max_num_queries):
    second_loan_of(account, people)
    second_loan_of(account, people)
    # the save, the SELECT of the loans, one UPDATE, the content type, one INSERT of audit rows
    with django_assert_max_num_queries(6):
        listed(account)
    assert LoanAccount.objects.filter(needs_review=True).count() == 3


def test_an_entry_added_in_the_admin_flags_the_loans(client, account, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:applications_creditwarning_add"),
        {
            "id_number": account.customer.id_number,
            "name": account.customer.name,
            "reason": "法院失信被执行人",
            "since": TODAY.isoformat(),
            "lifted_on": "",
        },
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.needs_review and "失信" in account.review_reason


# --- new applications -------------------------------------------------------------------------


def test_it_refuses_opening_an_application_for_a_listed_customer(loan_officer):
    from applications import services

    customer = make_customer(loan_officer)
    CreditWarning.objects.create(id_number=customer.id_number, reason="他行逾期")
    with pytest.raises(DomainError, match="credit warning list"):
        services.create_application(
            user=loan_officer, customer=customer, data=application_data("CONSUMER")
        )
    assert not LoanApplication.objects.exists()


def test_the_new_application_page_says_why(client, loan_officer):
    customer = make_customer(loan_officer)
    CreditWarning.objects.create(id_number=customer.id_number, reason="他行逾期")
    client.force_login(loan_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = {
        key: getattr(value, "pk", value)
        for key, value in application_data("CONSUMER", security_type="credit").items()
    }
    url = reverse("applications:create") + f"?customer={customer.pk}"
    response = client.post(url, {**data, "customer": customer.pk})
    assert response.status_code == 200
    assert "credit warning list" in response.content.decode()
    assert not LoanApplication.objects.exists()
