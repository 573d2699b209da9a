"""Reads for collateral: loan-to-value, the registrar's queue and the registration ledger."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.catalog import SECURED_TYPES

from .models import MortgageRegistration


def appraised_total(application) -> Decimal:
    total = application.collaterals.aggregate(total=Sum("appraised_value"))["total"]
    return total or Decimal("0")


def loan_to_value(application, amount: Decimal) -> Decimal | None:
    """Amount ÷ total appraised value, in percent; None when nothing is appraised."""
    total = appraised_total(application)
    if not total:
        return None
    return (amount * 100 / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ltv_problems(application, amount: Decimal) -> list[str]:
    """The loan-to-value rule of the product, for secured loans."""
    if application.security_type not in SECURED_TYPES:
        return []
    ltv = loan_to_value(application, amount)
    if ltv is None:
        return [_("A secured loan needs its collateral recorded with an appraised value.")]
    limit = application.product.max_ltv_percent
    if limit is not None and ltv > limit:
        return [
            _("Loan-to-value is %(ltv)s%%; this product allows at most %(limit)s%%.")
            % {"ltv": ltv, "limit": limit}
        ]
    return []


def collateral_submission_check(application) -> list[str]:
    if application.security_type in SECURED_TYPES and not application.collaterals.exists():
        return [_("A secured loan needs its collateral recorded before submission.")]
    return []


def registrations(*, status="", office="", overdue=False, search=""):
    rows = MortgageRegistration.objects.select_related(
        "application__customer", "collateral", "registrar", "received_by"
    )
    if status:
        rows = rows.filter(status=status)
    if office:
        rows = rows.filter(registry_office__icontains=office)
    if overdue:
        rows = rows.filter(status__in=["pending", "submitted"], due_by__lt=timezone.localdate())
    if search := search.strip():
        rows = rows.filter(
            Q(application__number__icontains=search)
            | Q(application__customer__name__icontains=search)
            | Q(certificate_number__icontains=search)
            | Q(collateral__certificate_number__icontains=search)
        )
    return rows.order_by("due_by", "pk")


def overdue_registrations(today=None):
    today = today or timezone.localdate()
    return MortgageRegistration.objects.filter(
        status__in=["pending", "submitted"], due_by__lt=today
    ).select_related("application", "collateral")
