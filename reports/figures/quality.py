"""The asset-quality figures of RULES.md §7, read from the sweep's daily portfolio snapshots
(``loans.PortfolioSnapshot``), never from a scan of every loan. The dashboard, the reports'
PDF and XLSX all take their numbers from here, so they cannot disagree.

- Overdue rate = overdue principal ÷ principal outstanding (on a date).
- NPL ratio = principal in 次级 + 可疑 + 损失 ÷ principal outstanding (on a date).
- Interest collection rate = interest received ÷ interest due, for a period.
- Bad-debt rate = principal written off in a period ÷ principal outstanding at its end.

Rates are percentages rounded half-up to two places; ``None`` when the divisor is zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Max,
    Q,
    Sum,
)

from loans.models import Classification, PortfolioSnapshot

from ..models import AlertLevel, Figure

ZERO = Decimal("0.00")
NON_PERFORMING = (Classification.SUBSTANDARD, Classification.DOUBTFUL, Classification.LOSS)
BUCKET_ORDER = ("", "M1", "M2", "M3", "M3+")


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def latest_snapshot_date(on_or_before: date | None = None) -> date | None:
    """The last business date with a snapshot, up to ``on_or_before``."""
    rows = PortfolioSnapshot.objects.all()
    if on_or_before is not None:
        rows = rows.filter(business_date__lte=on_or_before)
    return rows.aggregate(last=Max("business_date"))["last"]


@dataclass(frozen=True)
class Book:
    """The book on one business date."""

    on: date | None
    accounts: int = 0
    principal_outstanding: Decimal = ZERO
    overdue_principal: Decimal = ZERO
    non_performing_principal: Decimal = ZERO
    by_class: dict = field(default_factory=dict)  # code → {"accounts", "principal"}
    by_bucket: dict = field(default_factory=dict)  # "" / M1… → {"accounts", "principal"}

    @property
    def overdue_rate(self) -> Decimal | None:
        return percent(self.overdue_principal, self.principal_outstanding)

    @property
    def npl_ratio(self) -> Decimal | None:
        return percent(self.non_performing_principal, self.principal_outstanding)


def book_on(on: date | None) -> Book:
    """The book from the snapshot of ``on`` (an empty book when there is none)."""
    if on is None:
        return Book(on=None)
    rows = PortfolioSnapshot.objects.filter(business_date=on)
    by_class = {code: {"accounts": 0, "principal": ZERO} for code in Classification.values}
    by_bucket = {bucket: {"accounts": 0, "principal": ZERO} for bucket in BUCKET_ORDER}
    totals = {"accounts": 0, "principal": ZERO, "overdue": ZERO, "npl": ZERO}
    grouped = rows.values("classification", "bucket").annotate(
        n=Sum("accounts"), principal=Sum("principal_outstanding"), overdue=Sum("overdue_principal")
    )
    for row in grouped.order_by():
        n, principal = row["n"] or 0, row["principal"] or ZERO
        for table, key in ((by_class, row["classification"]), (by_bucket, row["bucket"])):
            table.setdefault(key, {"accounts": 0, "principal": ZERO})
            table[key]["accounts"] += n
            table[key]["principal"] += principal
        totals["accounts"] += n
        totals["principal"] += principal
        totals["overdue"] += row["overdue"] or ZERO
        if row["classification"] in NON_PERFORMING:
            totals["npl"] += principal
    return Book(
        on=on,
        accounts=totals["accounts"],
        principal_outstanding=totals["principal"],
        overdue_principal=totals["overdue"],
        non_performing_principal=totals["npl"],
        by_class=by_class,
        by_bucket=by_bucket,
    )


@dataclass(frozen=True)
class Period:
    """Interest and write-offs over the business dates from ``start`` to ``end``."""

    start: date
    end: date
    interest_due: Decimal = ZERO
    interest_received: Decimal = ZERO
    written_off_principal: Decimal = ZERO
    closing_principal: Decimal = ZERO

    @property
    def interest_collection_rate(self) -> Decimal | None:
        return percent(self.interest_received, self.interest_due)

    @property
    def bad_debt_rate(self) -> Decimal | None:
        return percent(self.written_off_principal, self.closing_principal)


def period(start: date, end: date) -> Period:
    sums = PortfolioSnapshot.objects.filter(business_date__range=(start, end)).aggregate(
        due=Sum("interest_due"),
        received=Sum("interest_received"),
        written_off=Sum("written_off_principal"),
    )
    closing = book_on(latest_snapshot_date(end))
    return Period(
        start=start,
        end=end,
        interest_due=sums["due"] or ZERO,
        interest_received=sums["received"] or ZERO,
        written_off_principal=sums["written_off"] or ZERO,
        closing_principal=closing.principal_outstanding,
    )


@dataclass(frozen=True)
class Alert:
    figure: str
    label: str
    value: Decimal | None
    level: Decimal | None
    higher_is_worse: bool
    state: str  # "ok", "warning", "alert" or "unknown"


def alert_state(value, level: AlertLevel | None) -> str:
    """ "alert" past the level, "warning" within its margin, "ok" otherwise."""
    if value is None or level is None:
        return "unknown"
    distance = value - level.alert_percent if level.higher_is_worse else level.alert_percent - value
    if distance > 0:
        return "alert"
    if distance > -level.warning_margin_percent:
        return "warning"
    return "ok"


def alerts(book: Book, span: Period) -> list[Alert]:
    """The four figures against head office's alert levels, in RULES.md §7 order."""
    levels = {level.figure: level for level in AlertLevel.objects.all()}
    values = {
        Figure.OVERDUE_RATE: book.overdue_rate,
        Figure.NPL_RATIO: book.npl_ratio,
        Figure.INTEREST_COLLECTION: span.interest_collection_rate,
        Figure.BAD_DEBT_RATE: span.bad_debt_rate,
    }
    result = []
    for figure, value in values.items():
        level = levels.get(figure)
        result.append(
            Alert(
                figure=figure,
                label=str(Figure(figure).label),
                value=value,
                level=level.alert_percent if level else None,
                higher_is_worse=level.higher_is_worse
                if level
                else figure != Figure.INTEREST_COLLECTION,
                state=alert_state(value, level),
            )
        )
    return result


def month_ends(last: date, months: int = 12) -> list[date]:
    """The last snapshot date of each of the ``months`` calendar months up to ``last``."""
    rows = (
        PortfolioSnapshot.objects.filter(business_date__lte=last)
        .values_list("business_date", flat=True)
        .distinct()
        .order_by("-business_date")
    )
    ends: dict[tuple[int, int], date] = {}
    for day in rows.iterator():
        key = (day.year, day.month)
        if key not in ends:
            ends[key] = day
            if len(ends) == months:
                break
    return sorted(ends.values())


# -- trends --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    on: date
    overdue_rate: Decimal | None
    npl_ratio: Decimal | None


def trends(last: date | None, months: int = 12) -> list[TrendPoint]:
    """Overdue rate and NPL ratio at each month end of the ``months`` up to ``last``: two
    queries whatever the number of months."""
    if last is None:
        return []
    ends = month_ends(last, months)
    rows = (
        PortfolioSnapshot.objects.filter(business_date__in=ends)
        .values("business_date")
        .annotate(
            principal=Sum("principal_outstanding"),
            overdue=Sum("overdue_principal"),
            npl=Sum(
                "principal_outstanding",
                filter=Q(classification__in=NON_PERFORMING),
                default=ZERO,
            ),
        )
        .order_by("business_date")
    )
    return [
        TrendPoint(
            on=row["business_date"],
            overdue_rate=percent(row["overdue"] or ZERO, row["principal"] or ZERO),
            npl_ratio=percent(row["npl"] or ZERO, row["principal"] or ZERO),
        )
        for row in rows
    ]
