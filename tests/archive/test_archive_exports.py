"""Archive search and the expected items export the current filter, and only what the user sees."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.archive.builders import make_customer, make_item, received_item

pytestmark = pytest.mark.django_db


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def items(loan_officer, other_officer):
    mine = make_customer(officer=loan_officer, name="王小明")
    theirs = make_customer(officer=other_officer, name="赵大山")
    return {
        "kept": received_item(customer=mine, title="借款合同"),
        "expected": make_item(customer=mine, title="抵押合同"),
        "theirs": received_item(customer=theirs, title="保证合同"),
    }


def test_the_search_export_holds_the_filtered_items_with_chinese_intact(client, archivist, items):
    client.force_login(archivist)
    url = reverse("archive:search")
    table = read_csv(client.get(url, {"q": "王小明", "export": "csv"}))
    assert sorted(row[0] for row in table[1:]) == sorted(
        [items["kept"].number, items["expected"].number]
    )
    assert {row[2] for row in table[1:]} == {"王小明"} and table[0][1] == "题名"
    sheet = load_workbook(
        io.BytesIO(client.get(url, {"status": "in_custody", "export": "xlsx"}).content)
    ).active
    assert sorted(cell.value for cell in sheet["A"][1:]) == sorted(
        [items["kept"].number, items["theirs"].number]
    )


def test_a_loan_officer_exports_only_the_items_of_their_customers(client, other_officer, items):
    client.force_login(other_officer)
    table = read_csv(client.get(reverse("archive:search"), {"export": "csv"}))
    assert [row[0] for row in table[1:]] == [items["theirs"].number]


def test_the_expected_list_exports_for_the_archive_and_not_for_an_officer(
    client, archivist, loan_officer, items
):
    client.force_login(archivist)
    table = read_csv(client.get(reverse("archive:expected"), {"export": "csv"}))
    assert [row[1] for row in table[1:]] == [items["expected"].number]
    client.force_login(loan_officer)
    assert client.get(reverse("archive:expected"), {"export": "csv"}).status_code == 404
