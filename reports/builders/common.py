"""What every report shares: its figures as tables, and the PDF and the XLSX drawn from those
same tables, so the two files cannot disagree.

A report's figures dict (stored on ``ReportRun.figures``) is JSON:
``{"kind", "period_start", "period_end", "as_of", "figures": {...}, "tables": [...],
"charts": [...]}``. A table is ``{"key", "title", "columns": [...], "rows": [[...], ...]}``
whose cells are text, whole numbers, or decimals written as text ("3.75") — never floats.
A chart is ``{"type": "bar"|"line", "title", "unit", "data"}`` drawn by ``reports.charts``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _

from loancenter.pdf import render_pdf

MONEY_FORMAT = "#,##0.00"
CENT = Decimal("0.01")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def text(value) -> str | None:
    """A Decimal (or None) as JSON-safe text."""
    return None if value is None else str(value)


def money(value) -> str:
    """An amount as JSON-safe text with two decimals (SQLite's sums lose the scale)."""
    return str(Decimal(value or 0).quantize(CENT))


def table(key: str, title: str, columns: list, rows: list[list]) -> dict:
    return {"key": key, "title": str(title), "columns": [str(c) for c in columns], "rows": rows}


def cell_text(value) -> str:
    """A cell as the PDF writes it (the XLSX keeps the number)."""
    if value is None:
        return "—"
    return str(value)


def pdf_bytes(report: dict, title: str) -> bytes:
    from reports import charts

    drawers = {"bar": charts.bar_chart, "line": charts.line_chart}
    svgs = []
    for chart in report.get("charts", []):
        data = chart["data"]
        if chart["type"] == "bar":
            data = [tuple(row) for row in data]
        else:
            data = {name: [tuple(row) for row in rows] for name, rows in data.items()}
        svgs.append(drawers[chart["type"]](chart["title"], data, unit=chart.get("unit", "")))
    tables = [
        {**t, "rows": [[cell_text(v) for v in row] for row in t["rows"]]} for t in report["tables"]
    ]
    return render_pdf(
        "reports/pdf/report.html",
        {"title": title, "report": report, "tables": tables, "charts": svgs},
    )


def _cell(value):
    """Decimals written as text become numbers again in the workbook."""
    if isinstance(value, str) and NUMBER.fullmatch(value):
        return Decimal(value), (MONEY_FORMAT if "." in value else None)
    return ("" if value is None else value), None


def xlsx_bytes(report: dict, title: str) -> bytes:
    """One sheet: the title and period, then each table under its heading."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Report period"), report["period_start"], report["period_end"]])
    sheet.append([_("Figures as of"), report.get("as_of") or "—"])
    for t in report["tables"]:
        sheet.append([])
        sheet.append([t["title"]])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
        sheet.append(t["columns"])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in t["rows"]:
            values = [_cell(v) for v in row]
            sheet.append([value for value, _fmt in values])
            for cell, (_value, fmt) in zip(sheet[sheet.max_row], values, strict=False):
                if fmt:
                    cell.number_format = fmt
    for letter in "ABCDEFGH":
        sheet.column_dimensions[letter].width = 20
    output = BytesIO()
    book.save(output)
    return output.getvalue()
