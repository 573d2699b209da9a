"""Posting repayments (RULES.md §4): allocation to penalty, interest and principal, settlement.

``post_repayment`` is the one write. ``allocate`` is the pure allocation rule it applies, kept
separate so that it can be tested to the fen and reused by the overdue engine later.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loancenter import audit, workflow
from loancenter.errors import DomainError, PermissionRefused
from loancenter.money import parse_amount
from loancenter.roles import COLLECTIONS_OFFICER, DISBURSEMENT_SUPERVISOR, LOAN_OFFICER

from ..behaviour import refresh_behaviour
from ..models import (
    ZERO,
    AccountStatus,
    Channel,
    Installment,
    LoanAccount,
    Repayment,
    RepaymentAllocation,
)
from ..selectors_accounts import OWING
from ..sweep import refresh_account, wind_back

# Allocation orders, as LoanProduct.allocation_order names them.
BY_COMPONENTS = "components"  # all penalty, then all interest, then all principal; oldest first
BY_INSTALLMENTS = "installments"  # oldest installment first: its penalty, interest, principal
COMPONENTS = ("penalty", "interest", "principal")  # the order money is applied in (fixed)
POSTING_ROLES = (COLLECTIONS_OFFICER, DISBURSEMENT_SUPERVISOR, LOAN_OFFICER)
OPEN_STATES = (AccountStatus.ACTIVE, AccountStatus.OVERDUE)


@dataclass
class Allocation:
    """What one repayment pays on one installment."""

    installment: Installment
    penalty: Decimal = ZERO
    interest: Decimal = ZERO
    principal: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.penalty + self.interest + self.principal


def owed(installment: Installment, component: str) -> Decimal:
    """What is still owed on one component ("penalty", "interest", "principal")."""
    return getattr(installment, f"{component}_due") - getattr(installment, f"{component}_paid")


def allocate(amount: Decimal, installments: Iterable[Installment], order: str) -> list[Allocation]:
    """Split ``amount`` over ``installments`` (the ones due, oldest first) by ``order``.

    Raises ValueError when the amount is more than they owe together: what is left over has
    nowhere to go (early repayment is a separate request).
    """
    installments = sorted(installments, key=lambda item: (item.due_date, item.period))
    if order == BY_INSTALLMENTS:
        steps = [(item, part) for item in installments for part in COMPONENTS]
    elif order == BY_COMPONENTS:
        steps = [(item, part) for part in COMPONENTS for item in installments]
    else:
        raise ValueError(f"unknown allocation order {order!r}")
    splits: dict[int, Allocation] = {}
    left = amount
    for item, part in steps:
        take = min(left, owed(item, part))
        if take > 0:
            split = splits.setdefault(id(item), Allocation(item))
            setattr(split, part, getattr(split, part) + take)
            left -= take
    if left > 0:
        raise ValueError(f"{left} is left after everything due is paid")
    return [splits[id(item)] for item in installments if id(item) in splits]


def posting_role(user, account: LoanAccount) -> str:
    """The role ``user`` posts repayments on ``account`` in, or a refusal."""
    role = workflow.require_role(user, *POSTING_ROLES)
    if role == LOAN_OFFICER and account.officer_id != user.pk:
        raise PermissionRefused(_("A loan officer may post repayments only on their own loans."))
    return role


def may_post_repayment(user, account: LoanAccount) -> bool:
    """Whether the page should offer ``user`` the repayment form for ``account``."""
    if account.status not in OPEN_STATES:
        return False
    try:
        posting_role(user, account)
    except PermissionRefused:
        return False
    return True


def post_repayment(*, user, account, amount, paid_on, channel, reference) -> Repayment:
    """Record money received on ``account`` and apply it to what is due on ``paid_on``.

    The same (account, reference) posted again returns the first repayment and changes nothing;
    with a different amount or date it is refused.
    """
    amount = _checked_amount(amount)
    reference = _checked_reference(reference)
    if channel not in Channel.values:
        raise DomainError(_("Choose how the money was received."))
    if isinstance(paid_on, datetime) or not isinstance(paid_on, date):
        raise TypeError(f"paid_on must be a date, not {type(paid_on).__name__}")
    with transaction.atomic():
        role = posting_role(user, account)
        account = workflow.locked(account)
        existing = account.repayments.filter(reference=reference).first()
        if existing is not None:
            return _same_posting(existing, amount=amount, paid_on=paid_on)
        _check_account_and_date(account, paid_on)
        _check_date_order(account, paid_on)
        wind_back(account, to=paid_on)
        due = list(
            account.installments.filter(OWING, due_date__lte=paid_on).order_by("due_date", "period")
        )
        total_due = sum((item.amount_owed for item in due), ZERO)
        if amount > total_due:
            raise DomainError(
                _(
                    "%(amount)s is more than what is due now (%(due)s); "
                    "early repayment is a separate request."
                )
                % {"amount": f"{amount:,.2f}", "due": f"{total_due:,.2f}"},
                code="exceeds_due",
            )
        splits = allocate(amount, due, account.product.allocation_order)
        repayment = _record(
            user=user,
            account=account,
            splits=splits,
            amount=amount,
            paid_on=paid_on,
            channel=channel,
            reference=reference,
        )
        _apply_to_account(account, repayment, user=user, role=role)
        refresh_account(account, through=max(timezone.localdate(), paid_on), user=user, role=role)
        refresh_behaviour(account.customer)
    return repayment


def _checked_amount(amount) -> Decimal:
    if isinstance(amount, float | bool):
        raise TypeError("money must not be a float; pass a Decimal, an int or a string")
    try:
        return parse_amount(amount)
    except InvalidOperation:  # too many digits to quantize to the fen, e.g. "1e400"
        raise DomainError(_("“%(text)s” is not an amount of money.") % {"text": amount}) from None


def _checked_reference(reference) -> str:
    reference = str(reference or "").strip()
    if not reference:
        raise DomainError(_("Enter the payment reference (the voucher or transfer number)."))
    if len(reference) > Repayment._meta.get_field("reference").max_length:
        raise DomainError(_("The payment reference is too long."))
    return reference


def _same_posting(existing: Repayment, *, amount: Decimal, paid_on: date) -> Repayment:
    """The earlier repayment with this reference, if this is the same posting again."""
    if existing.amount != amount or existing.paid_on != paid_on:
        raise DomainError(
            _(
                "Reference %(reference)s was already posted: %(amount)s on %(date)s. "
                "Check the reference."
            )
            % {
                "reference": existing.reference,
                "amount": f"{existing.amount:,.2f}",
                "date": f"{existing.paid_on:%Y-%m-%d}",
            },
            code="reference_used",
        )
    existing.already_posted = True  # the view says so instead of "recorded"
    return existing


def _check_account_and_date(account: LoanAccount, paid_on: date) -> None:
    if account.status == AccountStatus.SETTLED:
        raise DomainError(
            _("Loan %(number)s is settled; no repayment can be posted.")
            % {"number": account.number},
            code="settled",
        )
    if account.status == AccountStatus.WRITTEN_OFF:
        raise DomainError(
            _(
                "Loan %(number)s is written off; recoveries after write-off are recorded "
                "by collections, not here."
            )
            % {"number": account.number},
            code="written_off",
        )
    if paid_on > timezone.localdate():
        raise DomainError(_("The payment date cannot be in the future."), code="future_date")
    if paid_on < account.value_date:
        raise DomainError(
            _("The payment date cannot be before the value date (%(date)s).")
            % {"date": f"{account.value_date:%Y-%m-%d}"},
            code="before_value_date",
        )


def _check_date_order(account: LoanAccount, paid_on: date) -> None:
    """Repayments are posted in date order, so that penalties can be wound back exactly."""
    later = account.repayments.filter(paid_on__gt=paid_on).order_by("-paid_on").first()
    if later is not None:
        raise DomainError(
            _(
                "A repayment dated %(later)s (%(reference)s) is already posted on this loan; "
                "a repayment dated %(date)s cannot be posted after it."
            )
            % {
                "later": f"{later.paid_on:%Y-%m-%d}",
                "reference": later.reference,
                "date": f"{paid_on:%Y-%m-%d}",
            },
            code="out_of_order",
        )


def _record(*, user, account, splits, amount, paid_on, channel, reference) -> Repayment:
    """The repayment, its allocation rows, and the installments' paid amounts."""
    repayment = Repayment.objects.create(
        account=account,
        amount=amount,
        paid_on=paid_on,
        channel=channel,
        reference=reference,
        penalty_part=sum((split.penalty for split in splits), ZERO),
        interest_part=sum((split.interest for split in splits), ZERO),
        principal_part=sum((split.principal for split in splits), ZERO),
        posted_by=user,
    )
    RepaymentAllocation.objects.bulk_create(
        RepaymentAllocation(
            repayment=repayment,
            installment=split.installment,
            penalty=split.penalty,
            interest=split.interest,
            principal=split.principal,
        )
        for split in splits
    )
    for split in splits:
        item = split.installment
        item.penalty_paid += split.penalty
        item.interest_paid += split.interest
        item.principal_paid += split.principal
        if item.amount_owed == 0:
            item.paid_off_on = paid_on
    Installment.objects.bulk_update(
        [split.installment for split in splits],
        ["penalty_paid", "interest_paid", "principal_paid", "paid_off_on"],
    )
    return repayment


def _apply_to_account(account: LoanAccount, repayment: Repayment, *, user, role: str) -> None:
    """Lower the principal outstanding, write the audit row, settle when nothing is owed."""
    account.principal_outstanding -= repayment.principal_part
    audit.record(
        actor=user,
        action="post_repayment",
        obj=account,
        role=role,
        opinion=_(
            "%(amount)s / %(reference)s / penalty %(penalty)s, interest %(interest)s, "
            "principal %(principal)s"
        )
        % {
            "amount": f"{repayment.amount:,.2f}",
            "reference": repayment.reference,
            "penalty": f"{repayment.penalty_part:,.2f}",
            "interest": f"{repayment.interest_part:,.2f}",
            "principal": f"{repayment.principal_part:,.2f}",
        },
    )
    if account.principal_outstanding == 0 and not account.installments.filter(OWING).exists():
        workflow.transition(
            account,
            "settle",
            repayment.paid_on,
            user=user,
            action="settle",
            action_label=_("settled"),
            role=role,
            opinion=_("Settled by repayment %(reference)s.") % {"reference": repayment.reference},
        )
    else:
        account.save(update_fields=["principal_outstanding"])
