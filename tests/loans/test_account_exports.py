"""The loan-account list exports the current filter as CSV and XLSX, and only what the user sees."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from loans.models import LoanAccount
from tests.collection.builders import make_loan, people_fixture, set_overdue  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "loans:account_list"


def read_csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def accounts(people, other_officer):
    late = set_overdue(make_loan(people), "M2")
    current = make_loan(people)
    theirs = make_loan(people, officer=other_officer)
    return late, current, theirs


def test_the_csv_holds_the_filtered_accounts_and_only_them(client, director, accounts):
    late, current, theirs = accounts
    client.force_login(director)
    table = read_csv(client.get(reverse(URL), {"status": "overdue", "export": "csv"}))
    assert [row[0] for row in table[1:]] == [late.number]
    header = table[0]
    row = dict(zip(header, table[1], strict=True))
    assert row["借据编号"] == late.number and row["客户"] == late.customer.name
    assert row["逾期天数"] == "45" and row["本金"] == "120000.00"
    everything = read_csv(client.get(reverse(URL), {"export": "csv"}))
    assert {row[0] for row in everything[1:]} == {late.number, current.number, theirs.number}


def test_the_workbook_holds_all_pages_of_the_filter_with_money_and_dates(
    client, director, accounts, monkeypatch
):
    import loans.views_servicing as views

    real = views.Paginator
    monkeypatch.setattr(views, "Paginator", lambda rows, size: real(rows, 1))
    client.force_login(director)
    sheet = load_workbook(io.BytesIO(client.get(reverse(URL), {"export": "xlsx"}).content)).active
    assert sheet.max_row == 4  # the header and three accounts, though a page shows one
    numbers = {sheet.cell(row, 1).value for row in range(2, 5)}
    assert numbers == set(LoanAccount.objects.values_list("number", flat=True))
    assert sheet["D2"].number_format == "#,##0.00" and sheet["D2"].value == 120000
    assert sheet["F2"].is_date


def test_an_officer_exports_only_the_accounts_the_page_shows_them(
    client, loan_officer, other_officer, accounts
):
    late, current, theirs = accounts
    client.force_login(other_officer)
    table = read_csv(client.get(reverse(URL), {"export": "csv"}))
    assert [row[0] for row in table[1:]] == [theirs.number]
    client.force_login(loan_officer)
    sheet = load_workbook(io.BytesIO(client.get(reverse(URL), {"export": "xlsx"}).content)).active
    assert theirs.number not in {cell.value for cell in sheet["A"]}


def test_the_export_makes_the_same_few_queries_whatever_the_number_of_rows(
    client, director, accounts, people, django_assert_max_num_queries
):
    client.force_login(director)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse(URL), {"export": "xlsx"})
    make_loan(people)
    make_loan(people)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse(URL), {"export": "xlsx"})
