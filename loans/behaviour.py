"""Repayment behaviour in our own book: how often a customer paid late, and how late at worst.

The figures come from the installments of every loan account, set-based in one query:

- an installment was *late* when it was paid off after its due date, or when it is still
  unpaid on ``on`` and its due date is before ``on``;
- its *days past due* are (paid off on, or ``on`` when still unpaid on ``on``) minus its due
  date, when positive.

``on`` is an as-of date (normally today): a payment made after it does not count yet.

``refresh_behaviour`` writes the customer's figures onto ``applications.Customer`` (which the
scorecard reads and which the applications app may not compute itself, DESIGN.md).
``account_behaviour`` gives the same figures per account for pages and reports, and
``ever_days_past_due`` the filter "some installment of the account was at least N days late".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from applications.models import Customer

from .models import Installment, LoanAccount, SweepRun, SweepStatus


@dataclass(frozen=True)
class Behaviour:
    times_late: int = 0
    worst_days_past_due: int = 0


def _paid_by(on: date) -> Q:
    return Q(paid_off_on__isnull=False, paid_off_on__lte=on)


def days_late(on: date):
    """An installment's lateness as a duration: (paid off on, or ``on`` when it was still
    unpaid on ``on``) − due date."""
    paid_or_on = Case(
        When(_paid_by(on), then=F("paid_off_on")),
        default=Value(on),
        output_field=DateField(),
    )
    return ExpressionWrapper(paid_or_on - F("due_date"), output_field=DurationField())


def late(on: date) -> Q:
    """Installments paid off after their due date, or unpaid on ``on`` and due before it."""
    paid_late = _paid_by(on) & Q(paid_off_on__gt=F("due_date"))
    return paid_late | (~_paid_by(on) & Q(due_date__lt=on))


def _summary(on: date) -> dict:
    return {
        "times_late": Count("pk", filter=late(on)),
        "worst": Max(days_late(on)),
    }


def _behaviour(times_late, worst) -> Behaviour:
    days = worst.days if worst is not None else 0
    return Behaviour(times_late=times_late or 0, worst_days_past_due=max(days, 0))


def customer_behaviour(customer, on: date | None = None) -> Behaviour:
    """The customer's figures over every installment of every account, as of ``on``."""
    on = on or timezone.localdate()
    installments = Installment.objects.filter(account__customer=customer)
    totals = installments.aggregate(**_summary(on))
    return _behaviour(totals["times_late"], totals["worst"])


def account_behaviour(accounts, on: date | None = None) -> dict[int, Behaviour]:
    """The figures of each account (by primary key), in one query; accounts without
    installments are absent."""
    on = on or timezone.localdate()
    rows = (
        Installment.objects.filter(account__in=accounts)
        .order_by()
        .values("account_id")
        .annotate(**_summary(on))
    )
    return {row["account_id"]: _behaviour(row["times_late"], row["worst"]) for row in rows}


def refresh_behaviour(customer, on: date | None = None) -> Behaviour:
    """Recompute the customer's repayment behaviour and store it on the customer.

    Only the three behaviour columns are written (a queryset update), so a concurrent edit of
    the customer's other data is never overwritten. The instance passed in is updated too.
    """
    behaviour = customer_behaviour(customer, on)
    now = timezone.now()
    Customer.objects.filter(pk=customer.pk).update(
        times_late=behaviour.times_late,
        worst_days_past_due=behaviour.worst_days_past_due,
        behaviour_updated_at=now,
    )
    customer.times_late = behaviour.times_late
    customer.worst_days_past_due = behaviour.worst_days_past_due
    customer.behaviour_updated_at = now
    return behaviour


def ever_days_past_due(days: int, on: date | None = None, *, account=None) -> Exists:
    """An ``Exists`` for LoanAccount querysets: some installment of the account was, or still
    is on ``on``, at least ``days`` days past due. ``account`` overrides the outer reference
    (e.g. ``OuterRef("account")`` from a related model)."""
    on = on or timezone.localdate()
    installments = (
        Installment.objects.filter(account=account if account is not None else OuterRef("pk"))
        .annotate(lag=days_late(on))
        .filter(lag__gte=timedelta(days=days))
    )
    return Exists(installments)


def refresh_overdue_customers(on: date) -> int:
    """The nightly sweep's step. Overnight, without a repayment (which refreshes its customer
    when posted), a customer's figures change in two ways only: an installment that fell due
    the day before unpaid makes them late once more, and each day an account stays overdue its
    days past due grow. The first kind are recounted over every installment; the second come
    from the accounts alone (one UPDATE each). After a gap (the book's first sweep) every
    customer with an installment overdue on ``on`` is recounted."""
    now = timezone.now()
    newly_late = Installment.objects.filter(paid_off_on__isnull=True, due_date__lt=on)
    previous = on - timedelta(days=1)
    if SweepRun.objects.filter(business_date=previous, status=SweepStatus.DONE).exists():
        newly_late = newly_late.filter(due_date__gte=previous)
    late_installments = (
        Installment.objects.filter(account__customer=OuterRef("pk"))
        .filter(late(on))
        .order_by()
        .values("account__customer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    worst_now = Coalesce(
        Subquery(
            LoanAccount.objects.filter(customer=OuterRef("pk"))
            .order_by()
            .values("customer")
            .annotate(worst=Max("days_past_due"))
            .values("worst")
        ),
        0,
    )
    recounted = newly_late.values("account__customer_id")
    recounted_count = Customer.objects.filter(pk__in=recounted).update(
        times_late=Coalesce(Subquery(late_installments), 0),
        worst_days_past_due=Greatest(F("worst_days_past_due"), worst_now),
        behaviour_updated_at=now,
    )
    # Subqueries in FROM: SQLite reports no row count for a statement that does not begin
    # with UPDATE. Only customers with an overdue loan; their worst over all their loans.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE applications_customer AS c
            SET worst_days_past_due = w.worst, behaviour_updated_at = %s
            FROM (
                SELECT customer_id, MAX(days_past_due) AS worst FROM loans_loanaccount
                WHERE customer_id IN (
                    SELECT customer_id FROM loans_loanaccount WHERE status = 'overdue'
                )
                GROUP BY customer_id
            ) AS w
            WHERE c.id = w.customer_id AND c.worst_days_past_due < w.worst
            """,
            [connection.ops.adapt_datetimefield_value(now)],
        )
        worse = cursor.rowcount
    return recounted_count + worse
