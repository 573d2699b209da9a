"""Insurance claims past 90 days: filing, the insurer's answer, and the money it pays."""

from datetime import timedelta
from decimal import Decimal

import pytest

from collection.models import ClaimStatus, InsuranceClaim, Recovery
from collection.services.claims import file_claim, record_claim_outcome
from loancenter.errors import DomainError, PermissionRefused
from loancenter.models import AuditEvent
from loans.models import LoanAccount, Repayment
from tests.collection.builders import (
    TODAY,
    english_fixture,  # noqa: F401 (fixture)
    insure,
    make_loan,
    open_case,
    people_fixture,  # noqa: F401 (fixture)
    set_overdue,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = Decimal
# 4 installments due: 40,000.00 principal and 360 + 330 + 300 + 270 interest.
DUE_NOW = D("41260.00")


@pytest.fixture
def loan(people, loan_officer):
    account = set_overdue(make_loan(people), "M3+")
    insure(account, loan_officer)
    return account


@pytest.fixture
def case(loan, collections_officer):
    return open_case(loan, assignee=collections_officer, bucket="M3+")


def claim_on(case, user, amount="41260.00", claimed_on=TODAY):
    return file_claim(case=case, user=user, amount=amount, claimed_on=claimed_on)


class TestFiling:
    def test_the_policy_is_copied_onto_the_claim(self, case, collections_officer):
        claim = claim_on(case, collections_officer)
        assert (claim.insurer, claim.policy_number, claim.status) == (
            "中国人民财产保险股份有限公司北京分公司",
            "PICC-2026-0001",
            ClaimStatus.FILED,
        )
        assert AuditEvent.objects.filter(action="file_claim", object_id=str(case.pk)).exists()

    def test_it_refuses_anyone_but_a_collections_officer(self, case, loan_officer, auditor):
        for user in (loan_officer, auditor):
            with pytest.raises(PermissionRefused):
                claim_on(case, user)

    def test_it_refuses_an_uninsured_loan(self, case, loan):
        loan.application.insurance_policies.all().delete()
        with pytest.raises(DomainError, match="not insured"):
            claim_on(case, case.assignee)

    def test_it_refuses_ninety_days_or_fewer(self, case, loan, collections_officer):
        set_overdue(loan, "M3", days=90)
        with pytest.raises(DomainError, match="past 90 days"):
            claim_on(case, collections_officer)

    def test_it_refuses_a_second_open_claim(self, case, collections_officer):
        claim_on(case, collections_officer)
        with pytest.raises(DomainError, match="still open"):
            claim_on(case, collections_officer, amount="100.00")

    def test_it_refuses_more_than_the_loan_owes_and_a_future_date(self, case, collections_officer):
        with pytest.raises(DomainError, match="more than the loan owes"):
            claim_on(case, collections_officer, amount="120400.01")
        with pytest.raises(DomainError, match="future"):
            claim_on(case, collections_officer, claimed_on=TODAY + timedelta(days=1))

    def test_it_refuses_a_closed_case(self, case, collections_officer):
        type(case).objects.filter(pk=case.pk).update(status="closed", closed_on=TODAY)
        with pytest.raises(DomainError, match="closed"):
            claim_on(case, collections_officer)


def answer(claim, user, **changes):
    data = {
        "paid": True,
        "amount_paid": "40000.00",
        "paid_on": TODAY,
        "reference": "PICC-PAY-1",
        "note": "",
    }
    data.update(changes)
    return record_claim_outcome(claim=claim, user=user, **data)


class TestOutcome:
    def test_a_payment_is_posted_as_a_repayment_from_the_insurer(
        self, case, loan, collections_officer
    ):
        claim = answer(claim_on(case, collections_officer), collections_officer)
        repayment = Repayment.objects.get(account=loan)
        assert (repayment.channel, repayment.amount, repayment.reference) == (
            "insurer",
            D("40000.00"),
            "PICC-PAY-1",
        )
        assert (claim.status, claim.amount_paid, claim.repayment) == (
            ClaimStatus.PAID,
            D("40000.00"),
            repayment,
        )
        assert AuditEvent.objects.filter(action="claim_outcome").count() == 1

    def test_it_refuses_more_than_is_due_now_clearly(self, case, collections_officer):
        claim = claim_on(case, collections_officer, amount="50000.00")
        with pytest.raises(DomainError, match=r"more than what is due .* \(41,260.00\)"):
            answer(claim, collections_officer, amount_paid="41260.01")
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.FILED and not Repayment.objects.exists()

    def test_on_a_written_off_loan_the_payment_is_a_recovery(self, case, loan, collections_officer):
        claim = claim_on(case, collections_officer, amount="100000.00")
        LoanAccount.objects.filter(pk=loan.pk).update(
            status="written_off", written_off_on=TODAY - timedelta(days=5)
        )
        claim = answer(claim, collections_officer, amount_paid="90000.00")
        recovery = Recovery.objects.get(account=loan)
        assert (recovery.source, recovery.amount) == ("insurer", D("90000.00"))
        assert claim.repayment is None and not Repayment.objects.exists()

    def test_a_rejection_needs_the_insurers_reason(self, case, collections_officer):
        claim = claim_on(case, collections_officer)
        with pytest.raises(DomainError, match="reason"):
            answer(claim, collections_officer, paid=False)
        claim = answer(claim, collections_officer, paid=False, note="未在保险责任范围内")
        assert claim.status == ClaimStatus.REJECTED
        assert claim_on(case, collections_officer, amount="10.00")  # a new claim may be filed

    def test_it_refuses_an_answer_twice(self, case, collections_officer):
        claim = answer(claim_on(case, collections_officer), collections_officer)
        with pytest.raises(DomainError, match="already"):
            answer(claim, collections_officer, reference="PICC-PAY-2")

    def test_it_refuses_more_than_claimed_and_a_date_before_the_claim(
        self, case, collections_officer
    ):
        claim = claim_on(case, collections_officer, amount="1000.00", claimed_on=TODAY)
        with pytest.raises(DomainError, match="more than the amount claimed"):
            answer(claim, collections_officer, amount_paid="1000.01")
        with pytest.raises(DomainError, match="on or after the claim date"):
            answer(claim, collections_officer, amount_paid="500.00", paid_on=TODAY - timedelta(1))
        with pytest.raises(DomainError, match="payment reference"):
            answer(claim, collections_officer, amount_paid="500.00", reference=" ")

    def test_it_refuses_anyone_but_a_collections_officer(self, case, collections_officer, auditor):
        claim = claim_on(case, collections_officer)
        with pytest.raises(PermissionRefused):
            answer(claim, auditor)
        assert InsuranceClaim.objects.get().status == ClaimStatus.FILED


def test_a_payment_needs_its_amount_and_a_short_reference(case, collections_officer):
    claim = claim_on(case, collections_officer)
    with pytest.raises(DomainError, match="Enter the amount"):
        answer(claim, collections_officer, amount_paid=None)
    with pytest.raises(DomainError, match="too long"):
        answer(claim, collections_officer, reference="X" * 65)
