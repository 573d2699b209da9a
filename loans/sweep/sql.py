"""The set-based statements of the sweep, for PostgreSQL and SQLite.

Each statement covers every account at once, or one account when ``account_id`` is given (a
repayment brings its account up to date at once). Only the few fragments the two databases spell
differently (date arithmetic) are chosen per vendor; the rest is plain SQL.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

from django.db import connection

from .. import overdue

OPEN = ("active", "overdue")
KEPT_ON_BOOK = (*OPEN, "written_off")  # positions are kept after write-off, for recovery
# The penalty annual rate is contract × (1 + uplift); a day's penalty is amount × rate / 100 /
# 360. As one factor on (amount × days): annual_rate × (100 + uplift) / 3,600,000.
# Multiplied out before the one division, so that PostgreSQL's numeric stays exact.
PENALTY_RATE = "a.annual_rate * (100 + a.penalty_uplift_percent)"
PENALTY_DIVISOR = 3600000


def _days_between(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _date_param() -> str:
    return "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"


def _greatest(a: str, b: str) -> str:
    """The later of two dates, ``a`` possibly NULL."""
    if connection.vendor == "postgresql":
        return f"GREATEST({a}, {b})"
    return f"MAX(COALESCE({a}, {b}), {b})"


def _account_filter(account_id: int | None, column: str) -> tuple[str, list]:
    if account_id is None:
        return "", []
    return f" AND {column} = %s", [account_id]


def accrue(*, through: date, account_id: int | None = None) -> int:
    """Add each overdue installment's (principal owed × days) and (interest owed × days) from the
    day after it was last accrued (or after its due date) to ``through``, and reprice
    penalty_due. Installments already accrued through that day are left alone (idempotent)."""
    d = _date_param()
    days = _days_between(d, _greatest("i.accrued_through", "i.due_date"))
    principal_days = f"i.principal_days + (i.principal_due - i.principal_paid) * {days}"
    interest_days = f"i.interest_days + (i.interest_due - i.interest_paid) * {days}"
    extra, extra_params = _account_filter(account_id, "a.id")
    # Only our own fragments are formatted in; every value is a bound parameter.
    sql = f"""
        UPDATE loans_installment AS i SET
            principal_days = {principal_days},
            interest_days = {interest_days},
            penalty_due = ROUND(({principal_days}) * {PENALTY_RATE} / {PENALTY_DIVISOR}, 2)
                        + ROUND(({interest_days}) * {PENALTY_RATE} / {PENALTY_DIVISOR}, 2),
            accrued_through = {d}
        FROM loans_loanaccount AS a
        WHERE a.id = i.account_id AND a.status IN {_placeholders(OPEN)}
          AND i.paid_off_on IS NULL AND i.due_date < {d}
          AND (i.accrued_through IS NULL OR i.accrued_through < {d}){extra}
    """  # noqa: S608
    # The date appears in the four day counts and the new accrued_through, then in the filter.
    params = [through] * 5 + [*OPEN, through, through, *extra_params]
    with _open_installments_by_index(whole_book=account_id is None), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _placeholders(values) -> str:
    return f"({', '.join(['%s'] * len(values))})"


def _bucket_case(dpd: str) -> str:
    whens = " ".join(f"WHEN {dpd} <= {upper} THEN '{name}'" for upper, name in overdue.BUCKETS)
    return f"CASE WHEN {dpd} <= 0 THEN '' {whens} ELSE '{overdue.M3_PLUS}' END"


def refresh_positions(*, business_date: date, account_id: int | None = None) -> int:
    """Days past due, overdue principal and interest, penalties owed and bucket of every open or
    written-off account, written only where a figure changed.

    Only accounts that can change are looked at: those with an open installment due before the
    date, and those whose stored figures still show arrears (to clear them). Penalties accrue
    only after a due date, so the installments due before the date carry all of them."""
    d = _date_param()
    extra, extra_params = _account_filter(account_id, "acc.id")
    item_filter, item_params = _account_filter(account_id, "account_id")
    dpd = f"COALESCE({_days_between(d, 'o.oldest')}, 0)"
    # Subqueries in FROM rather than a WITH clause: SQLite reports no row count for a
    # statement that does not begin with UPDATE. Every value is a bound parameter.
    sql = f"""
        UPDATE loans_loanaccount AS a SET
            days_past_due = x.dpd,
            bucket = {_bucket_case("x.dpd")},
            overdue_principal = x.principal,
            overdue_interest = x.interest,
            penalty_outstanding = x.penalty
        FROM (
            SELECT acc.id AS id, {dpd} AS dpd,
                   COALESCE(o.principal, 0) AS principal,
                   COALESCE(o.interest, 0) AS interest,
                   COALESCE(o.penalty, 0) AS penalty
            FROM loans_loanaccount AS acc
            LEFT JOIN (
                SELECT account_id, MIN(due_date) AS oldest,
                       SUM(principal_due - principal_paid) AS principal,
                       SUM(interest_due - interest_paid) AS interest,
                       SUM(penalty_due - penalty_paid) AS penalty
                FROM loans_installment
                WHERE paid_off_on IS NULL AND due_date < {d}{item_filter}
                GROUP BY account_id
            ) AS o ON o.account_id = acc.id
            WHERE acc.status IN {_placeholders(KEPT_ON_BOOK)}{extra}
              AND (o.account_id IS NOT NULL OR acc.days_past_due <> 0
                   OR acc.overdue_principal <> 0 OR acc.overdue_interest <> 0
                   OR acc.penalty_outstanding <> 0)
        ) AS x
        WHERE a.id = x.id AND (
            a.days_past_due <> x.dpd OR a.overdue_principal <> x.principal
            OR a.overdue_interest <> x.interest OR a.penalty_outstanding <> x.penalty
        )
    """  # noqa: S608
    params = [business_date, business_date, *item_params, *KEPT_ON_BOOK, *extra_params]
    with _open_installments_by_index(whole_book=account_id is None), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@contextmanager
def _open_installments_by_index(*, whole_book: bool):
    """PostgreSQL estimates "unpaid and due before the date" as the product of the two
    conditions (a quarter of a big book) and would read every installment, when these are the
    few overdue ones that the partial index installment_open_due finds directly. Sequential
    scans are discouraged for the one statement (within the sweep's transaction). One
    account's installments are found by its own index without help."""
    if not whole_book or connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan')")
        before = cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_seqscan = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [before])
