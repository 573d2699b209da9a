"""What the generated book looks like: the product mix, and for each loan its terms, its
schedule (shared with every loan of the same terms) and how far it has been repaid.

Schedules come from ``loancenter.repayment.build_schedule`` itself. Loans take amounts on a grid
(10,000 or 50,000 yuan steps), so that a few thousand distinct schedules serve a million loans and
the installments are written set-based in the database, one schedule row joined to many loans.
Value dates fall on the 1st to the 28th, so a due date is the value date plus whole months in
PostgreSQL as in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from loancenter.repayment import (
    EQUAL_INSTALLMENT,
    EQUAL_PRINCIPAL,
    INTEREST_ONLY,
    add_months,
    build_schedule,
)

SETTLED_SHARE = 0.06
DELINQUENT_SHARE = 0.07
# Of the loans with an installment due on the as-of date, those whose automatic debit failed:
# they fall overdue in the next night's sweep.
MISSED_TODAY_SHARE = 0.03
# Missed installments of a delinquent loan, and how likely: 1 → M1, 2 → M2, 3 → M3, 4+ → M3+.
MISSED = ((1, 45), (2, 20), (3, 12), (4, 8), (6, 6), (9, 4), (13, 5))


@dataclass(frozen=True)
class ProductMix:
    code: str
    weight: int
    terms: tuple[tuple[int, int], ...]  # (months, weight)
    amounts: tuple[int, int, int]  # yuan: smallest, largest, step
    spreads_bp: tuple[int, ...]
    methods: tuple[tuple[str, int], ...]
    security: tuple[str, ...]


# Consumer and business loans with short terms carry the book; housing loans are a minority
# with long terms (about 31 installments a loan on average: ~31 million rows at 1M loans).
MIX = (
    ProductMix(
        "CONSUMER", 50, ((6, 15), (12, 40), (24, 30), (36, 15)), (20_000, 300_000, 10_000),
        (50, 100, 150, 200), ((EQUAL_INSTALLMENT, 60), (EQUAL_PRINCIPAL, 30), (INTEREST_ONLY, 10)),
        ("credit", "guarantee", "insurance"),
    ),
    ProductMix(
        "BUSINESS", 29, ((12, 45), (24, 35), (36, 20)), (100_000, 2_000_000, 50_000),
        (100, 200, 300), ((EQUAL_INSTALLMENT, 40), (EQUAL_PRINCIPAL, 30), (INTEREST_ONLY, 30)),
        ("guarantee", "mortgage", "pledge"),
    ),
    ProductMix(
        "AUTO", 16, ((24, 35), (36, 45), (60, 20)), (50_000, 400_000, 10_000),
        (50, 100, 150), ((EQUAL_INSTALLMENT, 70), (EQUAL_PRINCIPAL, 30)),
        ("pledge", "guarantee"),
    ),
    ProductMix(
        "HOUSING", 5, ((60, 10), (120, 25), (180, 20), (240, 25), (360, 20)),
        (300_000, 3_000_000, 100_000), (-30, 0, 30, 60),
        ((EQUAL_INSTALLMENT, 70), (EQUAL_PRINCIPAL, 30)), ("mortgage",),
    ),
)  # fmt: skip


def pick(rng, weighted):
    total = sum(weight for _value, weight in weighted)
    point = rng.random() * total
    for value, weight in weighted:
        point -= weight
        if point < 0:
            return value
    return weighted[-1][0]


TEMPLATE_VALUE_DATE = date(2000, 1, 1)


def _months_after_template_start(due: date) -> int:
    """A due date of a template as whole months after its value date (a bullet loan's one
    installment falls due after all its months, the others monthly)."""
    return (due.year - TEMPLATE_VALUE_DATE.year) * 12 + due.month - TEMPLATE_VALUE_DATE.month


@dataclass
class Template:
    id: int
    rows: list  # (period, month offset, principal, interest, balance after)


@dataclass
class Templates:
    """One schedule per (method, amount, rate, months), built on first use."""

    by_key: dict = field(default_factory=dict)

    def get(self, method: str, amount: int, rate: Decimal, months: int) -> Template:
        key = (method, amount, rate, months)
        template = self.by_key.get(key)
        if template is None:
            schedule = build_schedule(
                principal=amount,
                annual_rate=rate,
                months=months,
                method=method,
                value_date=TEMPLATE_VALUE_DATE,
            )
            rows = [
                (item.period, _months_after_template_start(item.due_date), item.principal,
                 item.interest, item.balance)
                for item in schedule.installments
            ]  # fmt: skip
            template = self.by_key[key] = Template(len(self.by_key) + 1, rows)
        return template


@dataclass
class Loan:
    product: str
    amount: int
    months: int
    spread_bp: int
    rate: Decimal
    method: str
    security: str
    value_date: date
    template: Template
    paid_through: int  # installments 1..paid_through are paid on their due dates
    settled: bool

    @property
    def maturity_date(self) -> date:
        return add_months(self.value_date, self.months)

    @property
    def principal_outstanding(self) -> Decimal:
        if self.paid_through == 0:
            return Decimal(self.amount).quantize(Decimal("0.01"))
        return self.template.rows[self.paid_through - 1][4]


def plan_loan(rng, *, as_of: date, lpr: dict, templates: Templates, products: dict) -> Loan:
    mix = pick(rng, [(mix, mix.weight) for mix in MIX])
    months = pick(rng, mix.terms)
    low, high, step = mix.amounts
    # Smaller loans are more common: the square of a uniform number leans toward the start.
    amount = low + int(rng.random() ** 2 * ((high - low) // step + 1)) * step
    spread = rng.choice(mix.spreads_bp)
    rate = lpr[products[mix.code].rate_basis] + Decimal(spread) / 100
    method = pick(rng, mix.methods)
    settled = months <= 36 and rng.random() < SETTLED_SHARE
    if settled:  # matured between a week and a year ago
        age_days = months * 31 + rng.randint(7, 365)
    else:
        age_days = rng.randint(1, min(months, 60) * 30)
    value_date = as_of - timedelta(days=age_days)
    value_date = value_date.replace(day=min(value_date.day, 28))
    template = templates.get(method, amount, rate, months)
    due = _due_before(value_date, months, as_of)
    # Installments falling due on the as-of date are debited that day, but for a few.
    paid = _due_before(value_date, months, as_of + timedelta(days=1))
    if paid > due and rng.random() < MISSED_TODAY_SHARE:
        paid = due
    if not settled and due and rng.random() < DELINQUENT_SHARE:
        paid = due - min(due, pick(rng, MISSED))
    return Loan(
        mix.code, amount, months, spread, rate, method, rng.choice(mix.security),
        value_date, template, paid, settled,
    )  # fmt: skip


def _due_before(value_date: date, months: int, as_of: date) -> int:
    """How many monthly installments fall due before ``as_of`` (a day on which one falls due
    is not yet overdue)."""
    elapsed = (as_of.year - value_date.year) * 12 + as_of.month - value_date.month
    if add_months(value_date, elapsed) >= as_of:
        elapsed -= 1
    return max(0, min(months, elapsed))
