"""The collection-case list exports the current filter, and only the cases the user may see."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.collection.builders import make_loan, open_case, people_fixture, set_overdue  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "collection:case_list"


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def cases(people, other_officer):
    m2 = open_case(set_overdue(make_loan(people), "M2"))
    m3 = open_case(set_overdue(make_loan(people), "M3"))
    theirs = open_case(set_overdue(make_loan(people, officer=other_officer), "M2"))
    return m2, m3, theirs


def test_the_export_holds_the_cases_of_the_filter_and_only_them(client, collections_officer, cases):
    m2, m3, theirs = cases
    client.force_login(collections_officer)
    table = read_csv(client.get(reverse(URL), {"bucket": "M2", "export": "csv"}))
    assert sorted(row[0] for row in table[1:]) == sorted([m2.account.number, theirs.account.number])
    row = dict(zip(table[0], table[1], strict=True))
    assert row["逾期本金"] == "10000.00" and row["逾期利息及罚息"] == "400.00"
    sheet = load_workbook(
        io.BytesIO(client.get(reverse(URL), {"bucket": "M3", "export": "xlsx"}).content)
    ).active
    assert [cell.value for cell in sheet["A"]][1:] == [m3.account.number]
    assert sheet["F2"].value == 10000 and sheet["F2"].number_format == "#,##0.00"


def test_a_loan_officer_exports_only_the_cases_of_their_own_loans(
    client, loan_officer, other_officer, cases
):
    m2, m3, theirs = cases
    client.force_login(other_officer)
    table = read_csv(client.get(reverse(URL), {"export": "csv"}))
    assert [row[0] for row in table[1:]] == [theirs.account.number]
    client.force_login(loan_officer)
    table = read_csv(client.get(reverse(URL), {"export": "csv"}))
    assert theirs.account.number not in {row[0] for row in table}


def test_someone_outside_collections_cannot_export_the_cases(client, archivist, cases):
    client.force_login(archivist)
    response = client.get(reverse(URL), {"export": "csv"})
    assert response.status_code == 404
