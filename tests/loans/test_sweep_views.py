"""The sweep page: the director and the auditor read it; the director runs it when eager."""

import pytest
from django.urls import reverse
from django.utils import timezone

from loans.models import SweepRun


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_the_director_sees_the_runs_and_the_button(as_user, director, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    SweepRun.objects.create(business_date=timezone.localdate(), status="done")

    response = as_user(director).get(reverse("loans:sweep_runs"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="run-sweep"' in html
    assert timezone.localdate().strftime("%Y-%m-%d") in html


def test_the_auditor_reads_without_the_button(as_user, auditor, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = as_user(auditor).get(reverse("loans:sweep_runs"))

    assert response.status_code == 200
    assert 'data-testid="run-sweep"' not in response.content.decode()
    assert as_user(auditor).post(reverse("loans:sweep_run_now")).status_code == 403


@pytest.mark.parametrize("role", ["loan_officer", "collections_officer", "reviewer"])
def test_other_roles_may_not_open_it(as_user, request, role):
    user = request.getfixturevalue(role)
    assert as_user(user).get(reverse("loans:sweep_runs")).status_code == 403


def test_the_button_sweeps_today_when_tasks_run_eagerly(as_user, director, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = as_user(director).post(reverse("loans:sweep_run_now"), follow=True)

    assert response.status_code == 200
    run = SweepRun.objects.get(business_date=timezone.localdate())
    assert (run.status, run.started_by) == ("done", director)
    assert "已为" in response.content.decode() or "ran" in response.content.decode()


def test_with_a_worker_and_beat_there_is_no_button(as_user, director, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    html = as_user(director).get(reverse("loans:sweep_runs")).content.decode()

    assert 'data-testid="run-sweep"' not in html
    assert as_user(director).post(reverse("loans:sweep_run_now")).status_code == 403
    assert not SweepRun.objects.exists()


class TestTheAccountList:
    def test_it_filters_by_bucket_and_class_and_shows_days_past_due(
        self, as_user, director, origination, loan_officer, investigator, reviewer, approver,
        disbursement_supervisor,
    ):  # fmt: skip
        from datetime import date

        from loans.models import LoanAccount
        from tests.servicing import consumer_account

        def account(value_date):
            return consumer_account(
                loan_officer, investigator, reviewer, approver, disbursement_supervisor,
                value_date=value_date,
            )  # fmt: skip

        late, current = account(date(2026, 1, 15)), account(date(2026, 1, 20))
        LoanAccount.objects.filter(pk=late.pk).update(
            days_past_due=45, bucket="M2", classification="special_mention", status="overdue"
        )
        LoanAccount.objects.filter(pk=current.pk).update(days_past_due=0, bucket="")
        client = as_user(director)

        def numbers(query):
            html = client.get(reverse("loans:account_list") + query).content.decode()
            return {n for n in (late.number, current.number) if n in html}, html

        assert numbers("?bucket=M2")[0] == {late.number}
        assert numbers("?bucket=current")[0] == {current.number}
        assert numbers("?classification=special_mention")[0] == {late.number}
        assert ">45</span>" in numbers("")[1]
