"""The director's morning in the browser: the dashboard's figures, an approval decided from
the dashboard, and the monthly report asked for, watched to 100% and downloaded."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from reports.services_reports import last_month
from tests.e2e.navigation import nav
from tests.e2e.test_origination import decide
from tests.origination import reviewed
from tests.reports.report_data import seed_snapshots


@pytest.fixture
def eager_reports(settings):
    """The report task runs inside the request (no worker in the browser tests); the autouse
    fixture in tests/conftest.py sets the Celery app eager for the live server thread too."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


def test_the_director_reads_the_dashboard_approves_and_downloads_the_monthly_report(
    page,
    sign_in,
    live_server,
    origination,
    eager_reports,
    loan_officer,
    investigator,
    reviewer,
    director,
):
    seed_snapshots()
    application = reviewed(loan_officer, investigator, reviewer)
    assert application.status == "approving"

    sign_in(director.username)
    page.goto(f"{live_server.url}{reverse('reports:dashboard')}")
    quality = page.get_by_test_id("asset-quality")
    expect(quality).to_contain_text("3.75%")  # overdue rate, hand-computed from the snapshots
    expect(quality).to_contain_text("10.00%")  # NPL ratio

    page.get_by_test_id("approvals-waiting").get_by_role("link", name=application.number).click()
    expect(page.get_by_role("heading", name=re.compile(application.number))).to_be_visible()
    decide(page, "批准", "资信良好,抵押充足,同意。")
    expect(page.get_by_test_id("status")).to_have_text("已批准")

    nav(page, "report_runs").click()
    expect(page.get_by_role("heading", name="报表", exact=True)).to_be_visible()
    start, end = last_month(timezone.localdate())  # the page proposes last month
    expect(page.locator("[name=period_start]")).to_have_value(f"{start:%Y-%m-%d}")
    expect(page.locator("[name=period_end]")).to_have_value(f"{end:%Y-%m-%d}")
    page.get_by_test_id("ask-report").click()

    expect(page.get_by_test_id("run-percent")).to_have_text("100%")
    with page.expect_download() as download_info:
        page.get_by_test_id("download-pdf").click()
    download = download_info.value
    assert download.suggested_filename.endswith(f"_{start:%Y%m%d}-{end:%Y%m%d}.pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
