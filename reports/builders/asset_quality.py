"""The monthly asset-quality report: the four figures of RULES.md §7 against their alert
levels, the five-level distribution and the buckets at the period end, and 12-month trends —
all from ``reports/figures.py``, the dashboard's source."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from loans.models import Classification
from reports import figures

from .common import money, table, text


def state_labels() -> dict[str, str]:
    return {
        "ok": _("Within the alert level"),
        "warning": _("Close to the alert level"),
        "alert": _("Past the alert level"),
        "unknown": _("No figure"),
    }


def bucket_label(bucket: str) -> str:
    return bucket or _("Not overdue")


def build(start: date, end: date) -> dict:
    as_of = figures.latest_snapshot_date(end)
    book = figures.book_on(as_of)
    span = figures.period(start, end)
    alerts = figures.alerts(book, span)
    trend = [(day, figures.book_on(day)) for day in (figures.month_ends(as_of) if as_of else [])]
    states = state_labels()
    tables = [
        table(
            "alerts",
            _("Asset quality against the alert levels"),
            [_("Figure"), _("Value (%)"), _("Alert level (%)"), _("State")],
            [[a.label, text(a.value), text(a.level), states[a.state]] for a in alerts],
        ),
        table(
            "book",
            _("The book"),
            [_("Item"), _("Amount")],
            [
                [_("Accounts"), book.accounts],
                [_("Principal outstanding"), money(book.principal_outstanding)],
                [_("Overdue principal"), money(book.overdue_principal)],
                [_("Non-performing principal"), money(book.non_performing_principal)],
                [_("Interest due in the period"), money(span.interest_due)],
                [_("Interest received in the period"), money(span.interest_received)],
                [_("Principal written off in the period"), money(span.written_off_principal)],
            ],
        ),
        class_table(book),
        table(
            "buckets",
            _("Overdue buckets"),
            [_("Bucket"), _("Accounts"), _("Principal")],
            [
                [bucket_label(b), row["accounts"], money(row["principal"])]
                for b, row in book.by_bucket.items()
            ],
        ),
        table(
            "trend",
            _("12-month trend"),
            [_("Month end"), _("Overdue rate (%)"), _("NPL ratio (%)")],
            [[f"{day:%Y-%m-%d}", text(b.overdue_rate), text(b.npl_ratio)] for day, b in trend],
        ),
    ]
    return {
        "as_of": as_of.isoformat() if as_of else None,
        "figures": {a.figure: {"value": text(a.value), "state": a.state} for a in alerts},
        "tables": tables,
        "charts": charts(book, trend),
    }


def class_table(book) -> dict:
    rows = []
    for code, label in Classification.choices:
        row = book.by_class.get(code, {"accounts": 0, "principal": figures.ZERO})
        share = figures.percent(row["principal"], book.principal_outstanding)
        rows.append([str(label), row["accounts"], money(row["principal"]), text(share)])
    return table(
        "classes",
        _("Five-level classification"),
        [_("Class"), _("Accounts"), _("Principal"), _("Share (%)")],
        rows,
    )


def charts(book, trend) -> list[dict]:
    return [
        {
            "type": "bar",
            "title": _("Principal by class"),
            "unit": "",
            "data": [
                [str(label), money(book.by_class.get(code, {}).get("principal"))]
                for code, label in Classification.choices
            ],
        },
        {
            "type": "bar",
            "title": _("Principal by overdue bucket"),
            "unit": "",
            "data": [[bucket_label(b), money(r["principal"])] for b, r in book.by_bucket.items()],
        },
        {
            "type": "line",
            "title": _("Overdue rate and NPL ratio by month"),
            "unit": "%",
            "data": {
                _("Overdue rate"): [[f"{d:%Y-%m}", text(b.overdue_rate)] for d, b in trend],
                _("NPL ratio"): [[f"{d:%Y-%m}", text(b.npl_ratio)] for d, b in trend],
            },
        },
    ]
