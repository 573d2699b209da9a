"""The five-level classification report: the distribution by class and by product at the
period end (accounts, principal, share), and the changes of class in the period."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from loans.models import ChangeOrigin, Classification
from reports import figures

from . import sources
from .asset_quality import class_table
from .common import money, table, text


def build(start: date, end: date) -> dict:
    as_of = figures.latest_snapshot_date(end)
    book = figures.book_on(as_of)
    classes = dict(Classification.choices)
    by_product = [
        [
            row["product"],
            str(classes.get(row["classification"], row["classification"])),
            row["accounts"],
            money(row["principal"]),
            text(figures.percent(row["principal"], book.principal_outstanding)),
        ]
        for row in sources.distribution_by_product(as_of)
    ]
    origins = dict(ChangeOrigin.choices)
    changes = [
        [
            str(origins.get(row["origin"], row["origin"])),
            str(classes.get(row["from_class"], row["from_class"])),
            str(classes.get(row["to_class"], row["to_class"])),
            row["n"],
        ]
        for row in sources.class_changes(start, end)
    ]
    tables = [
        class_table(book),
        table(
            "products",
            _("By product and class"),
            [_("Product"), _("Class"), _("Accounts"), _("Principal"), _("Share (%)")],
            by_product,
        ),
        table(
            "changes",
            _("Changes of class in the period"),
            [_("Origin"), _("Class before"), _("Class after"), _("Accounts")],
            changes,
        ),
    ]
    return {
        "as_of": as_of.isoformat() if as_of else None,
        "figures": {
            "accounts": book.accounts,
            "principal_outstanding": money(book.principal_outstanding),
            "npl_ratio": text(book.npl_ratio),
        },
        "tables": tables,
        "charts": [
            {
                "type": "bar",
                "title": _("Principal by class"),
                "unit": "",
                "data": [[row[0], row[2]] for row in tables[0]["rows"]],
            }
        ],
    }
