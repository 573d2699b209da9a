"""Figures the classification and collections reports need beyond ``reports/figures.py``:
indexed aggregates (one grouped query each), never a loop over loans. Kept apart from
``figures.py`` only because another change was editing it; they belong with it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum

from collection.models import (
    CollectionAction,
    CollectionCase,
    InsuranceClaim,
    LegalAction,
    PromiseToPay,
    Recovery,
    WriteOffRequest,
    WriteOffStatus,
)
from loans.models import ClassificationChange, DecisionStatus, PortfolioSnapshot

ZERO = Decimal("0.00")


def distribution_by_product(on: date | None) -> list[dict]:
    """Accounts and principal per product and class on a snapshot date."""
    if on is None:
        return []
    rows = (
        PortfolioSnapshot.objects.filter(business_date=on)
        .values("product__code", "product__name", "classification")
        .annotate(accounts=Sum("accounts"), principal=Sum("principal_outstanding"))
        .order_by("product__code", "classification")
    )
    return [
        {
            "product": row["product__name"],
            "code": row["product__code"],
            "classification": row["classification"],
            "accounts": row["accounts"] or 0,
            "principal": row["principal"] or ZERO,
        }
        for row in rows
    ]


def class_changes(start: date, end: date) -> list[dict]:
    """Changes of class that took effect in the period (floors and approved changes by hand)."""
    rows = (
        ClassificationChange.objects.filter(
            effective_on__range=(start, end), status=DecisionStatus.APPROVED
        )
        .values("origin", "from_class", "to_class")
        .annotate(n=Count("pk"))
        .order_by("origin", "from_class", "to_class")
    )
    return list(rows)


def open_cases_at(end: date) -> list[dict]:
    """Collection cases open at the end of the period, by bucket and track."""
    rows = (
        CollectionCase.objects.filter(opened_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        .values("bucket", "track")
        .annotate(n=Count("pk"))
        .order_by("bucket", "track")
    )
    return list(rows)


def actions_in(start: date, end: date) -> list[dict]:
    rows = (
        CollectionAction.objects.filter(done_at__date__range=(start, end))
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by("kind")
    )
    return list(rows)


def promises_in(start: date, end: date) -> list[dict]:
    """Promises made in the period, by what became of them."""
    rows = (
        PromiseToPay.objects.filter(made_on__range=(start, end))
        .values("status")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by("status")
    )
    return list(rows)


def claims_in(start: date, end: date) -> list[dict]:
    rows = (
        InsuranceClaim.objects.filter(claimed_on__range=(start, end))
        .values("status")
        .annotate(n=Count("pk"), amount=Sum("amount"), paid=Sum("amount_paid"))
        .order_by("status")
    )
    return list(rows)


def lawsuits_in(start: date, end: date) -> list[dict]:
    rows = (
        LegalAction.objects.filter(filed_on__range=(start, end))
        .values("stage")
        .annotate(n=Count("pk"), amount=Sum("claim_amount"))
        .order_by("stage")
    )
    return list(rows)


def write_offs_in(start: date, end: date) -> dict:
    return WriteOffRequest.objects.filter(
        status=WriteOffStatus.APPROVED, decided_at__date__range=(start, end)
    ).aggregate(n=Count("pk"), principal=Sum("principal"))


def recoveries_in(start: date, end: date) -> list[dict]:
    rows = (
        Recovery.objects.filter(received_on__range=(start, end))
        .values("source")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by("source")
    )
    return list(rows)
