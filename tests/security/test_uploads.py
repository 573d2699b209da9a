"""Uploads are judged by their content: wrong content, too large, empty, and HTML/SVG dressed up as
PNG/JPEG/PDF are refused on every upload endpoint, and stored files are served inertly."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.documents import MAX_UPLOAD_BYTES, inspect_upload
from collateral.models import Collateral
from collection.models import Track, WriteOffRequest
from loancenter.errors import DomainError
from tests.collection.builders import (
    make_loan,
    open_case,
    people_fixture,  # noqa: F401 (fixture)
    set_overdue,
)
from tests.origination import PDF_BYTES, collateral_data, draft
from tests.security.test_hostile_forms import write_count

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>window.__xss=1</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
BAD_FILES = {
    "html_named_png": ("scan.png", HTML, "image/png"),
    "html_named_jpeg": ("photo.jpg", HTML, "image/jpeg"),
    "html_named_pdf": ("contract.pdf", HTML, "application/pdf"),
    "svg_named_png": ("id.png", SVG, "image/png"),
    "svg_named_jpeg": ("id.jpeg", SVG, "image/jpeg"),
    "svg_named_pdf": ("id.pdf", SVG, "application/pdf"),
    "svg_as_svg": ("id.svg", SVG, "image/svg+xml"),
    "text_named_pdf": ("report.pdf", b"just some text, not a PDF", "application/pdf"),
    "windows_program": ("setup.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64, "application/pdf"),
    "zip_named_png": ("archive.png", b"PK\x03\x04" + b"\x00" * 64, "image/png"),
    "empty": ("empty.pdf", b"", "application/pdf"),
    "too_large": ("big.pdf", b"%PDF-1.4\n" + b"0" * MAX_UPLOAD_BYTES, "application/pdf"),
}


def bad_file(key):
    name, content, content_type = BAD_FILES[key]
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize("key", sorted(BAD_FILES))
def test_the_shared_upload_check_refuses_it(key):
    with pytest.raises(DomainError):
        inspect_upload(bad_file(key))


@pytest.fixture
def draft_application(origination, loan_officer):
    return draft(loan_officer, with_collateral=False)


@pytest.mark.parametrize("key", sorted(BAD_FILES))
def test_application_documents_refuse_it(client, loan_officer, draft_application, key):
    client.force_login(loan_officer)
    response = client.post(
        reverse("applications:document_upload", args=[draft_application.pk]),
        {"kind": "id_card", "file": bad_file(key)},
        follow=True,
    )
    assert response.status_code == 200
    assert not draft_application.documents.exists()


@pytest.mark.parametrize("key", sorted(BAD_FILES))
def test_the_collateral_valuation_report_refuses_it(client, loan_officer, draft_application, key):
    client.force_login(loan_officer)
    data = {k: v for k, v in collateral_data(draft_application).items() if v is not None}
    response = client.post(
        reverse("collateral:add", args=[draft_application.pk]),
        {**data, "valuation_report": bad_file(key)},
        follow=True,
    )
    assert response.status_code == 200
    assert not Collateral.objects.filter(application=draft_application).exists()


@pytest.fixture
def case(people, collections_officer):
    loan = set_overdue(make_loan(people), "M3+")
    return open_case(loan, assignee=collections_officer, bucket="M3+", track=Track.LEGAL)


@pytest.mark.parametrize("key", sorted(BAD_FILES))
def test_write_off_evidence_refuses_it(client, collections_officer, case, key):
    client.force_login(collections_officer)
    response = client.post(
        reverse("collection:writeoff_request", args=[case.pk]),
        {
            "writeoff-ground": "dead_or_missing",
            "writeoff-reason": "借款人死亡",
            "writeoff-evidence_death": bad_file(key),
            "writeoff-evidence_pursuit": SimpleUploadedFile("ok.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 200  # the form again, with the refusal; nothing stored
    assert not WriteOffRequest.objects.exists()


def test_a_png_header_before_html_is_stored_but_served_as_an_image_never_as_a_page(
    client, loan_officer, draft_application
):
    """A polyglot passes the content check (it starts like a PNG); it must never be rendered as
    HTML: it is served with its sniffed type and `nosniff`."""
    client.force_login(loan_officer)
    polyglot = SimpleUploadedFile("scan.html", b"\x89PNG\r\n\x1a\n" + HTML, "text/html")
    client.post(
        reverse("applications:document_upload", args=[draft_application.pk]),
        {"kind": "id_card", "file": polyglot},
    )
    document = draft_application.documents.get()
    response = client.get(
        reverse("applications:document_download", args=[draft_application.pk, document.pk])
    )
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_valuation_report_is_never_served_as_html(client, loan_officer, draft_application):
    client.force_login(loan_officer)
    data = {k: v for k, v in collateral_data(draft_application).items() if v is not None}
    report = SimpleUploadedFile("report.html", b"%PDF-1.4\n" + HTML, "text/html")
    client.post(
        reverse("collateral:add", args=[draft_application.pk]),
        {**data, "valuation_report": report},
    )
    collateral = Collateral.objects.get(application=draft_application)
    response = client.get(
        reverse("collateral:valuation_report", args=[draft_application.pk, collateral.pk])
    )
    assert "html" not in response["Content-Type"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_count_the_hostile_uploads():
    endpoints = 3  # application documents, collateral valuation report, write-off evidence
    tried = len(BAD_FILES) * (endpoints + 1)  # + the shared check itself
    print(
        f"\nhostile_uploads_tried {tried} ({len(BAD_FILES)} files x {endpoints} endpoints + unit)"
    )
    write_count("hostile_uploads_tried", tried)
    write_count("upload_endpoints_checked", endpoints)
