"""The custody ledger (台账) and the barcode labels, read back from the PDFs."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from archive.pdf_items import barcode_data_uri
from tests.archive.builders import make_dossier, make_item, received_item

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def compact(text: str) -> str:
    return "".join(text.split())


def test_the_ledger_lists_the_items_of_the_search(client, archivist):
    kept = received_item(title="个人住房借款合同", custodian=archivist)
    expected = make_item(title="调查报告")
    client.force_login(archivist)
    text = compact(text_of(client.get(reverse("archive:ledger_pdf"))))
    assert "档案保管台账" in text
    assert kept.number in text and expected.number in text
    assert "个人住房借款合同" in text and kept.dossier.customer.name in text
    assert "全部档案" in text


def test_the_ledger_follows_the_filter_and_prints_it(client, archivist):
    kept = received_item(place={"room": "B12", "cabinet": "C1", "shelf": "1", "box": ""})
    other = make_item()
    client.force_login(archivist)
    text = compact(text_of(client.get(reverse("archive:ledger_pdf"), {"room": "B12"})))
    assert kept.number in text and other.number not in text
    assert "库房B12" in text


def test_a_loan_officers_ledger_holds_only_their_customers_items(
    client, loan_officer, other_officer
):
    mine = make_item(dossier=make_dossier(officer=loan_officer))
    theirs = make_item(dossier=make_dossier(officer=other_officer))
    client.force_login(loan_officer)
    text = compact(text_of(client.get(reverse("archive:ledger_pdf"))))
    assert mine.number in text and theirs.number not in text


def test_labels_carry_the_number_title_and_dossier_of_the_chosen_items(client, archivist):
    first = received_item(title="借款合同")
    second = make_item(vital=True, title="他项权证")
    left_out = make_item()
    client.force_login(archivist)
    response = client.get(reverse("archive:labels_pdf"), {"item": [first.pk, second.pk]})
    text = compact(text_of(response))
    assert first.number in text and second.number in text and left_out.number not in text
    assert "借款合同" in text and first.dossier.number in text
    assert "重要凭证" in text


def test_labels_of_a_whole_dossier(client, archivist):
    dossier = make_dossier()
    items = [make_item(dossier=dossier) for _ in range(4)]
    client.force_login(archivist)
    response = client.get(reverse("archive:labels_pdf"), {"dossier": dossier.pk})
    text = compact(text_of(response))
    assert all(item.number in text for item in items)
    assert (
        dossier.number in response["Content-Disposition"]
        or "filename*" in response["Content-Disposition"]
    )


def test_the_barcode_is_a_code128_svg_of_the_item_number():
    import base64

    uri = barcode_data_uri("DA2026000001-0001")
    svg = base64.b64decode(uri.split(",", 1)[1]).decode()
    assert uri.startswith("data:image/svg+xml;base64,")
    assert "<svg" in svg and svg.count("<rect") > 20


def test_labels_leave_out_items_the_user_may_not_see(client, loan_officer, other_officer):
    theirs = make_item(dossier=make_dossier(officer=other_officer))
    client.force_login(loan_officer)
    response = client.get(reverse("archive:labels_pdf"), {"item": [theirs.pk]})
    assert response.status_code == 302  # nothing to print: back to the search with a message
    other_dossier = reverse("archive:labels_pdf") + f"?dossier={theirs.dossier_id}"
    assert client.get(other_dossier).status_code == 404


@pytest.mark.parametrize("junk", ["abc", "-1", "9" * 30, "1e400"])
def test_label_requests_with_junk_are_404(client, archivist, junk):
    client.force_login(archivist)
    assert client.get(reverse("archive:labels_pdf"), {"item": junk}).status_code == 404
    assert client.get(reverse("archive:labels_pdf"), {"dossier": junk}).status_code == 404


def test_labels_without_a_choice_go_back_to_the_search(client, archivist):
    client.force_login(archivist)
    response = client.get(reverse("archive:labels_pdf"))
    assert response["Location"] == reverse("archive:search")
