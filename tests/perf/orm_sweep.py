"""The straightforward way to write the sweep, as a yardstick: one account at a time, ORM only.

``python -m tests.perf.orm_sweep`` with DATABASE_URL, BENCH_BUSINESS_DATE and BENCH_LABEL set
(run on a copy of the database the real sweep runs on). Prints ``orm_sweep_seconds_<label>``.

It does the work of ``loans.sweep.sql.accrue``, ``refresh_positions`` and
``loans.sweep.accounts.move_statuses`` for one business date, the way a per-account loop would:
  - each active or overdue account: its open installments due before the date, loaded through
    the ORM; each not yet accrued through the date gets (principal owed × days) and (interest
    owed × days) since max(accrued_through, due_date), penalty_due repriced with
    ``loans.overdue.penalty_on``, accrued_through set, and is saved;
  - days past due, overdue principal and interest, penalties owed and the bucket (the rules of
    ``loans.overdue``), saved where a figure changed. Written-off accounts get this too, without
    accrual, because ``refresh_positions`` keeps their positions (KEPT_ON_BOOK);
  - active ↔ overdue by a queryset update (the FSM field is protected against assignment).
It writes no audit rows and leaves out the classification floors, collection steps and the
snapshot that the real sweep also does: the comparison flatters the loop, not the sweep.
Everything runs in one transaction, as the real sweep does.
"""

from __future__ import annotations

import time
from decimal import Decimal

from tests.perf.bench_common import business_date, emit, label, note, setup_django

ZERO = Decimal("0.00")
ACCRUAL_FIELDS = ["principal_days", "interest_days", "penalty_due", "accrued_through"]


def accrue(account, installments, day) -> None:
    from loans import overdue

    for item in installments:
        if item.accrued_through is not None and item.accrued_through >= day:
            continue
        start = max(item.accrued_through or item.due_date, item.due_date)
        days = (day - start).days
        item.principal_days += (item.principal_due - item.principal_paid) * days
        item.interest_days += (item.interest_due - item.interest_paid) * days
        item.penalty_due = overdue.penalty_on(
            item.principal_days,
            item.interest_days,
            account.annual_rate,
            account.penalty_uplift_percent,
        )
        item.accrued_through = day
        item.save(update_fields=ACCRUAL_FIELDS)


def refresh_position(account, installments, day) -> bool:
    """Set the account's overdue figures from its open installments due before ``day``; True
    when a figure changed and the account was saved."""
    from loans import overdue

    oldest = min((item.due_date for item in installments), default=None)
    dpd = overdue.days_past_due(oldest, day)
    figures = {
        "days_past_due": dpd,
        "bucket": overdue.bucket(dpd),
        "overdue_principal": sum(
            (item.principal_due - item.principal_paid for item in installments), ZERO
        ),
        "overdue_interest": sum(
            (item.interest_due - item.interest_paid for item in installments), ZERO
        ),
        "penalty_outstanding": sum(
            (
                item.penalty_due - item.penalty_paid
                for item in installments
                if item.penalty_due > item.penalty_paid
            ),
            ZERO,
        ),
    }
    if all(getattr(account, field) == value for field, value in figures.items()):
        return False
    for field, value in figures.items():
        setattr(account, field, value)
    account.save(update_fields=list(figures))
    return True


def move_status(account) -> str:
    from loans.models import AccountStatus, LoanAccount

    if account.status == AccountStatus.ACTIVE and account.days_past_due > 0:
        target = AccountStatus.OVERDUE
    elif account.status == AccountStatus.OVERDUE and account.days_past_due == 0:
        target = AccountStatus.ACTIVE
    else:
        return ""
    LoanAccount.objects.filter(pk=account.pk).update(status=target)
    return target


def orm_sweep(day) -> dict:
    from django.db import transaction

    from loans.models import AccountStatus, LoanAccount
    from loans.sweep.sql import KEPT_ON_BOOK, OPEN

    counts = {"accounts": 0, "changed": 0, "fell_overdue": 0, "cured": 0}
    with transaction.atomic():
        for account in LoanAccount.objects.filter(status__in=KEPT_ON_BOOK).iterator(2000):
            installments = list(
                account.installments.filter(paid_off_on__isnull=True, due_date__lt=day)
            )
            if account.status in OPEN:
                accrue(account, installments, day)
            counts["changed"] += refresh_position(account, installments, day)
            if account.status in OPEN:
                moved = move_status(account)
                counts["fell_overdue"] += moved == AccountStatus.OVERDUE
                counts["cured"] += moved == AccountStatus.ACTIVE
            counts["accounts"] += 1
    return counts


def main() -> None:
    setup_django()
    day = business_date()
    start = time.perf_counter()
    counts = orm_sweep(day)
    seconds = time.perf_counter() - start
    emit(f"orm_sweep_seconds_{label()}", seconds, "s")
    note(
        f"{label()}: ORM loop over {counts['accounts']} accounts: {counts['changed']} changed, "
        f"{counts['fell_overdue']} fell overdue, {counts['cured']} cured"
    )


if __name__ == "__main__":
    main()
