"""The export helper (loancenter/exports.py) and the rule that every list page offers it."""

import ast
import csv
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from loancenter import audit, exports
from loancenter.exports import DATE, DATETIME, MONEY, NUMBER, Column, export_response

pytestmark = pytest.mark.django_db


class Row:
    def __init__(self, **fields):
        self.__dict__.update(fields)

    def get_kind_display(self):
        return "个人消费贷款"


COLUMNS = [
    Column("借款人", "name"),
    Column("金额", "amount", MONEY),
    Column("放款日", "value_date", DATE),
    Column("登记时间", "at", DATETIME),
    Column("期数", "term", NUMBER),
    Column("品种", "get_kind_display"),
    Column("备注", lambda row: row.note.upper() if row.note else None),
]


def rows():
    at = timezone.make_aware(datetime(2026, 3, 1, 9, 30))
    return [
        Row(
            name="张三",
            amount=Decimal("1234567.891"),
            value_date=date(2026, 1, 15),
            at=at,
            term=12,
            note="ok",
        ),
        Row(name='=HYPERLINK("x")', amount=None, value_date=None, at=None, term=None, note=""),
    ]


def ask(fmt=None, **query):
    if fmt:
        query["export"] = fmt
    return RequestFactory().get("/list/", query)


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response):
    return load_workbook(io.BytesIO(response.content)).active


def test_it_answers_none_when_no_export_is_asked():
    assert export_response(ask(), rows(), COLUMNS, "名单") is None
    assert export_response(ask("pdf"), rows(), COLUMNS, "名单") is None


def test_the_csv_is_utf8_with_a_bom_and_keeps_chinese_money_and_dates():
    response = export_response(ask("csv"), rows(), COLUMNS, "贷款名单")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert "attachment" in disposition and f"{timezone.localdate():%Y%m%d}.csv" in disposition
    table = read_csv(response)
    assert table[0] == ["借款人", "金额", "放款日", "登记时间", "期数", "品种", "备注"]
    assert table[1] == [
        "张三",
        "1234567.89",
        "2026-01-15",
        "2026-03-01 09:30",
        "12",
        "个人消费贷款",
        "OK",
    ]
    assert table[2][0] == '\'=HYPERLINK("x")' and table[2][1:5] == ["", "", "", ""]


def test_the_workbook_has_a_bold_header_widths_money_as_numbers_and_dates_as_dates():
    sheet = read_xlsx(export_response(ask("xlsx"), rows(), COLUMNS, "贷款名单"))
    assert sheet.title == "贷款名单"
    assert sheet["A1"].value == "借款人" and sheet["A1"].font.b
    assert sheet.column_dimensions["A"].width >= 8
    assert (
        sheet["B2"].value == pytest.approx(1234567.89) and sheet["B2"].number_format == "#,##0.00"
    )
    assert sheet["C2"].value == datetime(2026, 1, 15) and sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].value == datetime(2026, 3, 1, 9, 30)
    assert sheet["E2"].value == 12
    assert sheet["A3"].value == '=HYPERLINK("x")' and sheet["A3"].data_type == "s"


def test_it_exports_at_most_the_cap(monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_CAP", 1)
    assert len(read_csv(export_response(ask("csv"), rows(), COLUMNS, "名单"))) == 2


# --- the audit trail: a representative list ---------------------------------------------------


@pytest.fixture
def events(loan_officer, reviewer):
    with transaction.atomic():
        audit.record(actor=loan_officer, action="application.submit", opinion="请审查")
        audit.record(actor=reviewer, action="review.approve", opinion="同意")


def test_the_audit_trail_exports_the_filtered_events_and_only_them(client, auditor, events):
    client.force_login(auditor)
    url = reverse("audit_log")
    table = read_csv(client.get(url, {"q": "review", "export": "csv"}))
    assert len(table) == 2 and table[1][3] == "review.approve" and table[1][7] == "同意"
    sheet = read_xlsx(client.get(url, {"export": "xlsx"}))
    assert sheet.max_row == 3  # the header and both events


def test_someone_who_may_not_read_the_audit_trail_cannot_export_it(client, loan_officer, events):
    client.force_login(loan_officer)
    response = client.get(reverse("audit_log"), {"export": "csv"})
    assert response.status_code == 403 and b"review.approve" not in response.content


def test_the_page_says_when_the_filter_holds_more_than_an_export_takes(
    client, auditor, events, monkeypatch
):
    from loancenter.templatetags import exports as tags

    client.force_login(auditor)
    page = client.get(reverse("audit_log")).content.decode()
    assert 'data-testid="export-links"' in page and "export=xlsx" in page
    assert 'data-testid="export-capped"' not in page
    monkeypatch.setattr(tags, "EXPORT_CAP", 1)
    page = client.get(reverse("audit_log"), {"q": ""}).content.decode()
    assert 'data-testid="export-capped"' in page


# --- every list page offers the export --------------------------------------------------------

# Paginated pages that are not filtered lists of the center's records, and why.
NOT_EXPORTED = {
    ("loancenter/views.py", "inbox"): "a user's own notifications",
    ("archive/views_handover.py", "handovers"): "hand-over lists are printed from their page",
    ("archive/views_handover.py", "handover_new"): "a form to choose items",
    ("archive/views_handover.py", "inspections"): "inspection records have their own page",
    ("archive/views_custody.py", "vault"): "the vault list has its own PDF ledger",
    ("archive/views_custody.py", "my_borrowings"): "a user's own requests",
    ("archive/views_custody.py", "borrow_approvals"): "a short approval queue",
}
# Written while the exports were added, by another hand: the two lines are still to be added.
PENDING: set = set()


def _paginated_views():
    root = Path(settings.BASE_DIR)
    for path in sorted(root.glob("*/views*.py")):
        if ".venv" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for function in tree.body:
            if not isinstance(function, ast.FunctionDef):
                continue
            names = {node.id for node in ast.walk(function) if isinstance(node, ast.Name)}
            if "Paginator" in names:
                yield str(path.relative_to(root)), function.name, "export_response" in names


def test_every_paginated_list_view_exports_unless_listed_with_a_reason():
    found = list(_paginated_views())
    assert len(found) >= 20
    missing = [
        (path, name)
        for path, name, exports_it in found
        if not exports_it and (path, name) not in NOT_EXPORTED.keys() | PENDING
    ]
    assert missing == []


LIST_PAGES = [
    "applications:customer_list",
    "applications:queue",
    "collateral:queue",
    "loans:disbursement_queue",
    "loans:change_queue",
    "loans:account_list",
    "loans:classification_queue",
    "loans:sweep_runs",
    "collection:case_list",
    "collection:writeoff_list",
    "collection:check_list",
    "archive:search",
    "archive:expected",
    "archive:retention_due",
    "archive:destruction_list",
    "archive:borrow_queue",
    "audit_log",
    "reports:rating_queue",
    "reports:report_runs",
]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_each_list_page_offers_csv_and_excel_and_answers_both(client, make_user, name):
    from loancenter.roles import ARCHIVIST, AUDITOR, DIRECTOR

    client.force_login(make_user("chief", DIRECTOR, AUDITOR, ARCHIVIST, is_superuser=True))
    url = reverse(name)
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="export-links"') == 1
    assert page.content.decode().count("export=csv") == 1
    table = read_csv(client.get(url, {"export": "csv"}))
    assert len(table) == 1 and all(table[0])  # headers only: nothing seeded
    sheet = read_xlsx(client.get(url, {"export": "xlsx"}))
    assert [cell.value for cell in sheet[1]] == table[0]
