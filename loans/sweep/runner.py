"""Running the overdue sweep for a business date, catching up missed dates, and bringing one
account up to date when a repayment is posted."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loancenter import workflow
from loancenter.errors import DomainError

from .. import overdue
from ..models import AccountStatus, Installment, LoanAccount, SweepRun, SweepStatus
from . import sql
from .accounts import apply_floors, move_statuses
from .registry import registered_steps
from .snapshot import write_snapshot

logger = logging.getLogger(__name__)


def run_sweep(*, business_date: date, user=None) -> SweepRun:
    """Sweep ``business_date`` once. A date already done is left alone (``run.already_done``);
    a run that failed or died is simply run again: all its work is one transaction."""
    if business_date > timezone.localdate():
        raise DomainError(
            _("The sweep cannot run for a future date (%(date)s).")
            % {"date": f"{business_date:%Y-%m-%d}"}
        )
    run, _created = SweepRun.objects.get_or_create(business_date=business_date)
    try:
        with transaction.atomic():
            run = SweepRun.objects.select_for_update().get(pk=run.pk)
            if run.status == SweepStatus.DONE:
                run.already_done = True
                return run
            run.figures = _sweep(business_date)
            run.status = SweepStatus.DONE
            run.attempts += 1
            run.started_by = user if getattr(user, "pk", None) else None
            run.finished_at = timezone.now()
            run.error = ""
            run.save()
    except Exception as error:
        logger.exception("overdue sweep of %s failed", business_date)
        SweepRun.objects.filter(pk=run.pk).exclude(status=SweepStatus.DONE).update(
            status=SweepStatus.FAILED, error=repr(error)[:2000], attempts=run.attempts + 1
        )
        raise
    run.already_done = False
    return run


def _sweep(business_date: date) -> dict:
    figures = {"installments_accrued": sql.accrue(through=business_date)}
    figures["accounts_changed"] = sql.refresh_positions(business_date=business_date)
    figures.update(move_statuses(business_date=business_date))
    figures["classification_floors"] = apply_floors(business_date=business_date)
    for step in registered_steps():
        figures[step.name] = step.run(business_date)
    figures["snapshot_rows"] = write_snapshot(business_date=business_date)
    return figures


def dates_to_sweep(through: date) -> list[date]:
    """Every business date from the day after the last one done up to ``through``, in order."""
    last = (
        SweepRun.objects.filter(status=SweepStatus.DONE, business_date__lte=through)
        .order_by("-business_date")
        .values_list("business_date", flat=True)
        .first()
    )
    if last is None:
        return [through]
    return [last + timedelta(days=n) for n in range(1, (through - last).days + 1)]


def catch_up(*, through: date | None = None, user=None) -> list[SweepRun]:
    """Sweep every missed date up to ``through`` (today by default), oldest first."""
    through = through or timezone.localdate()
    return [run_sweep(business_date=day, user=user) for day in dates_to_sweep(through)]


def refresh_account(account: LoanAccount, *, through: date, user=None, role: str = "") -> None:
    """Bring one (locked) account up to ``through``: penalties, days past due, overdue figures,
    bucket, and active ↔ overdue through its state machine. Runs in the caller's transaction."""
    if account.status not in (AccountStatus.ACTIVE, AccountStatus.OVERDUE):
        return
    sql.accrue(through=through, account_id=account.pk)
    sql.refresh_positions(business_date=through, account_id=account.pk)
    account.refresh_from_db(
        fields=[
            "days_past_due",
            "bucket",
            "overdue_principal",
            "overdue_interest",
            "penalty_outstanding",
        ]
    )
    if account.status == AccountStatus.ACTIVE and account.days_past_due > 0:
        _transition(account, "mark_overdue", _("overdue"), user=user, role=role)
    elif account.status == AccountStatus.OVERDUE and account.days_past_due == 0:
        _transition(account, "cure", _("performing again"), user=user, role=role)


def _transition(account, method: str, label: str, *, user, role: str) -> None:
    workflow.transition(
        account,
        method,
        user=user,
        action=method,
        action_label=label,
        role=role,
        opinion=_("Brought up to date when a repayment was posted."),
    )


def wind_back(account: LoanAccount, *, to: date) -> None:
    """Penalties as they stood at the end of ``to``, for a repayment dated ``to`` that is posted
    after the sweep has accrued later days. Exact because the amounts owed have not changed since
    (``post_repayment`` refuses a repayment dated before one already posted): the later days'
    accrual is taken off, and ``accrue`` adds it back on the new amounts after the posting."""
    items = list(account.installments.filter(paid_off_on__isnull=True, accrued_through__gt=to))
    for item in items:
        start = max(to, item.due_date)
        days = (item.accrued_through - start).days
        item.principal_days -= (item.principal_due - item.principal_paid) * days
        item.interest_days -= (item.interest_due - item.interest_paid) * days
        item.accrued_through = start
        item.penalty_due = overdue.penalty_on(
            item.principal_days,
            item.interest_days,
            account.annual_rate,
            account.penalty_uplift_percent,
        )
    Installment.objects.bulk_update(
        items, ["principal_days", "interest_days", "accrued_through", "penalty_due"]
    )
    sql.accrue(through=to, account_id=account.pk)
