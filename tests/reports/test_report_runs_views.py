"""The reports page: who may see it, asking for a report, the polled progress partial and
the downloads (director and auditor only; everyone else 404)."""

import pytest
from django.urls import reverse

from reports.models import ReportKind, ReportRun, ReportStatus
from tests.reports.report_data import END, START, seed_snapshots

pytestmark = pytest.mark.django_db


@pytest.fixture
def done_run(origination, director):
    from reports.services_reports import generate

    seed_snapshots()
    run = ReportRun.objects.create(
        kind=ReportKind.ASSET_QUALITY, period_start=START, period_end=END, requested_by=director
    )
    generate(run.pk)
    run.refresh_from_db()
    return run


@pytest.mark.parametrize("role", ["director", "auditor"])
def test_the_director_and_the_auditor_see_the_page_with_last_month_proposed(client, request, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("reports:report_runs"))

    assert response.status_code == 200
    assert response.context["form"].initial["period_end"].day >= 28
    assert list(response.context["page"].object_list) == []
    assert b"empty-state" in response.content


@pytest.mark.parametrize("role", ["loan_officer", "reviewer", "collections_officer"])
def test_others_get_404_everywhere(client, request, role, done_run):
    client.force_login(request.getfixturevalue(role))

    for url in (
        reverse("reports:report_runs"),
        reverse("reports:report_run", args=[done_run.pk]),
        reverse("reports:report_run_progress", args=[done_run.pk]),
        reverse("reports:report_run_file", args=[done_run.pk, "pdf"]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("reports:report_runs"), {}).status_code == 404


def test_asking_for_a_report_runs_it_and_shows_its_page(
    client, director, origination, django_capture_on_commit_callbacks
):
    seed_snapshots()
    client.force_login(director)
    data = {"kind": "classification", "period_start": "2026-10-01", "period_end": "2026-10-31"}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_runs"), data)

    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:report_run", args=[run.pk])
    assert run.status == ReportStatus.DONE and run.requested_by == director
    listing = client.get(reverse("reports:report_runs")).content.decode()
    assert "100%" in listing


def test_a_refused_period_is_shown_on_the_page(client, director):
    client.force_login(director)
    data = {"kind": "collections", "period_start": "2026-10-31", "period_end": "2026-10-01"}

    response = client.post(reverse("reports:report_runs"), data, follow=True)

    assert response.status_code == 200
    assert not ReportRun.objects.exists()
    assert any("开始日期不能晚于结束日期" in str(m) for m in response.context["messages"])


def test_the_list_filters_by_report(client, auditor, director):
    for kind in (ReportKind.ASSET_QUALITY, ReportKind.COLLECTIONS):
        ReportRun.objects.create(kind=kind, period_start=START, period_end=END)
    client.force_login(auditor)

    response = client.get(reverse("reports:report_runs"), {"kind": "collections"})

    assert [run.kind for run in response.context["page"].object_list] == ["collections"]


def test_the_progress_partial_polls_until_the_run_is_done(client, director, done_run):
    queued = ReportRun.objects.create(
        kind=ReportKind.COLLECTIONS, period_start=START, period_end=END, requested_by=director
    )
    client.force_login(director)

    waiting = client.get(reverse("reports:report_run_progress", args=[queued.pk])).content
    finished = client.get(reverse("reports:report_run_progress", args=[done_run.pk])).content

    assert b'hx-trigger="every 1s"' in waiting
    assert b"hx-trigger" not in finished
    assert b"100%" in finished and b"download-pdf" in finished


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("pdf", "application/pdf", b"%PDF-"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
    ],
)
def test_the_auditor_downloads_the_files_as_attachments(
    client, auditor, done_run, fmt, content_type, magic
):
    client.force_login(auditor)

    response = client.get(reverse("reports:report_run_file", args=[done_run.pk, fmt]))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert "20261001-20261031" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(magic)


def test_a_run_not_ready_or_an_unknown_format_has_no_file(client, director, done_run):
    queued = ReportRun.objects.create(
        kind=ReportKind.COLLECTIONS, period_start=START, period_end=END
    )
    client.force_login(director)

    assert (
        client.get(reverse("reports:report_run_file", args=[queued.pk, "pdf"])).status_code == 404
    )
    assert (
        client.get(reverse("reports:report_run_file", args=[done_run.pk, "docx"])).status_code
        == 404
    )


def test_the_nav_shows_reports_to_the_director_only(client, director, loan_officer):
    from loancenter.navigation import items_for

    assert "report_runs" in [item["key"] for item in items_for(director)]
    assert "report_runs" not in [item["key"] for item in items_for(loan_officer)]
