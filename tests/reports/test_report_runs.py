"""Reports generated in the background: who may ask, the period rules, the task and its
progress, a second delivery, failures, and the monthly report beat makes on the 1st."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from loancenter.errors import DomainError, PermissionRefused
from loancenter.models import Notification
from reports import services_reports
from reports.models import ReportKind, ReportRun, ReportStatus
from reports.tasks import generate_report, monthly_asset_quality_report
from tests.reports.report_data import END, START, seed_snapshots

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(origination):
    seed_snapshots()


def ask(user, kind=ReportKind.ASSET_QUALITY, start=START, end=END):
    return services_reports.request_report(user=user, kind=kind, period_start=start, period_end=end)


def test_it_refuses_a_loan_officer(loan_officer):
    with pytest.raises(PermissionRefused):
        ask(loan_officer)
    assert not ReportRun.objects.exists()


def test_it_refuses_a_period_that_ends_before_it_starts(director):
    with pytest.raises(DomainError, match="开始日期不能晚于结束日期"):
        ask(director, start=END, end=START)


def test_it_refuses_a_period_that_ends_in_the_future(director):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(DomainError, match="不能晚于今天"):
        ask(director, start=START, end=tomorrow)


def test_it_refuses_a_period_longer_than_a_year(director):
    with pytest.raises(DomainError, match="最长为一年"):
        ask(director, start=date(2025, 9, 1), end=END)


def test_it_refuses_an_unknown_report(director):
    with pytest.raises(DomainError, match="没有这种报表"):
        ask(director, kind="gossip")


def test_it_refuses_a_missing_day(director):
    with pytest.raises(DomainError, match="起止日期"):
        ask(director, start=None)


def test_a_year_exactly_is_accepted(auditor, django_capture_on_commit_callbacks, book):
    with django_capture_on_commit_callbacks(execute=False):
        run = ask(auditor, start=date(2025, 11, 1), end=END)
    assert run.status == ReportStatus.QUEUED
    assert run.requested_by == auditor


def test_asking_queues_the_run_and_the_task_makes_both_files(
    director, django_capture_on_commit_callbacks, book
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = ask(director)
    assert run.status == ReportStatus.QUEUED and run.progress == 0
    assert len(callbacks) == 1

    callbacks[0]()  # the task, run eagerly

    run.refresh_from_db()
    assert run.status == ReportStatus.DONE
    assert run.progress == 100
    assert run.finished_at is not None
    assert run.pdf.name.endswith(".pdf") and run.xlsx.name.endswith(".xlsx")
    assert run.figures["figures"]["overdue_rate"] == {"value": "3.75", "state": "alert"}


def test_progress_moves_through_the_steps(director, book, monkeypatch):
    run = ReportRun.objects.create(
        kind=ReportKind.CLASSIFICATION, period_start=START, period_end=END, requested_by=director
    )
    seen = []
    original = services_reports._set

    def spy(run, **fields):
        if "progress" in fields:
            seen.append(fields["progress"])
        original(run, **fields)

    monkeypatch.setattr(services_reports, "_set", spy)
    generate_report.delay(run.pk)

    assert seen == [10, 50, 80, 100]


def test_running_the_task_twice_keeps_the_first_files(director, book):
    run = ReportRun.objects.create(
        kind=ReportKind.COLLECTIONS, period_start=START, period_end=END, requested_by=director
    )
    generate_report.delay(run.pk)
    run.refresh_from_db()
    first = (run.pdf.name, run.xlsx.name, run.finished_at)

    assert generate_report.delay(run.pk).get() == ReportStatus.DONE

    run.refresh_from_db()
    assert (run.pdf.name, run.xlsx.name, run.finished_at) == first


def test_a_failure_marks_the_run_failed_with_the_message(director, book, monkeypatch):
    def broken(start, end):
        raise RuntimeError("snapshot table unreadable")

    monkeypatch.setitem(services_reports.BUILDERS, ReportKind.ASSET_QUALITY, broken)
    run = ReportRun.objects.create(
        kind=ReportKind.ASSET_QUALITY, period_start=START, period_end=END, requested_by=director
    )

    generate_report.delay(run.pk)

    run.refresh_from_db()
    assert run.status == ReportStatus.FAILED
    assert "snapshot table unreadable" in run.error
    assert not run.pdf


def test_a_missing_run_is_no_error(db):
    assert generate_report.delay(987654).get() == "missing"


def test_beat_makes_last_months_report_for_the_director_and_tells_the_directors(
    director, book, make_user
):
    other_director = make_user("director2", "director")

    run = services_reports.monthly_asset_quality_report(today=date(2026, 11, 1))

    assert (run.kind, run.period_start, run.period_end) == (ReportKind.ASSET_QUALITY, START, END)
    assert run.requested_by is None
    assert run.status == ReportStatus.DONE and run.progress == 100
    notes = Notification.objects.filter(link=f"/reports/runs/{run.pk}/")
    assert {n.recipient for n in notes} == {director, other_director}


def test_beat_running_twice_makes_one_report_and_one_message(director, book):
    services_reports.monthly_asset_quality_report(today=date(2026, 11, 1))
    services_reports.monthly_asset_quality_report(today=date(2026, 11, 1))

    assert ReportRun.objects.count() == 1
    assert Notification.objects.filter(recipient=director).count() == 1


def test_the_beat_task_covers_the_month_before_today(director, book):
    pk = monthly_asset_quality_report.delay().get()

    run = ReportRun.objects.get(pk=pk)
    first_of_this_month = timezone.localdate().replace(day=1)
    assert run.period_end == first_of_this_month - timedelta(days=1)
    assert run.period_start == run.period_end.replace(day=1)


def test_beat_is_scheduled_on_the_first_of_the_month():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="reports.monthly_asset_quality_report")
    assert task.crontab.day_of_month == "1"
