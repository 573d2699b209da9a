"""Posting repayments: allocation to the fen, idempotency, refusals and settlement (RULES.md §4).

The accounts are 120,000.00 over 12 months at 3.60% by equal principal: 10,000.00 principal a
month and interest of 0.3% of the balance (360.00, 330.00, 300.00, ...), so every figure below
can be checked by hand.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from loancenter.errors import DomainError, PermissionRefused
from loancenter.models import AuditEvent
from loancenter.repayment import add_months
from loans.models import AccountStatus, Installment, LoanAccount, Repayment, RepaymentAllocation
from loans.services.repayments import BY_COMPONENTS, BY_INSTALLMENTS, allocate, post_repayment
from tests.servicing import consumer_account

D = Decimal


def first_of_month(months_back: int):
    """The first of the month ``months_back`` months ago: that many installments are due."""
    return add_months(timezone.localdate().replace(day=1), -months_back)


@pytest.fixture
def make_account(origination, investigator, reviewer, approver, disbursement_supervisor):
    def make(officer, *, due=2, order=BY_COMPONENTS):
        account = consumer_account(
            officer,
            investigator,
            reviewer,
            approver,
            disbursement_supervisor,
            method="equal_principal",
            value_date=first_of_month(due),
            penalty_free=True,  # allocation alone; accrual is tested in tests/loans/test_sweep*
        )
        account.product.allocation_order = order
        account.product.save(update_fields=["allocation_order"])
        return account

    return make


@pytest.fixture
def account(make_account, loan_officer):
    """Two installments due; the first also owes 12.34 of penalty interest (set by hand and
    marked accrued through today)."""
    account = make_account(loan_officer)
    hand_penalty(account, 1, D("12.34"))
    return account


def hand_penalty(account, period, amount):
    """Set a penalty by hand, with every installment due marked accrued through today so that
    posting today does not reprice it."""
    today = timezone.localdate()
    Installment.objects.filter(account=account, due_date__lt=today).update(accrued_through=today)
    Installment.objects.filter(account=account, period=period).update(penalty_due=amount)


def post(user, account, amount, reference="PZ001", paid_on=None, channel="counter"):
    return post_repayment(
        user=user,
        account=account,
        amount=amount,
        paid_on=paid_on or timezone.localdate(),
        channel=channel,
        reference=reference,
    )


def paid(account, period):
    item = Installment.objects.get(account=account, period=period)
    return item.penalty_paid, item.interest_paid, item.principal_paid, item.paid_off_on


def outstanding(account):
    return LoanAccount.objects.get(pk=account.pk).principal_outstanding


class TestTheSchedule:
    def test_the_accounts_have_the_hand_computed_schedule(self, account):
        first, second = Installment.objects.filter(account=account).order_by("period")[:2]
        assert (first.principal_due, first.interest_due) == (D("10000.00"), D("360.00"))
        assert (second.principal_due, second.interest_due) == (D("10000.00"), D("330.00"))
        assert account.principal_outstanding == D("120000.00")


class TestAllocationByComponents:
    def test_a_partial_payment_goes_to_penalty_then_all_interest_then_the_oldest_principal(
        self, account, loan_officer
    ):
        repayment = post(loan_officer, account, "1000.00")

        assert (repayment.penalty_part, repayment.interest_part, repayment.principal_part) == (
            D("12.34"),
            D("690.00"),
            D("297.66"),
        )
        assert paid(account, 1) == (D("12.34"), D("360.00"), D("297.66"), None)
        assert paid(account, 2) == (D("0.00"), D("330.00"), D("0.00"), None)
        assert outstanding(account) == D("119702.34")

    def test_the_allocation_rows_record_the_split_per_installment(self, account, loan_officer):
        repayment = post(loan_officer, account, "1000.00")

        rows = {
            row.installment.period: (row.penalty, row.interest, row.principal)
            for row in RepaymentAllocation.objects.filter(repayment=repayment)
        }
        assert rows == {
            1: (D("12.34"), D("360.00"), D("297.66")),
            2: (D("0.00"), D("330.00"), D("0.00")),
        }

    def test_a_payment_smaller_than_the_penalty_pays_only_penalty(self, account, loan_officer):
        repayment = post(loan_officer, account, "10.01")

        assert (repayment.penalty_part, repayment.interest_part, repayment.principal_part) == (
            D("10.01"),
            D("0.00"),
            D("0.00"),
        )
        assert paid(account, 1)[:3] == (D("10.01"), D("0.00"), D("0.00"))

    def test_paying_everything_due_pays_off_both_installments_on_the_payment_date(
        self, account, loan_officer
    ):
        today = timezone.localdate()
        repayment = post(loan_officer, account, "20702.34")

        assert repayment.principal_part == D("20000.00")
        assert paid(account, 1) == (D("12.34"), D("360.00"), D("10000.00"), today)
        assert paid(account, 2) == (D("0.00"), D("330.00"), D("10000.00"), today)
        assert paid(account, 3) == (D("0.00"), D("0.00"), D("0.00"), None)
        assert outstanding(account) == D("100000.00")
        assert LoanAccount.objects.get(pk=account.pk).status == AccountStatus.ACTIVE


class TestAllocationByInstallments:
    @pytest.fixture
    def account(self, make_account, loan_officer):
        account = make_account(loan_officer, order=BY_INSTALLMENTS)
        hand_penalty(account, 1, D("12.34"))
        return account

    def test_a_partial_payment_goes_to_the_oldest_installment_first(self, account, loan_officer):
        repayment = post(loan_officer, account, "1000.00")

        assert (repayment.penalty_part, repayment.interest_part, repayment.principal_part) == (
            D("12.34"),
            D("360.00"),
            D("627.66"),
        )
        assert paid(account, 1) == (D("12.34"), D("360.00"), D("627.66"), None)
        assert paid(account, 2) == (D("0.00"), D("0.00"), D("0.00"), None)
        assert outstanding(account) == D("119372.34")

    def test_what_is_left_after_the_oldest_installment_goes_to_the_next_one_s_interest(
        self, account, loan_officer
    ):
        repayment = post(loan_officer, account, "10500.00")

        assert paid(account, 1) == (D("12.34"), D("360.00"), D("10000.00"), timezone.localdate())
        assert paid(account, 2) == (D("0.00"), D("127.66"), D("0.00"), None)
        assert repayment.interest_part == D("487.66")
        assert outstanding(account) == D("110000.00")


class TestAllocateAlone:
    def test_it_refuses_an_unknown_order(self, account):
        with pytest.raises(ValueError, match="unknown allocation order"):
            allocate(D("1.00"), list(account.installments.all()), "newest_first")

    def test_it_refuses_money_left_over(self, account):
        due = list(account.installments.filter(period__lte=2))
        with pytest.raises(ValueError, match="left after"):
            allocate(D("20702.35"), due, BY_COMPONENTS)


class TestIdempotency:
    def test_the_same_reference_twice_is_one_repayment_and_balances_do_not_move(
        self, account, loan_officer
    ):
        first = post(loan_officer, account, "1000.00", reference="PZ-42")
        second = post(loan_officer, account, "1000.00", reference="PZ-42")

        assert second.pk == first.pk
        assert Repayment.objects.filter(account=account).count() == 1
        assert RepaymentAllocation.objects.filter(repayment=first).count() == 2
        assert outstanding(account) == D("119702.34")
        assert paid(account, 1)[:3] == (D("12.34"), D("360.00"), D("297.66"))
        assert AuditEvent.objects.filter(action="post_repayment").count() == 1

    def test_the_same_reference_with_another_amount_is_refused(self, account, loan_officer):
        post(loan_officer, account, "1000.00", reference="PZ-42")

        with pytest.raises(DomainError, match="PZ-42") as refused:
            post(loan_officer, account, "1000.01", reference="PZ-42")
        assert refused.value.code == "reference_used"
        assert "已" in str(refused.value)
        assert outstanding(account) == D("119702.34")

    def test_the_same_reference_on_another_date_is_refused(self, account, loan_officer):
        post(loan_officer, account, "1000.00", reference="PZ-42")
        yesterday = timezone.localdate() - timedelta(days=1)

        with pytest.raises(DomainError) as refused:
            post(loan_officer, account, "1000.00", reference="PZ-42", paid_on=yesterday)
        assert refused.value.code == "reference_used"


class TestRefusals:
    def test_it_refuses_more_than_is_due_now(self, account, loan_officer):
        with pytest.raises(DomainError, match="超过当前应还金额") as refused:
            post(loan_officer, account, "20702.35")
        assert refused.value.code == "exceeds_due"
        assert "20,702.34" in str(refused.value)
        assert not Repayment.objects.exists()
        assert outstanding(account) == D("120000.00")

    def test_it_refuses_a_payment_date_in_the_future(self, account, loan_officer):
        tomorrow = timezone.localdate() + timedelta(days=1)
        with pytest.raises(DomainError, match="不能晚于今天|未来") as refused:
            post(loan_officer, account, "100.00", paid_on=tomorrow)
        assert refused.value.code == "future_date"

    def test_it_refuses_a_payment_date_before_the_value_date(self, account, loan_officer):
        with pytest.raises(DomainError) as refused:
            post(loan_officer, account, "100.00", paid_on=account.value_date - timedelta(days=1))
        assert refused.value.code == "before_value_date"

    def test_before_the_first_due_date_nothing_can_be_paid(self, account, loan_officer):
        with pytest.raises(DomainError) as refused:
            post(loan_officer, account, "0.01", paid_on=account.value_date)
        assert refused.value.code == "exceeds_due"

    @pytest.mark.parametrize(
        ("amount", "message"),
        [
            ("0", "大于零"),
            ("0.00", "大于零"),
            ("-5.00", "大于零"),
            ("10.005", "两位小数"),
            ("abc", "不是"),
            ("1e400", "不是"),
        ],
    )
    def test_it_refuses_amounts_that_are_not_money(self, account, loan_officer, amount, message):
        with pytest.raises(DomainError, match=message):
            post(loan_officer, account, amount)
        assert not Repayment.objects.exists()

    def test_a_float_is_a_programming_error(self, account, loan_officer):
        with pytest.raises(TypeError):
            post(loan_officer, account, 100.0)

    def test_it_refuses_an_empty_reference(self, account, loan_officer):
        with pytest.raises(DomainError, match="凭证"):
            post(loan_officer, account, "100.00", reference="  ")

    def test_it_refuses_a_settled_account(self, make_account, loan_officer):
        account = make_account(loan_officer, due=12)
        post(loan_officer, account, _everything_owed(account), reference="ALL")

        with pytest.raises(DomainError, match="结清") as refused:
            post(loan_officer, account, "1.00", reference="AFTER")
        assert refused.value.code == "settled"

    def test_it_refuses_a_written_off_account(self, account, loan_officer):
        LoanAccount.objects.filter(pk=account.pk).update(status=AccountStatus.WRITTEN_OFF)

        with pytest.raises(DomainError, match="核销") as refused:
            post(loan_officer, account, "100.00")
        assert refused.value.code == "written_off"

    def test_it_refuses_another_officer_s_account(self, account, other_officer):
        with pytest.raises(PermissionRefused, match="自己"):
            post(other_officer, account, "100.00")
        assert not Repayment.objects.exists()

    @pytest.mark.parametrize("role", ["auditor", "director", "reviewer", "investigator"])
    def test_it_refuses_a_role_that_may_not_post(self, account, make_user, role):
        with pytest.raises(PermissionRefused, match="需要以下岗位"):
            post(make_user(f"someone_{role}", role), account, "100.00")


class TestWhoMayPost:
    def test_a_collections_officer_may_post_on_any_account(self, account, collections_officer):
        repayment = post(collections_officer, account, "100.00", channel="insurer")
        assert repayment.posted_by == collections_officer

    def test_a_disbursement_supervisor_may_post(self, account, disbursement_supervisor):
        assert post(disbursement_supervisor, account, "100.00").pk

    def test_the_posting_is_audited_with_amount_reference_and_split(self, account, loan_officer):
        post(loan_officer, account, "1000.00", reference="PZ-7")

        event = AuditEvent.objects.get(action="post_repayment")
        assert event.actor == loan_officer
        assert event.role == "loan_officer"
        assert event.object_id == str(account.pk)
        assert "1,000.00" in event.opinion
        assert "PZ-7" in event.opinion
        assert "297.66" in event.opinion


def _everything_owed(account) -> Decimal:
    return sum((item.amount_owed for item in account.installments.all()), D("0.00"))


class TestSettlement:
    def test_the_last_payment_settles_the_account(self, make_account, loan_officer):
        account = make_account(loan_officer, due=12)
        all_but_last = sum(
            (item.amount_owed for item in account.installments.filter(period__lt=12)), D("0")
        )
        post(loan_officer, account, all_but_last, reference="FIRST-11")
        # by components, the last period's 30.00 of interest (all of it is due) went first;
        # its principal is still owed, so the account is overdue once its due date has passed
        last_due = account.installments.get(period=12).due_date
        still = AccountStatus.OVERDUE if last_due < timezone.localdate() else AccountStatus.ACTIVE
        assert LoanAccount.objects.get(pk=account.pk).status == still
        assert outstanding(account) == D("10030.00")

        last = post(loan_officer, account, "10030.00", reference="LAST")

        account.refresh_from_db()
        assert (last.interest_part, last.principal_part) == (D("0.00"), D("10030.00"))
        assert account.status == AccountStatus.SETTLED
        assert account.settled_on == last.paid_on
        assert account.principal_outstanding == D("0.00")
        assert not account.installments.filter(paid_off_on__isnull=True).exists()
        settle = AuditEvent.objects.get(action="settle")
        assert (settle.from_state, settle.to_state) == (still, "settled")

    def test_posting_the_settling_payment_again_returns_it(self, make_account, loan_officer):
        account = make_account(loan_officer, due=12)
        amount = _everything_owed(account)
        first = post(loan_officer, account, amount, reference="ALL")

        assert post(loan_officer, account, amount, reference="ALL").pk == first.pk

    def test_a_payment_short_of_everything_owed_leaves_the_account_open(
        self, make_account, loan_officer
    ):
        account = make_account(loan_officer, due=12)
        hand_penalty(account, 12, D("5.00"))
        owed = _everything_owed(account)

        post(loan_officer, account, owed - D("5.00"), reference="NOT-PENALTY", channel="transfer")

        # components order: the penalty is paid first, so the last fen of principal stays owed
        account.refresh_from_db()
        assert account.status in (AccountStatus.ACTIVE, AccountStatus.OVERDUE)
        assert account.principal_outstanding == D("5.00")
