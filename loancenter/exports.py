"""List pages exported as CSV or XLSX: the rows of the current filter, the page's columns.

A list view builds its filtered queryset exactly as for the page (same visibility rules), then::

    if export := export_response(request, rows, COLUMNS, _("Loan accounts")):
        return export

``export_response`` answers None unless the query string asks for ``export=csv`` or
``export=xlsx``. Every page of the filter is exported, up to ``EXPORT_CAP`` rows; the page says
so when the filter holds more (``templates/includes/export_links.html``).

A column is ``Column(header, value, kind)``: ``value`` is an attribute path
("customer.name", "get_status_display" — callables are called) or a function of the row;
``kind`` is one of TEXT, MONEY, DATE, DATETIME, NUMBER. CSV is UTF-8 with a byte-order mark so
Excel opens Chinese text correctly; XLSX has a bold header, column widths, money as numbers
with two decimals and dates as dates.
"""

import csv
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO, StringIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

EXPORT_CAP = 50_000
FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TEXT, MONEY, DATE, DATETIME, NUMBER = "text", "money", "date", "datetime", "number"
_XLSX_FORMATS = {MONEY: "#,##0.00", DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: Any  # a (lazy) translatable string
    value: str | Callable[[Any], Any]
    kind: str = TEXT

    def read(self, row):
        if callable(self.value):
            value = self.value(row)
        else:
            value = row
            for part in self.value.split("."):
                value = getattr(value, part, None) if value is not None else None
                if callable(value):
                    value = value()
        return _normalise(value, self.kind)


def _normalise(value, kind):
    if value is None or value == "":
        return None
    if kind == MONEY:
        return Decimal(value).quantize(Decimal("0.01"))
    if kind == DATETIME and isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if kind == DATE and isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if kind in (TEXT,) and not isinstance(value, str):
        return str(value)
    return value


def export_format(request) -> str | None:
    wanted = request.GET.get("export", "")
    return wanted if wanted in FORMATS else None


def export_response(request, rows, columns, name) -> HttpResponse | None:
    """The export the query string asks for, or None when it asks for none."""
    wanted = export_format(request)
    if wanted is None:
        return None
    values = table(rows, columns)
    filename = f"{name}-{timezone.localdate():%Y%m%d}.{wanted}"
    if wanted == "csv":
        response = HttpResponse(csv_bytes(columns, values), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(xlsx_bytes(columns, values, title=str(name)), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def table(rows, columns) -> list[list]:
    """At most EXPORT_CAP rows of values, read column by column."""
    if hasattr(rows, "iterator"):
        rows = rows[:EXPORT_CAP]
        prefetching = bool(getattr(rows, "_prefetch_related_lookups", ()))
        source: Iterable = rows.iterator(chunk_size=2000) if prefetching else rows.iterator()
    else:
        source = list(rows)[:EXPORT_CAP]
    return [[column.read(row) for column in columns] for row in source]


def _safe_text(value: str) -> str:
    """A leading = + - @ would make a spreadsheet run the cell as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv_cell(value, kind):
    if value is None:
        return ""
    if kind == MONEY:
        return f"{value:.2f}"
    if kind == DATE:
        return f"{value:%Y-%m-%d}"
    if kind == DATETIME:
        return f"{value:%Y-%m-%d %H:%M}"
    return _safe_text(value) if isinstance(value, str) else value


def csv_bytes(columns, values) -> bytes:
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(column.header) for column in columns])
    kinds = [column.kind for column in columns]
    for row in values:
        writer.writerow([_csv_cell(value, kind) for value, kind in zip(row, kinds, strict=True)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _display_width(value, kind) -> int:
    if value is None:
        return 0
    if kind in (MONEY, DATETIME):
        return 16
    if kind == DATE:
        return 11
    text = str(value)
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def _widths(columns, values) -> list[int]:
    widths = [_display_width(str(column.header), TEXT) for column in columns]
    for row in values[:500]:
        for index, (value, column) in enumerate(zip(row, columns, strict=True)):
            widths[index] = max(widths[index], _display_width(value, column.kind))
    return [min(max(width + 2, 8), 60) for width in widths]


def xlsx_bytes(columns, values, *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(title))
    for index, width in enumerate(_widths(columns, values), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    kinds = [column.kind for column in columns]
    for row in values:
        sheet.append(
            [_xlsx_cell(sheet, value, kind) for value, kind in zip(row, kinds, strict=True)]
        )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value, kind):
    from openpyxl.cell import WriteOnlyCell

    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, never read as a formula
        return cell
    if kind in _XLSX_FORMATS:
        cell.number_format = _XLSX_FORMATS[kind]
    return cell


def _sheet_title(title: str) -> str:
    cleaned = "".join("_" if char in "[]:*?/\\" else char for char in title)
    return cleaned[:31] or "Sheet"
