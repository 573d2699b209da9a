"""The daily portfolio snapshot the dashboard and the reports read instead of every loan."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, Sum

from ..models import ZERO, AccountStatus, Installment, LoanAccount, PortfolioSnapshot, Repayment

OPEN = (AccountStatus.ACTIVE, AccountStatus.OVERDUE)
FIGURES = (
    "accounts",
    "principal_outstanding",
    "overdue_principal",
    "interest_due",
    "interest_received",
    "written_off_principal",
)


def write_snapshot(*, business_date: date) -> int:
    """Replace the snapshot of ``business_date``: one row per (product, class, bucket)."""
    rows: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(FIGURES, ZERO))
    _add_book(rows)
    _add_interest_due(rows, business_date)
    _add_interest_received(rows, business_date)
    _add_written_off(rows, business_date)
    PortfolioSnapshot.objects.filter(business_date=business_date).delete()
    PortfolioSnapshot.objects.bulk_create(
        PortfolioSnapshot(
            business_date=business_date,
            product_id=product,
            classification=classification,
            bucket=bucket,
            **{**figures, "accounts": int(figures["accounts"])},
        )
        for (product, classification, bucket), figures in rows.items()
    )
    return len(rows)


def _add_book(rows) -> None:
    book = (
        LoanAccount.objects.filter(status__in=OPEN)
        .values("product_id", "classification", "bucket")
        .annotate(
            n=Count("pk"),
            principal=Sum("principal_outstanding"),
            overdue=Sum("overdue_principal"),
        )
        .order_by()
    )
    for group in book:
        figures = rows[(group["product_id"], group["classification"], group["bucket"])]
        figures["accounts"] = group["n"]
        figures["principal_outstanding"] = group["principal"] or ZERO
        figures["overdue_principal"] = group["overdue"] or ZERO


def _add_interest_due(rows, business_date: date) -> None:
    due = (
        Installment.objects.filter(due_date=business_date)
        .exclude(account__status=AccountStatus.WRITTEN_OFF)
        .values("account__product_id", "account__classification", "account__bucket")
        .annotate(interest=Sum("interest_due"))
        .order_by()
    )
    for group in due:
        key = (group["account__product_id"], group["account__classification"])
        rows[(*key, group["account__bucket"])]["interest_due"] = group["interest"] or ZERO


def _add_interest_received(rows, business_date: date) -> None:
    received = (
        Repayment.objects.filter(paid_on=business_date)
        .values("account__product_id", "account__classification", "account__bucket")
        .annotate(interest=Sum("interest_part"))
        .order_by()
    )
    for group in received:
        key = (group["account__product_id"], group["account__classification"])
        rows[(*key, group["account__bucket"])]["interest_received"] = group["interest"] or ZERO


def _add_written_off(rows, business_date: date) -> None:
    written_off = (
        LoanAccount.objects.filter(written_off_on=business_date)
        .values("product_id", "classification", "bucket")
        .annotate(principal=Sum("written_off_principal"))
        .order_by()
    )
    for group in written_off:
        key = (group["product_id"], group["classification"], group["bucket"])
        rows[key]["written_off_principal"] = group["principal"] or ZERO
