"""The straightforward way to write the sweep, as a yardstick: one account at a time, ORM only.

``python -m tests.perf.orm_sweep`` with DATABASE_URL, BENCH_BUSINESS_DATE and BENCH_LABEL set
(run on a copy of the database the real sweep runs on). Prints ``orm_sweep_seconds_<label>``.

It does the work of the real sweep for one business date, the way a per-account loop would:
  - each active or overdue account: its open installments due before the date, loaded through
    the ORM; each not yet accrued through the date gets (principal owed × days) and (interest
    owed × days) since max(accrued_through, due_date), penalty_due repriced with
    ``loans.overdue.penalty_on``, accrued_through set, and is saved;
  - days past due, overdue principal and interest, penalties owed and the bucket (the rules of
    ``loans.overdue``), saved where a figure changed. Written-off accounts get this too, without
    accrual, because ``refresh_positions`` keeps their positions (KEPT_ON_BOOK);
  - active ↔ overdue through the state machine, with its audit row (``workflow.transition``);
  - the classification floor, with its ClassificationChange and audit row;
  - the customer of an overdue loan: repayment behaviour recomputed (``refresh_behaviour``);
  - the collection case: opened for an overdue loan without one (M1 to the loan officer, later
    buckets to the least-loaded collections officer), moved with the bucket, closed when cured;
  - a scheduled product's loan without a post-loan check gets its first one;
  - the snapshot per product × class × bucket and the officers' yearly totals, summed in
    Python from the accounts visited.
Left out: archive retention (it concerns settled loans, which the loop does not visit),
promises and notifications. Everything runs in one transaction, as the real sweep does.
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
    from loancenter import workflow
    from loans.models import AccountStatus

    if account.status == AccountStatus.ACTIVE and account.days_past_due > 0:
        method, target = "mark_overdue", AccountStatus.OVERDUE
    elif account.status == AccountStatus.OVERDUE and account.days_past_due == 0:
        method, target = "cure", AccountStatus.ACTIVE
    else:
        return ""
    workflow.transition(account, method, user=None, action=method, action_label=method)
    return target


def apply_floor(account, day) -> None:
    from loancenter import audit
    from loans import overdue
    from loans.models import ChangeOrigin, ClassificationChange, DecisionStatus

    floor = overdue.classification_floor(account.days_past_due)
    if overdue.ORDER.index(account.classification) >= overdue.ORDER.index(floor):
        return
    ClassificationChange.objects.create(
        account=account,
        from_class=account.classification,
        to_class=floor,
        origin=ChangeOrigin.FLOOR,
        reason=f"floor at {account.days_past_due} days",
        days_past_due=account.days_past_due,
        effective_on=day,
        status=DecisionStatus.APPROVED,
    )
    account.classification = floor
    account.save(update_fields=["classification"])
    audit.record(actor=None, action="classification_floor", obj=account, to_state=floor)


class Collections:
    """Cases the straightforward way: look up the account's open case, then act on it."""

    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.db.models import Count, Q

        from loancenter.roles import COLLECTIONS_OFFICER

        self.loads = dict(
            get_user_model()
            .objects.filter(groups__name=COLLECTIONS_OFFICER, is_active=True)
            .annotate(n=Count("collection_cases", filter=Q(collection_cases__status="open")))
            .values_list("pk", "n")
        )

    def sync(self, account, day) -> None:
        from collateral.models import InsurancePolicy
        from collection.models import CaseStatus, CollectionCase
        from collection.sweep_cases import track_for

        case = account.collection_cases.filter(status=CaseStatus.OPEN).first()
        if account.status != "overdue":
            if case is not None and account.status == "active":
                case.status, case.closed_on, case.close_reason = CaseStatus.CLOSED, day, "cured"
                case.save(update_fields=["status", "closed_on", "close_reason"])
            return
        if case is not None and case.bucket == account.bucket:
            return
        insured = InsurancePolicy.objects.filter(application_id=account.application_id).exists()
        track = track_for(account.bucket, insured)
        if track == "officer" or not self.loads:
            assignee = account.officer_id
        else:
            assignee = min(self.loads, key=lambda pk: (self.loads[pk], pk))
            self.loads[assignee] += 1
        if case is None:
            CollectionCase.objects.create(
                account=account, bucket=account.bucket, track=track, assignee_id=assignee,
                opened_on=day,
            )  # fmt: skip
        else:
            case.bucket, case.track, case.assignee_id = account.bucket, track, assignee
            case.save(update_fields=["bucket", "track", "assignee"])


def ensure_check(account, schedules) -> None:
    from datetime import timedelta

    from collection.models import PostLoanCheck

    days = schedules.get(account.product_id)
    if days is None or account.post_loan_checks.exists():
        return
    PostLoanCheck.objects.create(
        account=account, sequence=1, due_on=account.value_date + timedelta(days=days)
    )


def add_to_totals(account, book, officers, day) -> None:
    if account.status in ("active", "overdue"):
        row = book[(account.product_id, account.classification, account.bucket)]
        row[0] += 1
        row[1] += account.principal_outstanding
        row[2] += account.overdue_principal
    if account.value_date.year == day.year:
        officers[account.officer_id][0] += account.principal
        officers[account.officer_id][1] += 1


def orm_sweep(day) -> dict:
    from collections import defaultdict

    from django.db import transaction

    from collection.models import CheckSchedule
    from loans.behaviour import refresh_behaviour
    from loans.models import AccountStatus, LoanAccount, PortfolioSnapshot
    from loans.sweep.sql import KEPT_ON_BOOK, OPEN

    counts = {"accounts": 0, "changed": 0, "fell_overdue": 0, "cured": 0}
    book = defaultdict(lambda: [0, ZERO, ZERO])
    officers = defaultdict(lambda: [ZERO, 0])
    with transaction.atomic():
        collections = Collections()
        schedules = dict(
            CheckSchedule.objects.filter(is_active=True).values_list(
                "product_id", "first_within_days"
            )
        )
        accounts = LoanAccount.objects.filter(status__in=KEPT_ON_BOOK).select_related("customer")
        for account in accounts.iterator(2000):
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
                apply_floor(account, day)
                if account.status == AccountStatus.OVERDUE:
                    refresh_behaviour(account.customer, day)
                collections.sync(account, day)
                ensure_check(account, schedules)
            add_to_totals(account, book, officers, day)
            counts["accounts"] += 1
        PortfolioSnapshot.objects.filter(business_date=day).delete()
        PortfolioSnapshot.objects.bulk_create(
            PortfolioSnapshot(
                business_date=day, product_id=product, classification=grade, bucket=bucket,
                accounts=n, principal_outstanding=principal, overdue_principal=overdue_principal,
            )
            for (product, grade, bucket), (n, principal, overdue_principal) in book.items()
        )  # fmt: skip
    counts["officers"] = len(officers)
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
