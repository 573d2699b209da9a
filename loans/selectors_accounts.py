"""Reads for servicing: who may see which loan account (借据), statements and the account list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, Q, QuerySet
from django.http import Http404

from applications.identity import normalize_id_number
from loancenter.roles import (
    AUDITOR,
    COLLECTIONS_OFFICER,
    DIRECTOR,
    DISBURSEMENT_SUPERVISOR,
    REVIEWER,
    has_role,
)

from .models import ZERO, Installment, LoanAccount, Repayment

# An installment with anything left to pay on it.
OWING = (
    Q(principal_paid__lt=F("principal_due"))
    | Q(interest_paid__lt=F("interest_due"))
    | Q(penalty_paid__lt=F("penalty_due"))
)

# Roles that see every loan account; a loan officer sees the accounts of their own loans.
SEES_ALL_ACCOUNTS = (DIRECTOR, AUDITOR, REVIEWER, COLLECTIONS_OFFICER, DISBURSEMENT_SUPERVISOR)


def sees_all_accounts(user) -> bool:
    return user.is_superuser or has_role(user, *SEES_ALL_ACCOUNTS)


def visible_accounts(user) -> QuerySet[LoanAccount]:
    if not getattr(user, "is_authenticated", False):
        return LoanAccount.objects.none()
    if sees_all_accounts(user):
        return LoanAccount.objects.all()
    return LoanAccount.objects.filter(officer=user)


def may_see_account(user, account: LoanAccount) -> bool:
    """The same rule as visible_accounts, for an account already in hand (no query)."""
    return sees_all_accounts(user) or account.officer_id == user.pk


def account_for(user, pk) -> LoanAccount:
    """The account with its customer, product and officer, or 404 for anyone who may not see
    it."""
    account = (
        visible_accounts(user)
        .select_related("customer", "product", "officer", "application")
        .filter(pk=pk)
        .first()
    )
    if account is None:
        raise Http404
    return account


def repayment_for(user, account_pk, pk) -> Repayment:
    """One repayment of a visible account, with its allocations, or 404."""
    account = account_for(user, account_pk)
    repayment = (
        account.repayments.select_related("posted_by")
        .prefetch_related("allocations__installment")
        .filter(pk=pk)
        .first()
    )
    if repayment is None:
        raise Http404
    repayment.account = account  # already loaded with its customer and product
    repayment.split = sorted(repayment.allocations.all(), key=lambda row: row.installment.period)
    for row in repayment.split:
        row.total = row.penalty + row.interest + row.principal
    return repayment


def account_list(
    user, *, search: str = "", status: str = "", classification: str = "", bucket: str = ""
) -> QuerySet[LoanAccount]:
    accounts = visible_accounts(user)
    if search := search.strip():
        accounts = accounts.filter(
            Q(number__icontains=search)
            | Q(customer__name__icontains=search)
            | Q(customer__id_number=normalize_id_number(search))
        )
    if status:
        accounts = accounts.filter(status=status)
    if classification:
        accounts = accounts.filter(classification=classification)
    if bucket:
        accounts = accounts.filter(bucket="" if bucket == "current" else bucket)
    return accounts.select_related("customer", "product", "officer").order_by("-value_date", "-pk")


def next_due_installment(account: LoanAccount) -> Installment | None:
    """The oldest installment with something left to pay."""
    return account.installments.filter(OWING).order_by("due_date", "period").first()


@dataclass(frozen=True)
class ScheduleTotals:
    principal_due: Decimal
    principal_paid: Decimal
    interest_due: Decimal
    interest_paid: Decimal
    penalty_due: Decimal
    penalty_paid: Decimal
    owed: Decimal


@dataclass(frozen=True)
class Statement:
    """An account's schedule with totals, its repayments, and what is due on a date."""

    account: LoanAccount
    installments: list[Installment]
    repayments: list[Repayment]
    totals: ScheduleTotals
    on: date

    @property
    def due_now(self) -> Decimal:
        """Everything owed on installments due on or before ``on``: the most one may post."""
        return sum(
            (item.amount_owed for item in self.installments if item.due_date <= self.on), ZERO
        )

    @property
    def next_due(self) -> Installment | None:
        return next((item for item in self.installments if item.amount_owed > 0), None)


def statement(account: LoanAccount, *, on: date) -> Statement:
    """Two queries whatever the term: the installments and the repayments."""
    installments = list(account.installments.order_by("period"))
    repayments = list(account.repayments.select_related("posted_by").order_by("paid_on", "pk"))

    def total(field):
        return sum((getattr(item, field) for item in installments), ZERO)

    totals = ScheduleTotals(
        principal_due=total("principal_due"),
        principal_paid=total("principal_paid"),
        interest_due=total("interest_due"),
        interest_paid=total("interest_paid"),
        penalty_due=total("penalty_due"),
        penalty_paid=total("penalty_paid"),
        owed=total("amount_owed"),
    )
    return Statement(account, installments, repayments, totals, on)
