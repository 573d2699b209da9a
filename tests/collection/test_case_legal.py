"""Lawsuits past 90 days: filed → judged → enforcing → closed, and the court's proceeds."""

from datetime import timedelta
from decimal import Decimal

import pytest

from collection.models import LegalAction, LegalStage, Recovery
from collection.services import legal
from loancenter.errors import DomainError, PermissionRefused, RuleViolations
from loancenter.models import AuditEvent
from loans.models import LoanAccount, Repayment
from tests.collection.builders import (
    TODAY,
    english_fixture,  # noqa: F401 (fixture)
    make_loan,
    open_case,
    people_fixture,  # noqa: F401 (fixture)
    set_overdue,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = Decimal
FILED_ON = TODAY - timedelta(days=60)


@pytest.fixture
def loan(people):
    return set_overdue(make_loan(people), "M3+")


@pytest.fixture
def case(loan, collections_officer):
    return open_case(loan, assignee=collections_officer, bucket="M3+")


def sue(case, user, **changes):
    data = {
        "court": "北京市朝阳区人民法院",
        "case_number": "(2026)京0105民初1234号",
        "filed_on": FILED_ON,
        "claim_amount": "120400.00",
    }
    data.update(changes)
    return legal.file_lawsuit(case=case, user=user, **data)


@pytest.fixture
def lawsuit(case, collections_officer):
    return sue(case, collections_officer)


def judge(lawsuit, user, judged_on=TODAY - timedelta(days=30)):
    return legal.record_judgment(
        lawsuit=lawsuit, user=user, judgment="判决被告归还借款本息", judged_on=judged_on
    )


class TestFiling:
    def test_a_lawsuit_is_filed_and_audited_on_the_case(self, lawsuit, case):
        assert lawsuit.stage == LegalStage.FILED
        assert AuditEvent.objects.get(action="file_lawsuit").object_id == str(case.pk)

    def test_it_refuses_ninety_days_or_fewer(self, case, loan, collections_officer):
        set_overdue(loan, "M3", days=89)
        with pytest.raises(DomainError, match="past 90 days"):
            sue(case, collections_officer)

    def test_it_refuses_anyone_but_a_collections_officer(self, case, loan_officer, director):
        for user in (loan_officer, director):
            with pytest.raises(PermissionRefused):
                sue(case, user)

    def test_it_refuses_a_missing_court_and_a_future_date(self, case, collections_officer):
        with pytest.raises(RuleViolations) as refused:
            sue(case, collections_officer, court=" ", filed_on=TODAY + timedelta(days=1))
        assert len(refused.value.messages) == 2

    def test_it_refuses_the_same_court_case_twice(self, lawsuit, case, collections_officer):
        with pytest.raises(DomainError, match="already recorded"):
            sue(case, collections_officer)

    def test_it_refuses_a_closed_case(self, case, collections_officer):
        type(case).objects.filter(pk=case.pk).update(status="closed", closed_on=TODAY)
        with pytest.raises(DomainError, match="closed"):
            sue(case, collections_officer)


class TestStages:
    def test_judgment_then_enforcement_then_its_end(self, lawsuit, collections_officer):
        lawsuit = judge(lawsuit, collections_officer)
        assert lawsuit.stage == LegalStage.JUDGED
        lawsuit = legal.record_enforcement(
            lawsuit=lawsuit, user=collections_officer, enforcement="申请强制执行"
        )
        assert lawsuit.stage == LegalStage.ENFORCING
        lawsuit = legal.record_enforcement(
            lawsuit=lawsuit,
            user=collections_officer,
            enforcement="无可供执行财产,终结本次执行",
            ended_on=TODAY,
        )
        assert (lawsuit.stage, lawsuit.enforcement_ended_on) == (LegalStage.CLOSED, TODAY)
        assert "申请强制执行" in lawsuit.enforcement and "终结" in lawsuit.enforcement

    def test_it_refuses_enforcement_before_the_judgment(self, lawsuit, collections_officer):
        with pytest.raises(DomainError, match="stage"):
            legal.record_enforcement(lawsuit=lawsuit, user=collections_officer, enforcement="x")

    def test_it_refuses_a_second_judgment(self, lawsuit, collections_officer):
        judge(lawsuit, collections_officer)
        with pytest.raises(DomainError, match="stage"):
            judge(lawsuit, collections_officer)

    def test_it_refuses_a_judgment_before_filing_or_in_the_future_or_empty(
        self, lawsuit, collections_officer
    ):
        with pytest.raises(DomainError, match="before"):
            judge(lawsuit, collections_officer, judged_on=FILED_ON - timedelta(days=1))
        with pytest.raises(DomainError, match="future"):
            judge(lawsuit, collections_officer, judged_on=TODAY + timedelta(days=1))
        with pytest.raises(DomainError, match="court decided"):
            legal.record_judgment(
                lawsuit=lawsuit, user=collections_officer, judgment=" ", judged_on=TODAY
            )

    def test_it_refuses_to_end_enforcement_that_has_not_started_or_without_a_date(
        self, lawsuit, collections_officer
    ):
        judge(lawsuit, collections_officer)
        with pytest.raises(DomainError, match="start before"):
            legal.record_enforcement(
                lawsuit=lawsuit, user=collections_officer, enforcement="x", ended_on=TODAY
            )
        legal.record_enforcement(lawsuit=lawsuit, user=collections_officer, enforcement="执行")
        with pytest.raises(DomainError, match="date enforcement ended"):
            legal.record_enforcement(lawsuit=lawsuit, user=collections_officer, enforcement="x")
        with pytest.raises(DomainError, match="before"):
            legal.record_enforcement(
                lawsuit=lawsuit,
                user=collections_officer,
                enforcement="x",
                ended_on=TODAY - timedelta(days=31),
            )


def proceeds(lawsuit, user, amount="10000.00", reference="FY-1"):
    return legal.record_court_proceeds(
        lawsuit=lawsuit, user=user, amount=amount, received_on=TODAY, reference=reference
    )


class TestProceeds:
    def test_they_are_posted_as_a_repayment_through_the_court(
        self, lawsuit, loan, collections_officer
    ):
        judge(lawsuit, collections_officer)
        repayment = proceeds(lawsuit, collections_officer)
        assert isinstance(repayment, Repayment)
        assert (repayment.channel, repayment.amount) == ("court", D("10000.00"))
        assert AuditEvent.objects.filter(action="court_proceeds").count() == 1

    def test_after_write_off_they_are_a_recovery(self, lawsuit, loan, collections_officer):
        judge(lawsuit, collections_officer)
        LoanAccount.objects.filter(pk=loan.pk).update(
            status="written_off", written_off_on=TODAY - timedelta(days=1)
        )
        recovery = proceeds(lawsuit, collections_officer, amount="80000.00")
        assert isinstance(recovery, Recovery) and recovery.source == "court"

    def test_it_refuses_proceeds_before_the_judgment(self, lawsuit, collections_officer):
        with pytest.raises(DomainError, match="judgment first"):
            proceeds(lawsuit, collections_officer)

    def test_it_refuses_more_than_is_due(self, lawsuit, collections_officer):
        judge(lawsuit, collections_officer)
        with pytest.raises(DomainError, match="more than what is due"):
            proceeds(lawsuit, collections_officer, amount="41260.01")

    def test_it_refuses_anyone_but_a_collections_officer(
        self, lawsuit, collections_officer, auditor
    ):
        judge(lawsuit, collections_officer)
        with pytest.raises(PermissionRefused):
            proceeds(lawsuit, auditor)
        assert LegalAction.objects.get().stage == LegalStage.JUDGED


def test_enforcement_needs_its_text(lawsuit, collections_officer):
    judge(lawsuit, collections_officer)
    with pytest.raises(DomainError, match="what the enforcement did"):
        legal.record_enforcement(lawsuit=lawsuit, user=collections_officer, enforcement=" ")
