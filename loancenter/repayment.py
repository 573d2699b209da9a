"""Repayment schedules (RULES.md §4): pure functions, Decimal money rounded half-up to the fen."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation, localcontext

from django.utils.translation import gettext_lazy as _

from .money import to_fen

EQUAL_INSTALLMENT = "equal_installment"  # 等额本息
EQUAL_PRINCIPAL = "equal_principal"  # 等额本金
INTEREST_ONLY = "interest_only"  # 按月付息到期还本
BULLET = "bullet"  # 到期一次还本付息

METHOD_CHOICES = [
    (EQUAL_INSTALLMENT, _("Equal installment")),
    (EQUAL_PRINCIPAL, _("Equal principal")),
    (INTEREST_ONLY, _("Monthly interest, principal at maturity")),
    (BULLET, _("Principal and interest at maturity")),
]

MAX_MONTHS = 600
# The monthly rate is never rounded (RULES.md §4); 40 digits keeps (1+r)^600 exact to the fen.
PRECISION = 40
ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Installment:
    period: int
    due_date: date
    payment: Decimal
    principal: Decimal
    interest: Decimal
    balance: Decimal  # principal outstanding after this installment

    def as_dict(self) -> dict:
        return {
            "period": self.period,
            "due_date": self.due_date.isoformat(),
            "payment": str(self.payment),
            "principal": str(self.principal),
            "interest": str(self.interest),
            "balance": str(self.balance),
        }


@dataclass(frozen=True, slots=True)
class Schedule:
    method: str
    principal: Decimal
    annual_rate: Decimal
    months: int
    value_date: date
    installments: tuple[Installment, ...]

    @property
    def payment(self) -> Decimal:
        return self.installments[0].payment

    @property
    def max_payment(self) -> Decimal:
        return max(item.payment for item in self.installments)

    @property
    def total_interest(self) -> Decimal:
        return sum((item.interest for item in self.installments), ZERO)

    @property
    def total_payment(self) -> Decimal:
        return sum((item.payment for item in self.installments), ZERO)

    @property
    def maturity_date(self) -> date:
        return self.installments[-1].due_date

    def as_dict(self) -> dict:
        return {
            "method": self.method,
            "principal": str(self.principal),
            "annual_rate": str(self.annual_rate),
            "months": self.months,
            "payment": str(self.payment),
            "total_interest": str(self.total_interest),
            "installments": [item.as_dict() for item in self.installments],
        }


def add_months(start: date, months: int) -> date:
    """The same day of month ``months`` later, clamped to the month end (Jan 31 + 1 → Feb 28)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = start.day
    if day > 28:  # only the 29th to the 31st can overflow a month; monthrange is slow-ish
        day = min(day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


def build_schedule(*, principal, annual_rate, months, method, value_date) -> Schedule:
    """The installments of a loan of ``principal`` at ``annual_rate`` percent a year."""
    amount = _to_decimal("principal", principal)
    rate = _to_decimal("annual_rate", annual_rate)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        _validate(amount, rate, months, method, value_date)
        amount = to_fen(amount)
        rows = _BUILDERS[method](amount, rate / 100 / 12, months)
        # A bullet loan has its single installment at maturity; the others fall due monthly.
        offsets = (months,) if method == BULLET else range(1, months + 1)
        installments = tuple(
            Installment(
                period, add_months(value_date, offset), part + interest, part, interest, left
            )
            for period, (offset, (part, interest, left)) in enumerate(
                zip(offsets, rows, strict=True), start=1
            )
        )
    return Schedule(method, amount, rate, months, value_date, installments)


def _to_decimal(name: str, value) -> Decimal:
    if isinstance(value, float | bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"{name} must be a Decimal, an int or a string, not {type(value).__name__}")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{name} is not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


def _validate(amount: Decimal, rate: Decimal, months, method, value_date) -> None:
    if amount <= 0:
        raise ValueError(f"principal must be greater than zero, got {amount}")
    try:
        exact = amount == to_fen(amount)
    except InvalidOperation:  # more digits than PRECISION: no real loan comes near
        raise ValueError(f"principal is too large to compute to the fen, got {amount}") from None
    if not exact:
        raise ValueError(f"principal has at most two decimal places (fen), got {amount}")
    if not 0 <= rate < 100:
        raise ValueError(f"annual_rate is a percentage from 0 (included) to 100, got {rate}")
    if isinstance(months, bool) or not isinstance(months, int):
        raise TypeError(f"months must be an int, not {type(months).__name__}")
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"months must be from 1 to {MAX_MONTHS}, got {months}")
    if method not in _BUILDERS:
        raise ValueError(f"unknown repayment method {method!r}; use one of {sorted(_BUILDERS)}")
    if isinstance(value_date, datetime) or not isinstance(value_date, date):
        raise TypeError(f"value_date must be a date, not {type(value_date).__name__}")


# Each builder yields (principal part, interest, balance after) per period. A principal part is
# capped at the balance so that tiny loans over many months never overpay before the last period.


def _equal_installment(amount: Decimal, r: Decimal, n: int):
    if r:
        growth = (1 + r) ** n
        payment = to_fen(amount * r * growth / (growth - 1))
    else:
        payment = to_fen(amount / n)
    balance = amount
    for period in range(1, n + 1):
        interest = to_fen(balance * r)
        part = payment - interest
        if period == n or part > balance:
            part = balance
        balance -= part
        yield part, interest, balance


def _equal_principal(amount: Decimal, r: Decimal, n: int):
    step = to_fen(amount / n)
    balance = amount
    for period in range(1, n + 1):
        interest = to_fen(balance * r)
        part = balance if period == n or step > balance else step
        balance -= part
        yield part, interest, balance


def _interest_only(amount: Decimal, r: Decimal, n: int):
    interest = to_fen(amount * r)
    for _period in range(1, n):
        yield ZERO, interest, amount
    yield amount, interest, ZERO


def _bullet(amount: Decimal, r: Decimal, n: int):
    yield amount, to_fen(amount * r * n), ZERO


_BUILDERS = {
    EQUAL_INSTALLMENT: _equal_installment,
    EQUAL_PRINCIPAL: _equal_principal,
    INTEREST_ONLY: _interest_only,
    BULLET: _bullet,
}
