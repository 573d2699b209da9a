"""Part: one bare SQL pass over the open installments, then the overdue sweep, both timed.

``python -m tests.perf.bench_sweep`` with DATABASE_URL, BENCH_BUSINESS_DATE and BENCH_LABEL set.
Prints ``sql_pass_seconds_<label>`` and ``sweep_seconds_<label>``.

The bare pass reads what the sweep reads — every open installment of every active or overdue
account — grouped by account, and counts the groups on the server (an outer count(*)), so that
the figure is the database's work and not the transfer of a million rows to Python. It runs
first, so the sweep finds the same pages in the cache that the pass did.
"""

from __future__ import annotations

import time

from tests.perf.bench_common import business_date, emit, fail, label, note, setup_django

BARE_PASS = """
    SELECT count(*) FROM (
        SELECT a.id,
               MIN(i.due_date) FILTER (WHERE i.due_date < %s) AS oldest,
               SUM(i.principal_due - i.principal_paid) AS principal,
               SUM(i.interest_due - i.interest_paid) AS interest,
               SUM(i.penalty_due - i.penalty_paid) AS penalty
        FROM loans_loanaccount AS a
        JOIN loans_installment AS i ON i.account_id = a.id
        WHERE a.status IN ('active', 'overdue') AND i.paid_off_on IS NULL
        GROUP BY a.id
    ) AS per_account
"""


def bare_pass(day) -> tuple[float, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        start = time.perf_counter()
        cursor.execute(BARE_PASS, [day])
        (groups,) = cursor.fetchone()
        return time.perf_counter() - start, groups


def sweep(day) -> tuple[float, dict]:
    from loans.sweep.runner import run_sweep

    start = time.perf_counter()
    run = run_sweep(business_date=day)
    seconds = time.perf_counter() - start
    if run.already_done:
        fail(f"the sweep of {day} was already done in this database: nothing was measured")
    return seconds, run.figures


def main() -> None:
    setup_django()
    day = business_date()
    name = label()
    seconds, groups = bare_pass(day)
    emit(f"sql_pass_seconds_{name}", seconds, "s")
    note(f"{name}: the bare SQL pass grouped {groups} open accounts' open installments")
    seconds, figures = sweep(day)
    emit(f"sweep_seconds_{name}", seconds, "s")
    note(
        f"{name}: sweep of {day}: {figures.get('installments_accrued')} installments accrued, "
        f"{figures.get('accounts_changed')} accounts changed, "
        f"{figures.get('fell_overdue')} fell overdue, {figures.get('cured')} cured"
    )


if __name__ == "__main__":
    main()
