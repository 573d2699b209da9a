"""The collections report: cases open at the period end by bucket and track; actions,
promises (kept, broken), insurance claims and lawsuits of the period; write-offs approved and
recoveries after write-off in the period."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from collection.models import (
    ActionKind,
    ClaimStatus,
    LegalStage,
    PromiseStatus,
    RecoverySource,
    Track,
)

from . import sources
from .asset_quality import bucket_label
from .common import money, table


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value))


def build(start: date, end: date) -> dict:
    cases = sources.open_cases_at(end)
    write_offs = sources.write_offs_in(start, end)
    tables = [
        table(
            "cases",
            _("Cases open at the period end"),
            [_("Bucket"), _("Track"), _("Cases")],
            [[bucket_label(r["bucket"]), _label(Track, r["track"]), r["n"]] for r in cases],
        ),
        table(
            "actions",
            _("Collection actions in the period"),
            [_("Action"), _("Number")],
            [[_label(ActionKind, r["kind"]), r["n"]] for r in sources.actions_in(start, end)],
        ),
        table(
            "promises",
            _("Promises to pay made in the period"),
            [_("Outcome"), _("Number"), _("Amount")],
            [
                [_label(PromiseStatus, r["status"]), r["n"], money(r["amount"])]
                for r in sources.promises_in(start, end)
            ],
        ),
        table(
            "claims",
            _("Insurance claims filed in the period"),
            [_("Status"), _("Number"), _("Amount claimed"), _("Amount paid")],
            [
                [_label(ClaimStatus, r["status"]), r["n"], money(r["amount"]), money(r["paid"])]
                for r in sources.claims_in(start, end)
            ],
        ),
        table(
            "lawsuits",
            _("Lawsuits filed in the period"),
            [_("Stage"), _("Number"), _("Amount sued for")],
            [
                [_label(LegalStage, r["stage"]), r["n"], money(r["amount"])]
                for r in sources.lawsuits_in(start, end)
            ],
        ),
        table(
            "write_offs",
            _("Write-offs approved in the period"),
            [_("Number"), _("Principal")],
            [[write_offs["n"] or 0, money(write_offs["principal"])]],
        ),
        table(
            "recoveries",
            _("Recoveries after write-off in the period"),
            [_("Received from"), _("Number"), _("Amount")],
            [
                [_label(RecoverySource, r["source"]), r["n"], money(r["amount"])]
                for r in sources.recoveries_in(start, end)
            ],
        ),
    ]
    by_bucket: dict[str, int] = {}
    for row in cases:
        label = bucket_label(row["bucket"])
        by_bucket[label] = by_bucket.get(label, 0) + row["n"]
    return {
        "as_of": end.isoformat(),
        "figures": {
            "open_cases": sum(r["n"] for r in cases),
            "write_offs": write_offs["n"] or 0,
            "written_off_principal": money(write_offs["principal"]),
        },
        "tables": tables,
        "charts": [
            {
                "type": "bar",
                "title": _("Open cases by bucket"),
                "unit": "",
                "data": [[bucket, n] for bucket, n in by_bucket.items()],
            }
        ],
    }
