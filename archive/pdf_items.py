"""The archive's printed papers: the custody ledger (台账) of a search, and barcode labels
(Code128 of the item number, drawn as SVG by python-barcode, with the title and the dossier).
Bank papers: always in Chinese, laid out by WeasyPrint through ``loancenter.pdf``."""

from __future__ import annotations

import base64

from django.utils import timezone

from loancenter.pdf import render_pdf


def barcode_data_uri(number: str) -> str:
    """A Code128 barcode of ``number`` as an SVG data URI for an <img> in the label."""
    import barcode
    from barcode.writer import SVGWriter

    code = barcode.get("code128", number, writer=SVGWriter())
    # Drawn at its printed size (the SVG has no viewBox, so it must not be scaled): 0.28 mm
    # bars keep a DA…-0001 number near 54 mm, within a 61 mm label, for a handheld scanner.
    svg = code.render(
        writer_options={
            "write_text": False,
            "module_width": 0.28,
            "module_height": 9.0,
            "quiet_zone": 2.0,
        }
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def ledger_pdf(items, *, user, filters: dict, truncated: bool = False) -> bytes:
    from .models import Category, ItemStatus

    shown = {key: value for key, value in filters.items() if value}
    if shown.get("category") in Category.values:
        shown["category"] = Category(shown["category"]).label
    if shown.get("status") in ItemStatus.values:
        shown["status"] = ItemStatus(shown["status"]).label
    return render_pdf(
        "archive/pdf/ledger.html",
        {
            "items": items,
            "filters": shown,
            "truncated": truncated,
            "printed_at": timezone.localtime(),
            "printed_by": user,
        },
    )


def labels_pdf(items, *, user) -> bytes:
    labels = [{"item": item, "barcode": barcode_data_uri(item.number)} for item in items]
    return render_pdf(
        "archive/pdf/labels.html",
        {"labels": labels, "printed_at": timezone.localtime(), "printed_by": user},
    )
