"""Recoveries after write-off (账销案存, 权在力催)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from collection.models import Recovery
from collection.services.access import amount_owed
from collection.services.recoveries import record_recovery
from loancenter.errors import DomainError, PermissionRefused
from loancenter.models import AuditEvent
from loans.models import LoanAccount
from tests.collection.builders import (
    TODAY,
    english_fixture,  # noqa: F401 (fixture)
    make_loan,
    people_fixture,  # noqa: F401 (fixture)
    set_overdue,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = Decimal
WRITTEN_OFF_ON = TODAY - timedelta(days=10)


@pytest.fixture
def loan(people):
    account = set_overdue(make_loan(people), "M3+", status="written_off")
    LoanAccount.objects.filter(pk=account.pk).update(
        written_off_on=WRITTEN_OFF_ON, written_off_principal=D("120000.00")
    )
    account.refresh_from_db()
    return account


def recover(account, user, amount="5000.00", reference="HS-001", **changes):
    data = {"received_on": TODAY, "source": "guarantor", "note": "保证人代偿"}
    data.update(changes)
    return record_recovery(account=account, user=user, amount=amount, reference=reference, **data)


def test_a_recovery_is_recorded_and_lowers_what_is_owed(loan, collections_officer):
    recovery = recover(loan, collections_officer)
    assert (recovery.amount, recovery.source) == (D("5000.00"), "guarantor")
    assert amount_owed(loan) == D("115400.00")  # 120,000 + 360 + 40 − 5,000
    assert AuditEvent.objects.get(action="record_recovery").object_id == str(loan.pk)


def test_the_same_reference_and_amount_again_returns_the_first(loan, collections_officer):
    first = recover(loan, collections_officer)
    again = recover(loan, collections_officer)
    assert again.pk == first.pk and again.already_recorded
    assert Recovery.objects.count() == 1


def test_it_refuses_the_same_reference_with_another_amount(loan, collections_officer):
    recover(loan, collections_officer)
    with pytest.raises(DomainError, match="already recorded"):
        recover(loan, collections_officer, amount="5000.01")


def test_it_refuses_a_loan_that_is_not_written_off(people, collections_officer):
    account = set_overdue(make_loan(people), "M3+")
    with pytest.raises(DomainError, match="not written off"):
        recover(account, collections_officer)


def test_it_refuses_anyone_but_a_collections_officer(loan, loan_officer, auditor):
    for user in (loan_officer, auditor):
        with pytest.raises(PermissionRefused):
            recover(loan, user)


def test_it_refuses_dates_in_the_future_or_before_the_write_off(loan, collections_officer):
    with pytest.raises(DomainError, match="future"):
        recover(loan, collections_officer, received_on=TODAY + timedelta(days=1))
    with pytest.raises(DomainError, match="before the write-off"):
        recover(loan, collections_officer, received_on=WRITTEN_OFF_ON - timedelta(days=1))


def test_it_refuses_more_than_is_owed_an_unknown_source_and_no_reference(loan, collections_officer):
    with pytest.raises(DomainError, match="more than the loan owes"):
        recover(loan, collections_officer, amount="120400.01")
    with pytest.raises(DomainError, match="where the money came from"):
        recover(loan, collections_officer, source="lottery")
    with pytest.raises(DomainError, match="reference"):
        recover(loan, collections_officer, reference="")


def test_it_refuses_a_recovery_without_its_date(loan, collections_officer):
    with pytest.raises(DomainError, match="date the money was received"):
        recover(loan, collections_officer, received_on=None)
