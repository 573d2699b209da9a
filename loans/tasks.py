from datetime import date

from celery import shared_task
from django.utils import timezone

from .sweep import catch_up


@shared_task(name="loans.run_overdue_sweep")
def run_overdue_sweep(business_date: str | None = None) -> dict:
    """Beat's nightly sweep: every missed business date up to ``business_date`` (today by
    default), oldest first. Returns what each date did, for the result backend and the log."""
    through = date.fromisoformat(business_date) if business_date else timezone.localdate()
    runs = catch_up(through=through)
    return {
        run.business_date.isoformat(): "already done" if run.already_done else run.figures
        for run in runs
    }
