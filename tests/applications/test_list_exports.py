"""The application queue and the customer list export the current filter and mask ID numbers."""

import csv
import io

import pytest
from django.urls import reverse

from tests.origination import draft, make_customer

pytestmark = pytest.mark.django_db


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_queue_export_holds_the_filtered_applications_and_only_the_officers_own(
    client, origination, loan_officer, other_officer
):
    first = draft(loan_officer, with_collateral=False)
    second = draft(loan_officer, with_collateral=False)
    theirs = draft(other_officer, with_collateral=False)
    client.force_login(loan_officer)
    url = reverse("applications:queue")
    table = read_csv(client.get(url, {"scope": "all", "export": "csv"}))
    assert sorted(row[0] for row in table[1:]) == sorted([first.number, second.number])
    table = read_csv(client.get(url, {"scope": "all", "q": first.number, "export": "csv"}))
    assert [row[0] for row in table[1:]] == [first.number]
    row = dict(zip(table[0], table[1], strict=True))
    assert row["金额"] == f"{first.amount:.2f}" and row["状态"] == "录入"
    client.force_login(other_officer)
    table = read_csv(client.get(url, {"scope": "all", "export": "csv"}))
    assert [row[0] for row in table[1:]] == [theirs.number]


def test_the_customer_export_masks_id_numbers_and_mobiles_as_the_page_does(
    client, origination, loan_officer, other_officer
):
    customer = make_customer(loan_officer, name="李雷")
    make_customer(other_officer, name="韩梅梅")
    client.force_login(loan_officer)
    table = read_csv(client.get(reverse("applications:customer_list"), {"export": "csv"}))
    assert [row[0] for row in table[1:]] == ["李雷"]
    assert table[1][1] == customer.masked_id_number and customer.id_number not in str(table)
    assert table[1][2] == customer.masked_mobile
