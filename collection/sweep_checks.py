"""The nightly sweep's post-loan check step: every open loan of a scheduled product has a check.

One SELECT of the loans without any check, one bulk INSERT of their first check (due value date
+ the schedule's days). Later checks are created when the one before is recorded. Running it
again on the same date finds nothing left to do.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Exists, OuterRef

from loans.models import AccountStatus, LoanAccount

from .models import PostLoanCheck

OPEN_STATES = (AccountStatus.ACTIVE, AccountStatus.OVERDUE)
BATCH = 1000


def accounts_without_checks(business_date: date):
    """(account id, value date, days allowed for the first check) of loans that need check #1."""
    return (
        LoanAccount.objects.filter(
            status__in=OPEN_STATES,
            value_date__lte=business_date,
            product__check_schedule__is_active=True,
        )
        .filter(~Exists(PostLoanCheck.objects.filter(account=OuterRef("pk"))))
        .values_list("pk", "value_date", "product__check_schedule__first_within_days")
        .order_by("pk")
    )


def ensure_checks(business_date: date) -> dict:
    rows = [
        PostLoanCheck(account_id=pk, sequence=1, due_on=value_date + timedelta(days=days))
        for pk, value_date, days in accounts_without_checks(business_date).iterator(
            chunk_size=BATCH
        )
    ]
    # ignore_conflicts: a check #1 written meanwhile (a second sweep) is kept, not an error.
    PostLoanCheck.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return {"post_loan_checks_created": len(rows)}
