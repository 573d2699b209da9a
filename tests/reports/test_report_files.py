"""The PDF and the XLSX of each report hold the same figures, and those are the figures
``reports/figures.py`` gives the dashboard (read back with pypdf and openpyxl); the PDF's
Chinese is set in an embedded CJK font."""

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reports import figures
from reports.models import ReportKind, ReportRun, ReportStatus
from reports.services_reports import generate
from tests.loancenter.test_pdf import embedded_font_names
from tests.reports.report_data import END, START, seed_snapshots

pytestmark = pytest.mark.django_db
NUMBER = re.compile(r"-?\d+(\.\d+)?")


@pytest.fixture
def make_run(origination, director):
    seed_snapshots()

    def make(kind):
        run = ReportRun.objects.create(
            kind=kind, period_start=START, period_end=END, requested_by=director
        )
        generate(run.pk)
        run.refresh_from_db()
        assert run.status == ReportStatus.DONE, run.error
        return run

    return make


def pdf_text(run) -> str:
    with run.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def xlsx_tables(run) -> dict:
    """Each table of the workbook under its title: the title row, then header and data rows,
    tables separated by an empty row (as ``builders.common.xlsx_bytes`` writes them)."""
    with run.xlsx.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    tables, current, title_next = {}, None, False
    for row in sheet.iter_rows(min_row=4, values_only=True):
        values = [value for value in row if value is not None]
        if not values:
            title_next = True
            continue
        if title_next:
            current, title_next = tables.setdefault(values[0], []), False
            continue
        current.append(list(row)[: len(values) if values else 0] or list(row))
    return tables


def same(expected, actual) -> bool:
    if expected is None:
        return actual in (None, "")
    if isinstance(expected, str) and NUMBER.fullmatch(expected):
        return Decimal(expected) == Decimal(str(actual))
    return expected == actual


@pytest.mark.parametrize("kind", ReportKind.values)
def test_the_workbook_holds_every_table_of_the_figures(make_run, kind):
    run = make_run(kind)
    tables = xlsx_tables(run)

    for table in run.figures["tables"]:
        rows = tables[table["title"]]
        assert rows[0][: len(table["columns"])] == table["columns"]
        body = rows[1:]
        assert len(body) == len(table["rows"]), table["key"]
        for expected_row, actual_row in zip(table["rows"], body, strict=True):
            for expected, actual in zip(expected_row, actual_row, strict=False):
                assert same(expected, actual), (table["key"], expected_row, actual_row)


@pytest.mark.parametrize("kind", ReportKind.values)
def test_the_pdf_holds_every_figure_of_the_tables(make_run, kind):
    run = make_run(kind)
    text = pdf_text(run).replace("\n", " ")

    for table in run.figures["tables"]:
        for row in table["rows"]:
            for cell in row:
                if cell is not None:
                    assert str(cell) in text, (table["key"], cell)


def test_the_asset_quality_figures_are_the_dashboards(make_run):
    run = make_run(ReportKind.ASSET_QUALITY)
    book = figures.book_on(END)
    span = figures.period(START, END)
    rows = {t["key"]: t["rows"] for t in run.figures["tables"]}

    assert run.figures["as_of"] == "2026-10-31"
    by_figure = {a.figure: a for a in figures.alerts(book, span)}
    assert [(r[1], r[2]) for r in rows["alerts"]] == [
        (str(a.value), str(a.level)) for a in by_figure.values()
    ]
    # hand-computed from the seeded snapshots
    assert [r[1] for r in rows["alerts"]] == ["3.75", "10.00", "96.67", "0.50"]
    assert [r[2] for r in rows["alerts"]] == ["3.00", "2.00", "95.00", "1.00"]
    assert rows["book"][1][1] == "1000000.00"
    assert rows["trend"] == [
        ["2026-09-30", "0.00", "0.00"],
        ["2026-10-31", "3.75", "10.00"],
    ]
    states = {k: v["state"] for k, v in run.figures["figures"].items()}
    assert states == {
        "overdue_rate": "alert",
        "npl_ratio": "alert",
        "interest_collection_rate": "ok",
        "bad_debt_rate": "ok",
    }


def test_the_classification_report_splits_by_product_with_shares(make_run):
    run = make_run(ReportKind.CLASSIFICATION)
    rows = {t["key"]: t["rows"] for t in run.figures["tables"]}

    assert [r[2:] for r in rows["products"]] == [
        [1, "100000.00", "10.00"],  # CONSUMER substandard
        [8, "800000.00", "80.00"],  # HOUSING normal
        [1, "100000.00", "10.00"],  # HOUSING special mention
    ]
    assert [r[1:] for r in rows["classes"]][:3] == [
        [8, "800000.00", "80.00"],
        [1, "100000.00", "10.00"],
        [1, "100000.00", "10.00"],
    ]


def test_the_pdf_embeds_a_cjk_font_and_charts(make_run):
    run = make_run(ReportKind.ASSET_QUALITY)
    with run.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))

    names = [name for page in reader.pages for name in embedded_font_names(page)]
    assert any("CJK" in name or "WenQuanYi" in name for name in names), names
    assert "个贷中心" in reader.pages[0].extract_text()
    assert "正常" in pdf_text(run)  # the class labels, in Chinese
