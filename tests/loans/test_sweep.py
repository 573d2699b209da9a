"""The overdue sweep against hand-computed figures (RULES.md §5).

The loans are 120,000.00 over 12 months at 3.60% by equal principal: each installment is
10,000.00 of principal, and the first 360.00 of interest. The penalty rate is 3.60% × 1.5 =
5.40% a year, 0.015% a day: 1.50 a day on 10,000.00 of principal and 0.054 a day on 360.00 of
interest (compound interest). Daily amounts are added exactly and rounded to the fen at the end.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from loancenter.errors import DomainError
from loancenter.models import AuditEvent
from loancenter.repayment import add_months
from loans import overdue
from loans.models import (
    ClassificationChange,
    Installment,
    LoanAccount,
    PortfolioSnapshot,
    SweepRun,
)
from loans.sweep import catch_up, registry, run_sweep
from loans.tasks import run_overdue_sweep
from tests.servicing import consumer_account

D = Decimal
FIRST_DUE = date(2026, 2, 15)  # value date 2026-01-15


@pytest.fixture
def make_account(
    origination, loan_officer, investigator, reviewer, approver, disbursement_supervisor
):
    def make(value_date=date(2026, 1, 15), **overrides):
        return consumer_account(
            loan_officer,
            investigator,
            reviewer,
            approver,
            disbursement_supervisor,
            method="equal_principal",
            value_date=value_date,
            **overrides,
        )

    return make


@pytest.fixture
def account(make_account):
    return make_account()


def first(account) -> Installment:
    return Installment.objects.get(account=account, period=1)


def fresh(account) -> LoanAccount:
    return LoanAccount.objects.get(pk=account.pk)


def balances(account):
    return list(
        Installment.objects.filter(account=account)
        .order_by("period")
        .values_list("principal_days", "interest_days", "penalty_due", "accrued_through")
    )


class TestPenaltyAccrual:
    def test_one_day_overdue_owes_a_day_of_penalty_and_compound_interest(self, account):
        run_sweep(business_date=FIRST_DUE + timedelta(days=1))

        item = first(account)
        assert item.penalty_due == D("1.55")  # 1.50 + 0.054 → 0.05
        assert (item.principal_days, item.interest_days) == (D("10000.00"), D("360.00"))
        assert item.accrued_through == FIRST_DUE + timedelta(days=1)

    def test_the_due_date_itself_owes_nothing(self, account):
        run_sweep(business_date=FIRST_DUE)

        assert first(account).penalty_due == D("0.00")
        assert fresh(account).days_past_due == 0
        assert fresh(account).status == "active"

    def test_daily_amounts_are_added_exactly_then_rounded(self, account):
        run_sweep(business_date=FIRST_DUE + timedelta(days=1))
        run_sweep(business_date=FIRST_DUE + timedelta(days=11))

        # 11 days: 16.50 + 0.594 → 0.59; rounding each day (0.05 × 11) would give 0.55
        assert first(account).penalty_due == D("17.09")
        assert overdue.accrued_penalty(D("10000"), D("360"), D("3.60"), D("50"), 11) == (
            D("16.50"),
            D("0.59"),
        )

    def test_the_account_carries_the_overdue_figures(self, account):
        run_sweep(business_date=FIRST_DUE + timedelta(days=11))

        account = fresh(account)
        assert account.days_past_due == 11
        assert account.bucket == "M1"
        assert account.status == "overdue"
        assert account.overdue_principal == D("10000.00")
        assert account.overdue_interest == D("360.00")
        assert account.penalty_outstanding == D("17.09")

    def test_a_written_off_account_accrues_no_more(self, account):
        LoanAccount.objects.filter(pk=account.pk).update(status="written_off")

        run_sweep(business_date=FIRST_DUE + timedelta(days=30))

        assert first(account).penalty_due == D("0.00")


class TestIdempotence:
    def test_a_second_run_for_the_same_date_changes_nothing(self, account):
        day = FIRST_DUE + timedelta(days=40)
        first_run = run_sweep(business_date=day)
        before = balances(account), fresh(account).status, AuditEvent.objects.count()

        second_run = run_sweep(business_date=day)

        assert first_run.already_done is False and second_run.already_done is True
        assert (balances(account), fresh(account).status, AuditEvent.objects.count()) == before
        assert SweepRun.objects.filter(business_date=day).count() == 1

    def test_a_gap_of_several_days_is_caught_up_in_order(self, account):
        run_sweep(business_date=FIRST_DUE + timedelta(days=1))

        runs = catch_up(through=FIRST_DUE + timedelta(days=5))

        assert [run.business_date for run in runs] == [
            FIRST_DUE + timedelta(days=n) for n in (2, 3, 4, 5)
        ]
        assert SweepRun.objects.filter(status="done").count() == 5
        assert first(account).penalty_due == D("7.77")  # 7.50 + 0.27 over five days

    def test_seven_daily_runs_give_the_same_balances_as_one_jump(self, make_account):
        daily = make_account()
        for n in range(1, 7):
            run_sweep(business_date=FIRST_DUE + timedelta(days=n))
        jump = make_account()  # never swept: its seven days accrue in the last run at once

        run_sweep(business_date=FIRST_DUE + timedelta(days=7))

        assert first(daily).penalty_due == first(jump).penalty_due == D("10.88")  # 10.50+0.378
        assert balances(daily) == balances(jump)

    def test_a_run_that_failed_changes_nothing_and_can_run_again(self, account, monkeypatch):
        def broken(business_date):
            raise RuntimeError("the worker died")

        monkeypatch.setitem(registry._steps, "broken", registry.SweepStep("broken", broken))
        day = FIRST_DUE + timedelta(days=3)
        with pytest.raises(RuntimeError):
            run_sweep(business_date=day)
        run = SweepRun.objects.get(business_date=day)
        assert (run.status, run.attempts) == ("failed", 1)
        assert first(account).penalty_due == D("0.00")
        assert fresh(account).status == "active"

        monkeypatch.delitem(registry._steps, "broken")
        run = run_sweep(business_date=day)

        assert (run.status, run.attempts) == ("done", 2)
        assert first(account).penalty_due == D("4.66")  # 4.50 + 0.162

    def test_it_refuses_a_future_date(self, account):
        with pytest.raises(DomainError):
            run_sweep(business_date=timezone.localdate() + timedelta(days=1))


class TestStatusAndAudit:
    def test_falling_overdue_is_one_audit_row(self, account):
        run_sweep(business_date=FIRST_DUE + timedelta(days=1))

        events = AuditEvent.objects.filter(action="mark_overdue", object_id=str(account.pk))
        assert [(e.from_state, e.to_state, e.actor_name) for e in events] == [
            ("active", "overdue", "system")
        ]

    def test_paying_everything_due_cures_the_account_at_once(self, make_account, loan_officer):
        from loans.services.repayments import post_repayment

        today = timezone.localdate()
        due = today.replace(day=1)  # the first installment falls due on the 1st of this month
        account = make_account(value_date=add_months(due, -1))
        run_sweep(business_date=today)
        assert fresh(account).status == ("overdue" if today > due else "active")
        days = (today - due).days
        penalty, compound = overdue.accrued_penalty(D("10000"), D("360"), D("3.60"), D("50"), days)
        assert first(account).penalty_due == penalty + compound

        post_repayment(
            user=loan_officer,
            account=account,
            amount=D("10360.00") + penalty + compound,
            paid_on=today,
            channel="transfer",
            reference="CURE-1",
        )

        account = fresh(account)
        assert (account.status, account.days_past_due, account.bucket) == ("active", 0, "")
        assert account.penalty_outstanding == D("0.00")
        if days:
            assert AuditEvent.objects.filter(action="cure", object_id=str(account.pk)).exists()


class TestBackdatedRepayment:
    def test_penalty_is_wound_back_to_the_payment_date_and_accrues_on_what_is_left(
        self, account, loan_officer
    ):
        from loans.services.repayments import post_repayment

        run_sweep(business_date=date(2026, 2, 25))
        assert first(account).penalty_due == D("15.54")  # 10 days: 15.00 + 0.54

        repayment = post_repayment(
            user=loan_officer,
            account=account,
            amount=D("5367.77"),
            paid_on=date(2026, 2, 20),
            channel="counter",
            reference="BACK-1",
        )

        # as of 2026-02-20 (5 days): 7.50 + 0.27; then interest 360.00, principal 5,000.00
        assert (repayment.penalty_part, repayment.interest_part, repayment.principal_part) == (
            D("7.77"),
            D("360.00"),
            D("5000.00"),
        )
        # afterwards 5,000.00 of principal accrues from 2026-02-21 to today
        later = (timezone.localdate() - date(2026, 2, 20)).days
        item = first(account)
        assert item.principal_days == D("10000") * 5 + D("5000") * later
        assert item.interest_days == D("360") * 5
        assert item.penalty_due == (
            (item.principal_days * D("0.00015")).quantize(D("0.01")) + D("0.27")
        )

    def test_a_repayment_dated_before_one_already_posted_is_refused(self, account, loan_officer):
        from loans.services.repayments import post_repayment

        def post(reference, paid_on):
            return post_repayment(
                user=loan_officer,
                account=account,
                amount=D("100.00"),
                paid_on=paid_on,
                channel="counter",
                reference=reference,
            )

        post("LATER", date(2026, 3, 1))
        with pytest.raises(DomainError) as refused:
            post("EARLIER", date(2026, 2, 20))
        assert refused.value.code == "out_of_order"


class TestClassificationAndBuckets:
    @pytest.fixture
    def old_account(self, make_account):
        """First installment due 2025-02-15, so that a year past due is not in the future."""
        return make_account(value_date=date(2025, 1, 15))

    @pytest.mark.parametrize(
        ("days", "expected"),
        [
            (7, "normal"),  # technical delay
            (8, "special_mention"),
            (90, "special_mention"),
            (91, "substandard"),
            (270, "substandard"),
            (271, "doubtful"),
            (360, "doubtful"),
            (361, "loss"),
        ],
    )
    def test_the_floor_follows_days_past_due(self, old_account, days, expected):
        run_sweep(business_date=date(2025, 2, 15) + timedelta(days=days))

        account = fresh(old_account)
        assert account.days_past_due == days
        assert account.classification == expected

    def test_each_floor_is_recorded_with_its_reason(self, old_account):
        for days in (8, 91):
            run_sweep(business_date=date(2025, 2, 15) + timedelta(days=days))

        changes = ClassificationChange.objects.filter(account=old_account).order_by("pk")
        assert [
            (c.from_class, c.to_class, c.origin, c.status, c.days_past_due) for c in changes
        ] == [
            ("normal", "special_mention", "floor", "approved", 8),
            ("special_mention", "substandard", "floor", "approved", 91),
        ]
        assert "90" in changes[1].reason

    def test_a_worse_class_set_by_hand_is_not_lowered_by_the_floor(self, old_account):
        LoanAccount.objects.filter(pk=old_account.pk).update(classification="doubtful")

        run_sweep(business_date=date(2025, 2, 15) + timedelta(days=100))

        assert fresh(old_account).classification == "doubtful"
        assert not ClassificationChange.objects.filter(account=old_account).exists()

    @pytest.mark.parametrize(
        ("days", "bucket"),
        [
            (0, ""),
            (1, "M1"),
            (30, "M1"),
            (31, "M2"),
            (60, "M2"),
            (61, "M3"),
            (90, "M3"),
            (91, "M3+"),
        ],
    )
    def test_the_bucket_follows_days_past_due(self, old_account, days, bucket):
        run_sweep(business_date=date(2025, 2, 15) + timedelta(days=days))

        assert fresh(old_account).bucket == bucket == overdue.bucket(days)


class TestSnapshot:
    def test_it_adds_up_the_book_per_product_class_and_bucket(self, make_account):
        late = make_account()
        make_account(value_date=date(2026, 2, 10))  # first due 2026-03-10: current on 02-25
        day = date(2026, 2, 25)

        run_sweep(business_date=day)

        rows = {
            (row.classification, row.bucket): row
            for row in PortfolioSnapshot.objects.filter(business_date=day)
        }
        assert set(rows) == {("normal", ""), ("special_mention", "M1")}
        assert rows[("special_mention", "M1")].accounts == 1
        assert rows[("special_mention", "M1")].overdue_principal == D("10000.00")
        assert rows[("special_mention", "M1")].principal_outstanding == D("120000.00")
        assert rows[("normal", "")].overdue_principal == D("0.00")
        assert rows[("normal", "")].product_id == late.product_id

    def test_interest_falling_due_and_received_on_the_day(self, account, loan_officer):
        from loans.services.repayments import post_repayment

        post_repayment(
            user=loan_officer,
            account=account,
            amount=D("10360.00"),
            paid_on=FIRST_DUE,
            channel="auto_debit",
            reference="ON-TIME",
        )

        run_sweep(business_date=FIRST_DUE)

        row = PortfolioSnapshot.objects.get(business_date=FIRST_DUE)
        assert (row.interest_due, row.interest_received) == (D("360.00"), D("360.00"))


class TestWaysToRunIt:
    def test_the_command_sweeps_the_given_date(self, account, capsys):
        call_command("run_overdue_sweep", "--date", "2026-02-16")

        assert "2026-02-16 done" in capsys.readouterr().out
        assert first(account).penalty_due == D("1.55")

    def test_the_command_says_when_the_date_is_already_swept(self, account, capsys):
        call_command("run_overdue_sweep", "--date", "2026-02-16")
        call_command("run_overdue_sweep", "--date", "2026-02-16")

        assert "nothing to sweep up to 2026-02-16" in capsys.readouterr().out

    def test_the_command_refuses_a_bad_date(self, account):
        with pytest.raises(CommandError):
            call_command("run_overdue_sweep", "--date", "16/02/2026")

    def test_the_task_catches_up_to_the_date_it_is_given(self, account):
        result = run_overdue_sweep.delay("2026-02-16").get()

        assert list(result) == ["2026-02-16"]
        assert first(account).penalty_due == D("1.55")


class TestCustomerBehaviour:
    def test_the_sweep_keeps_the_customer_s_lateness_current(self, account):
        run_sweep(business_date=FIRST_DUE + timedelta(days=45))

        customer = fresh(account).customer
        customer.refresh_from_db()
        # 2026-03-31: installment 1 (due 02-15) is 45 days late, installment 2 (03-15) 16
        assert (customer.worst_days_past_due, customer.times_late) == (45, 2)

    def test_night_by_night_the_figures_equal_a_full_recount(self, account):
        """Nights after the first recount only the customers with an installment that fell due
        the day before; the others' worst days past due come from their accounts."""
        from loans.behaviour import customer_behaviour

        customer = fresh(account).customer
        night = FIRST_DUE + timedelta(days=1)
        run_sweep(business_date=night)
        for _ in range(40):  # through installment 2 falling due (03-15) and beyond
            night += timedelta(days=1)
            run_sweep(business_date=night)
            customer.refresh_from_db()
            full = customer_behaviour(customer, on=night)
            assert (customer.times_late, customer.worst_days_past_due) == (
                full.times_late,
                full.worst_days_past_due,
            ), night
        assert (customer.times_late, customer.worst_days_past_due) == (2, 41)


def test_beat_runs_the_sweep_at_one_in_the_morning_beijing_time(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.select_related("crontab").get(task="loans.run_overdue_sweep")
    assert (task.crontab.hour, task.crontab.minute) == ("1", "0")
    assert str(task.crontab.timezone) == "Asia/Shanghai"
    assert task.enabled
