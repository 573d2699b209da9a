from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from loans.models import Repayment
from tests.servicing import consumer_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(origination, loan_officer, investigator, reviewer, approver, disbursement_supervisor):
    return consumer_account(loan_officer, investigator, reviewer, approver, disbursement_supervisor)


def repayment(account, reference, amount, interest, principal):
    return Repayment.objects.create(
        account=account,
        amount=Decimal(amount),
        paid_on=account.value_date,
        channel="transfer",
        reference=reference,
        interest_part=Decimal(interest),
        principal_part=Decimal(principal),
    )


@pytest.mark.parametrize(
    "amount,interest,principal",
    [
        ("0.30", "0.10", "0.20"),
        ("10195.63", "359.56", "9836.07"),
        ("1.15", "0.70", "0.45"),
    ],
)
def test_a_fully_allocated_repayment_is_accepted_whatever_the_database(
    account, amount, interest, principal
):
    # SQLite compares decimal sums as floats: 0.10 + 0.20 is not exactly 0.30 there
    repayment(account, f"OK-{amount}", amount, interest, principal)


def test_the_database_refuses_a_repayment_whose_parts_do_not_add_up(account):
    with pytest.raises(IntegrityError), transaction.atomic():
        repayment(account, "BAD", "100.00", "10.00", "89.99")
