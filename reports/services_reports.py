"""Reports generated in the background: asked for on a page (or by beat), built by a Celery
task into a PDF and an XLSX with the same figures, kept with who asked and when."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from loancenter import audit, outbox, workflow
from loancenter.errors import DomainError
from loancenter.notifications import notify_role
from loancenter.roles import AUDITOR, DIRECTOR

from .builders import BUILDERS
from .builders.common import pdf_bytes, xlsx_bytes
from .models import ReportKind, ReportRun, ReportStatus

logger = logging.getLogger(__name__)
MAX_PERIOD_DAYS = 366


def last_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def check_period(kind: str, period_start: date, period_end: date) -> None:
    if kind not in ReportKind.values:
        raise DomainError(_("There is no such report."))
    if period_start is None or period_end is None:
        raise DomainError(_("Give the first and the last day of the period."))
    if period_start > period_end:
        raise DomainError(_("The period must start on or before its last day."))
    if period_end > timezone.localdate():
        raise DomainError(_("The period cannot end in the future."))
    if (period_end - period_start).days >= MAX_PERIOD_DAYS:
        raise DomainError(_("A report covers at most one year."))


def request_report(*, user, kind: str, period_start: date, period_end: date) -> ReportRun:
    """Queue a report for the director or the auditor; the task starts once this commits."""
    role = workflow.require_role(user, DIRECTOR, AUDITOR)
    check_period(kind, period_start, period_end)
    with transaction.atomic():
        run = ReportRun.objects.create(
            kind=kind, period_start=period_start, period_end=period_end, requested_by=user
        )
        audit.record(actor=user, action="request_report", obj=run, role=role, opinion=str(run))
        enqueue(run.pk)
    return run


def enqueue(run_id: int) -> None:
    """Kept in the outbox with the run: sent once this commits, or later if Redis is down."""
    from .tasks import generate_report

    outbox.enqueue(generate_report, run_id)


def _set(run: ReportRun, **fields) -> None:
    """Save progress at once (outside any transaction) so the polling page sees it."""
    for name, value in fields.items():
        setattr(run, name, value)
    ReportRun.objects.filter(pk=run.pk).update(**fields)


def _claim(run_id: int) -> ReportRun | None:
    """Mark the run running, or None when it is done already (a second delivery)."""
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status == ReportStatus.DONE:
            return None
        run.status, run.progress, run.error = ReportStatus.RUNNING, 0, ""
        run.save(update_fields=["status", "progress", "error"])
    return run


def file_name(run: ReportRun, extension: str) -> str:
    return f"{run.get_kind_display()}_{run.period_start:%Y%m%d}-{run.period_end:%Y%m%d}.{extension}"


def generate(run_id: int) -> ReportRun | None:
    """Build the figures, the PDF and the XLSX of a run, with progress; safe to run twice."""
    run = _claim(run_id)
    if run is None:
        return ReportRun.objects.filter(pk=run_id).first()
    try:
        with translation.override(settings.LANGUAGE_CODE):
            _build(run)
    except Exception as error:  # the run records any failure; the page shows it
        logger.exception("report run %s failed", run.pk)
        _set(run, status=ReportStatus.FAILED, error=str(error)[:1000] or type(error).__name__)
    return run


def _build(run: ReportRun) -> None:
    report = BUILDERS[run.kind](run.period_start, run.period_end)
    report.update(
        kind=run.kind,
        period_start=run.period_start.isoformat(),
        period_end=run.period_end.isoformat(),
    )
    _set(run, progress=10, figures=report)
    title = str(run.get_kind_display())
    pdf = pdf_bytes(report, title)
    _set(run, progress=50)
    xlsx = xlsx_bytes(report, title)
    _set(run, progress=80)
    run.pdf.save(file_name(run, "pdf"), ContentFile(pdf), save=False)
    run.xlsx.save(file_name(run, "xlsx"), ContentFile(xlsx), save=False)
    _set(
        run,
        pdf=run.pdf.name,
        xlsx=run.xlsx.name,
        status=ReportStatus.DONE,
        progress=100,
        finished_at=timezone.now(),
    )


def monthly_asset_quality_report(today: date | None = None) -> ReportRun:
    """Beat, on the 1st: the previous month's asset-quality report for the director."""
    start, end = last_month(today or timezone.localdate())
    run, _created = ReportRun.objects.get_or_create(
        kind=ReportKind.ASSET_QUALITY,
        period_start=start,
        period_end=end,
        requested_by=None,
    )
    if run.status == ReportStatus.DONE:
        return run
    generate(run.pk)
    run.refresh_from_db()
    if run.status == ReportStatus.DONE:
        notify_role(
            DIRECTOR,
            message=_("The asset-quality report for %(month)s is ready.")
            % {"month": f"{start:%Y-%m}"},
            link=reverse("reports:report_run", args=[run.pk]),
        )
    return run
