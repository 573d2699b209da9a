"""Repayment behaviour computed from the installments (loans.behaviour), checked by hand.

The account is 120,000.00 over 12 months, equal principal, opened eight months before the
first of this month, so its first eight installments are due. Posted: installment 1 on its
due date, installment 2 ten days late, installment 3 thirty-five days late; 4 and later are
unpaid. Counted on the day installment 4 is 59 days past due:

- late: #2 and #3 (paid after the due date), #4 (59 days) and #5 (28–31 days: due a month
  after #4) still unpaid; #6 is due later (59 days is less than two months) → 4 times late;
- worst days past due: max(10, 35, 59, 28–31) = 59.
"""

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from applications.models import Customer
from loancenter.repayment import add_months
from loans.behaviour import account_behaviour, ever_days_past_due, refresh_behaviour
from loans.models import Installment, LoanAccount
from loans.services.repayments import BY_INSTALLMENTS, post_repayment
from tests.servicing import account_for, approved, consumer_account


def first_of_month(months_back: int):
    return add_months(timezone.localdate().replace(day=1), -months_back)


def due(account, period):
    return Installment.objects.get(account=account, period=period)


def pay(user, account, period, days_late, reference):
    item = due(account, period)
    return post_repayment(
        user=user,
        account=account,
        amount=item.amount_owed,
        paid_on=item.due_date + timedelta(days=days_late),
        channel="counter",
        reference=reference,
    )


@pytest.fixture
def make_account(origination, investigator, reviewer, approver, disbursement_supervisor):
    def make(officer, *, months_back=8):
        account = consumer_account(
            officer,
            investigator,
            reviewer,
            approver,
            disbursement_supervisor,
            method="equal_principal",
            value_date=first_of_month(months_back),
            penalty_free=True,  # lateness, not penalties: each payment is the installment
        )
        account.product.allocation_order = BY_INSTALLMENTS  # one installment paid at a time
        account.product.save(update_fields=["allocation_order"])
        return account

    return make


@pytest.fixture
def account(make_account, loan_officer):
    account = make_account(loan_officer)
    pay(loan_officer, account, 1, 0, "PZ-1")
    pay(loan_officer, account, 2, 10, "PZ-2")
    pay(loan_officer, account, 3, 35, "PZ-3")
    return account


@pytest.fixture
def counted_on(account):
    return due(account, 4).due_date + timedelta(days=59)


def test_the_installments_are_paid_as_the_story_says(account):
    lateness = [
        (item.paid_off_on - item.due_date).days if item.paid_off_on else None
        for item in Installment.objects.filter(account=account, period__lte=5).order_by("period")
    ]
    assert lateness == [0, 10, 35, None, None]


def test_it_counts_late_and_unpaid_installments_and_the_worst_days(account, counted_on):
    behaviour = refresh_behaviour(account.customer, on=counted_on)

    assert (behaviour.times_late, behaviour.worst_days_past_due) == (4, 59)
    customer = Customer.objects.get(pk=account.customer_id)
    assert (customer.times_late, customer.worst_days_past_due) == (4, 59)
    assert customer.behaviour_updated_at is not None


def test_an_installment_due_on_the_day_is_not_late_yet(account):
    """On #5's due date: #2, #3 and #4 (a month unpaid, 28–31 days) are late, #5 is not."""
    on = due(account, 5).due_date

    behaviour = refresh_behaviour(account.customer, on=on)

    assert (behaviour.times_late, behaviour.worst_days_past_due) == (3, 35)


def test_it_counts_every_account_of_the_customer(
    account, counted_on, loan_officer, investigator, reviewer, approver, disbursement_supervisor
):
    """A second loan of the same customer: its first installment paid 100 days late, the
    others on their due dates."""
    second = account_for(
        approved(
            loan_officer,
            investigator,
            reviewer,
            approver,
            product_code="CONSUMER",
            customer=account.customer,
            amount=account.principal,
            term_months=12,
            repayment_method="equal_principal",
            rate_spread_bp=60,
            security_type="credit",
        ),
        supervisor=disbursement_supervisor,
        value_date=add_months(counted_on, -5),
    )
    first = due(second, 1)
    Installment.objects.filter(pk=first.pk).update(paid_off_on=first.due_date + timedelta(days=100))
    Installment.objects.filter(account=second, period__gt=1, due_date__lt=counted_on).update(
        paid_off_on=F("due_date")
    )

    behaviour = refresh_behaviour(account.customer, on=counted_on)

    assert (behaviour.times_late, behaviour.worst_days_past_due) == (5, 100)
    per_account = account_behaviour(
        LoanAccount.objects.filter(customer=account.customer), counted_on
    )
    assert per_account[account.pk].times_late == 4
    assert per_account[account.pk].worst_days_past_due == 59
    assert (per_account[second.pk].times_late, per_account[second.pk].worst_days_past_due) == (
        1,
        100,
    )


def test_a_customer_without_loans_has_a_clean_record(loan_officer, origination):
    from tests.origination import make_customer

    customer = make_customer(loan_officer)

    behaviour = refresh_behaviour(customer)

    assert (behaviour.times_late, behaviour.worst_days_past_due) == (0, 0)


def test_it_writes_only_the_behaviour_fields(account, counted_on):
    """A stale copy of the customer must not undo an edit made meanwhile."""
    stale = Customer.objects.get(pk=account.customer_id)
    Customer.objects.filter(pk=stale.pk).update(employer="新单位")

    refresh_behaviour(stale, on=counted_on)

    assert Customer.objects.get(pk=stale.pk).employer == "新单位"
    assert stale.times_late == 4  # the instance passed in is brought up to date


def test_ever_90_days_past_due_needs_ninety_days(account, counted_on):
    fourth = due(account, 4).due_date
    accounts = LoanAccount.objects.filter(pk=account.pk)

    assert not accounts.filter(ever_days_past_due(90, counted_on)).exists()
    assert not accounts.filter(ever_days_past_due(90, fourth + timedelta(days=89))).exists()
    assert accounts.filter(ever_days_past_due(90, fourth + timedelta(days=90))).exists()
    assert accounts.filter(ever_days_past_due(35, counted_on)).exists()  # #3, paid 35 days late


def test_a_payment_after_the_day_counted_does_not_count_yet(account):
    """Seen from 20 days after #3 fell due, #3 (paid at 35 days) was still unpaid: 20 days."""
    on = due(account, 3).due_date + timedelta(days=20)

    behaviour = refresh_behaviour(account.customer, on=on)

    assert (behaviour.times_late, behaviour.worst_days_past_due) == (2, 20)
