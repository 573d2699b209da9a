"""Re-rating: a grade change is proposed, the reviewer confirms or refuses it, the monthly job.

With the default scorecard (version 1) the test customer (41, income 30,000.00, five years with
the employer, married, own home, a 120,000.00 credit loan over 12 months: payment-to-income
33.99%, no collateral, not on the warning list) scores

    80 + 75 + 70 + 75 + 70 + 85 + overdue history + 50 + 45 + 80 = 630 + overdue history

- never late: 100 → 730, grade A, limit 10 × 360,000.00 = 3,600,000.00;
- at worst 10 days late: 80 → 710, grade B, limit 8 × 360,000.00 = 2,880,000.00;
- at worst 100 days late: 0 → 630, grade C, limit 6 × 360,000.00 = 2,160,000.00.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from applications.models import Customer
from loancenter.errors import DomainError, InvalidTransition, PermissionRefused
from loancenter.models import AuditEvent, Notification
from loancenter.repayment import add_months
from loans.models import Installment
from reports import rating as rating_service
from reports.models import CreditRating, RatingStatus
from reports.rating import confirm_rating, current_rating, rerate_customer
from reports.tasks import rerate_customers
from review.models import ApplicationScore, Scorecard
from tests.servicing import consumer_account

D = Decimal


@pytest.fixture
def make_account(
    origination, scorecard, loan_officer, investigator, reviewer, approver, disbursement_supervisor
):
    def make():
        value_date = add_months(timezone.localdate().replace(day=1), -5)
        account = consumer_account(
            loan_officer, investigator, reviewer, approver, disbursement_supervisor,
            value_date=value_date,
        )  # fmt: skip
        pin_customer(account)
        return account

    return make


@pytest.fixture
def account(make_account):
    account = make_account()
    repaid(account)
    return account


def pin_customer(account):
    """The customer data the scores above are computed from, whatever the builders' defaults."""
    Customer.objects.filter(pk=account.customer_id).update(
        monthly_income=D("30000.00"),
        employment_years=5,
        marital_status="married",
        housing_status="own",
    )
    account.customer.refresh_from_db()


@pytest.fixture
def customer(account):
    return account.customer


def repaid(account, **late_days):
    """Every installment due so far paid off; ``p1=10`` pays period 1 ten days late."""
    today = timezone.localdate()
    for item in Installment.objects.filter(account=account, due_date__lte=today):
        days = late_days.get(f"p{item.period}", 0)
        Installment.objects.filter(pk=item.pk).update(
            paid_off_on=min(item.due_date + timedelta(days=days), today)
        )


def rerate(customer, capture):
    with capture(execute=True):
        return rerate_customer(customer)


def confirmed(customer, reviewer, capture):
    rating = rerate(customer, capture)
    with capture(execute=True):
        return confirm_rating(user=reviewer, rating=rating, agree=True, reason="同意")


def messages_for(user):
    return list(Notification.objects.filter(recipient=user).values_list("message", flat=True))


class TestProposals:
    def test_a_first_rating_is_proposed_and_the_reviewers_told(
        self, customer, reviewer, django_capture_on_commit_callbacks
    ):
        scores_before = ApplicationScore.objects.count()

        rating = rerate(customer, django_capture_on_commit_callbacks)

        assert (rating.grade, rating.score, rating.limit) == ("A", 730, D("3600000.00"))
        assert (rating.status, rating.previous_grade) == (RatingStatus.PROPOSED, "")
        assert rating.scorecard.version == 1
        assert {item["code"]: item["points"] for item in rating.breakdown}["overdue_history"] == 100
        assert ApplicationScore.objects.count() == scores_before  # nothing stored by the job
        assert current_rating(customer) is None  # not before a reviewer confirms it
        assert len(messages_for(reviewer)) == 1
        assert customer.name in messages_for(reviewer)[0]
        event = AuditEvent.objects.get(action="propose_rating")
        assert (event.object_id, event.to_state, event.actor) == (str(customer.pk), "A", None)

    def test_it_refreshes_the_behaviour_first(
        self, account, customer, django_capture_on_commit_callbacks
    ):
        repaid(account, p1=10)

        rating = rerate(customer, django_capture_on_commit_callbacks)

        customer.refresh_from_db()
        assert (customer.times_late, customer.worst_days_past_due) == (1, 10)
        assert (rating.grade, rating.score, rating.limit) == ("B", 710, D("2880000.00"))

    def test_the_same_grade_proposes_nothing(
        self, customer, reviewer, django_capture_on_commit_callbacks
    ):
        confirmed(customer, reviewer, django_capture_on_commit_callbacks)
        Notification.objects.all().delete()

        assert rerate(customer, django_capture_on_commit_callbacks) is None
        assert CreditRating.objects.filter(customer=customer).count() == 1
        assert messages_for(reviewer) == []

    def test_a_grade_change_is_proposed_against_the_current_grade(
        self, account, customer, reviewer, django_capture_on_commit_callbacks
    ):
        confirmed(customer, reviewer, django_capture_on_commit_callbacks)
        repaid(account, p1=10)

        rating = rerate(customer, django_capture_on_commit_callbacks)

        assert (rating.previous_grade, rating.grade) == ("A", "B")
        assert current_rating(customer).grade == "A"  # until the reviewer confirms

    def test_a_pending_proposal_is_not_proposed_twice(
        self, account, customer, reviewer, django_capture_on_commit_callbacks
    ):
        repaid(account, p1=10)
        first = rerate(customer, django_capture_on_commit_callbacks)

        assert rerate(customer, django_capture_on_commit_callbacks) is None
        assert list(CreditRating.objects.filter(customer=customer)) == [first]
        assert len(messages_for(reviewer)) == 1

    def test_a_pending_proposal_gives_way_to_a_newer_grade(
        self, account, customer, reviewer, django_capture_on_commit_callbacks
    ):
        confirmed(customer, reviewer, django_capture_on_commit_callbacks)
        repaid(account, p1=10)
        older = rerate(customer, django_capture_on_commit_callbacks)
        repaid(account, p1=100)

        newer = rerate(customer, django_capture_on_commit_callbacks)

        assert (newer.previous_grade, newer.grade, newer.score) == ("A", "C", 630)
        assert newer.limit == D("2160000.00")
        assert CreditRating.objects.get(pk=older.pk).status == RatingStatus.SUPERSEDED
        assert AuditEvent.objects.filter(action="supersede_rating").count() == 1

    def test_nothing_is_rated_without_a_scorecard_in_use(
        self, customer, django_capture_on_commit_callbacks
    ):
        Scorecard.objects.update(is_active=False)

        assert rerate(customer, django_capture_on_commit_callbacks) is None
        assert rating_service.rerate(customer)[0] == rating_service.UNSCORED
        assert not CreditRating.objects.exists()


class TestDecisions:
    def test_confirmation_makes_the_grade_current(
        self, customer, reviewer, loan_officer, django_capture_on_commit_callbacks
    ):
        rating = rerate(customer, django_capture_on_commit_callbacks)

        with django_capture_on_commit_callbacks(execute=True):
            confirm_rating(user=reviewer, rating=rating, agree=True, reason="")

        current = current_rating(customer)
        assert current == rating
        assert (current.status, current.decided_by) == (RatingStatus.CONFIRMED, reviewer)
        assert current.decided_at is not None
        event = AuditEvent.objects.get(action="confirm_rating")
        assert (event.actor, event.role, event.to_state) == (reviewer, "reviewer", "A")
        assert any("A" in message for message in messages_for(loan_officer))

    def test_a_later_confirmation_replaces_it_and_the_old_stays_as_history(
        self, account, customer, reviewer, django_capture_on_commit_callbacks
    ):
        first = confirmed(customer, reviewer, django_capture_on_commit_callbacks)
        repaid(account, p1=10)

        second = confirmed(customer, reviewer, django_capture_on_commit_callbacks)

        assert current_rating(customer) == second
        assert CreditRating.objects.get(pk=first.pk).status == RatingStatus.CONFIRMED

    def test_refusal_keeps_the_current_grade(
        self, account, customer, reviewer, django_capture_on_commit_callbacks
    ):
        first = confirmed(customer, reviewer, django_capture_on_commit_callbacks)
        repaid(account, p1=10)
        proposal = rerate(customer, django_capture_on_commit_callbacks)

        confirm_rating(user=reviewer, rating=proposal, agree=False, reason="逾期系短信未达,已核实")

        proposal = CreditRating.objects.get(pk=proposal.pk)
        assert (proposal.status, proposal.decided_by) == (RatingStatus.REJECTED, reviewer)
        assert proposal.reason == "逾期系短信未达,已核实"
        assert current_rating(customer) == first
        event = AuditEvent.objects.get(action="reject_rating")
        assert event.opinion == "逾期系短信未达,已核实"

    def test_a_refusal_needs_a_reason(self, customer, reviewer, django_capture_on_commit_callbacks):
        rating = rerate(customer, django_capture_on_commit_callbacks)

        with pytest.raises(DomainError):
            confirm_rating(user=reviewer, rating=rating, agree=False, reason="  ")
        assert CreditRating.objects.get(pk=rating.pk).status == RatingStatus.PROPOSED

    def test_only_a_reviewer_decides(
        self, customer, director, loan_officer, django_capture_on_commit_callbacks
    ):
        rating = rerate(customer, django_capture_on_commit_callbacks)

        for user in (director, loan_officer):
            with pytest.raises(PermissionRefused):
                confirm_rating(user=user, rating=rating, agree=True, reason="")

    def test_a_decided_rating_cannot_be_decided_again(
        self, customer, reviewer, django_capture_on_commit_callbacks
    ):
        rating = confirmed(customer, reviewer, django_capture_on_commit_callbacks)

        with pytest.raises(InvalidTransition):
            confirm_rating(user=reviewer, rating=rating, agree=False, reason="改变主意")


class TestMonthlyJob:
    def test_it_rerates_every_customer_with_a_loan_and_tells_the_reviewers_once(
        self, account, make_account, reviewer, loan_officer, django_capture_on_commit_callbacks
    ):
        second = make_account()
        repaid(second, p1=10)
        from tests.origination import make_customer

        make_customer(loan_officer)  # no loan: not rated

        with django_capture_on_commit_callbacks(execute=True):
            counts = rerate_customers.apply().get()  # through Celery, in this process

        assert counts == {"proposed": 2, "unchanged": 0, "pending": 0, "unscored": 0, "failed": 0}
        grades = dict(CreditRating.objects.values_list("customer_id", "grade"))
        assert grades == {account.customer_id: "A", second.customer_id: "B"}
        assert len(messages_for(reviewer)) == 1
        assert "2" in messages_for(reviewer)[0]

        assert rerate_customers() == {
            "proposed": 0, "unchanged": 0, "pending": 2, "unscored": 0, "failed": 0,
        }  # fmt: skip

    def test_one_failure_does_not_stop_the_run(self, account, make_account, monkeypatch):
        second = make_account()
        evaluate = rating_service.evaluate

        def failing(customer):
            if customer.pk == second.customer_id:
                raise RuntimeError("bad record")
            return evaluate(customer)

        monkeypatch.setattr(rating_service, "evaluate", failing)

        counts = rerate_customers(chunk_size=1)

        assert (counts["proposed"], counts["failed"]) == (1, 1)

    def test_it_runs_on_the_first_of_each_month_at_two_in_the_morning(self, db):
        task = PeriodicTask.objects.select_related("crontab").get(task="reports.rerate_customers")
        crontab = task.crontab
        assert (crontab.minute, crontab.hour, crontab.day_of_month) == ("0", "2", "1")
        assert (crontab.month_of_year, crontab.day_of_week) == ("*", "*")
        assert str(crontab.timezone) == "Asia/Shanghai"
        assert task.enabled


class TestPages:
    @pytest.fixture
    def proposal(self, customer, django_capture_on_commit_callbacks):
        return rerate(customer, django_capture_on_commit_callbacks)

    def test_the_reviewer_finds_the_proposal_in_the_queue_and_confirms_it(
        self, client, reviewer, customer, proposal
    ):
        client.force_login(reviewer)

        queue = client.get(reverse("reports:rating_queue"))
        assert list(queue.context["page"].object_list) == [proposal]
        page = client.get(reverse("reports:rating_decide", args=[proposal.pk]))
        assert page.context["form"] is not None
        html = page.content.decode()
        assert "overdue_history" not in html and "married" not in html  # shown by their names
        response = client.post(
            reverse("reports:rating_decide", args=[proposal.pk]), {"agree": "yes", "reason": ""}
        )

        assert response.status_code == 302
        assert current_rating(customer) == proposal
        assert list(client.get(reverse("reports:rating_queue")).context["page"].object_list) == []

    def test_a_refusal_without_reasons_is_shown_not_recorded(self, client, reviewer, proposal):
        client.force_login(reviewer)

        response = client.post(
            reverse("reports:rating_decide", args=[proposal.pk]), {"agree": "no", "reason": ""}
        )

        assert response.status_code == 200
        assert [str(m) for m in response.context["messages"]] == ["不予确认新等级时,请填写理由。"]
        assert CreditRating.objects.get(pk=proposal.pk).status == RatingStatus.PROPOSED

    @pytest.mark.parametrize("role", ["director", "auditor"])
    def test_the_director_and_auditor_read_without_deciding(self, client, request, role, proposal):
        client.force_login(request.getfixturevalue(role))

        page = client.get(reverse("reports:rating_decide", args=[proposal.pk]))
        assert page.status_code == 200
        assert page.context["form"] is None
        client.post(reverse("reports:rating_decide", args=[proposal.pk]), {"agree": "yes"})
        assert CreditRating.objects.get(pk=proposal.pk).status == RatingStatus.PROPOSED

    @pytest.mark.parametrize("role", ["loan_officer", "approver", "archivist"])
    def test_nobody_else_opens_them(self, client, request, role, proposal):
        client.force_login(request.getfixturevalue(role))

        assert client.get(reverse("reports:rating_queue")).status_code == 404
        assert client.get(reverse("reports:rating_decide", args=[proposal.pk])).status_code == 404

    def test_the_navigation_shows_the_reviewer_how_many_wait(
        self, reviewer, loan_officer, proposal
    ):
        from loancenter.navigation import items_for

        items = {item["key"]: item for item in items_for(reviewer)}
        assert items["ratings"]["badge"] == 1
        assert "validation" in items
        assert not {"ratings", "validation"} & {item["key"] for item in items_for(loan_officer)}
