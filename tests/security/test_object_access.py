"""Issue 9 §1: every object page, document download and PDF of one loan officer's customer
answers 404 to another loan officer (who owns nothing) while its owner gets it.

The objects come from the demo data (all owned by ``loan_officer``), as in the matrix test."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from loancenter import roles
from tests.security.test_authorization_matrix import (
    OUTSIDER,
    build_world,
    object_arguments,
    record_count,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_contract_pdfs")]

# URL name → what it is; each is opened by its owner (200) and by the outsider (404).
OBJECT_PAGES = {
    "applications:detail": "application page",
    "applications:document_download": "application document download",
    "applications:survey_pdf": "survey report PDF",
    "applications:customer_detail": "customer page",
    "applications:customer_edit": "customer edit page",
    "review:approval_sheet": "approval sheet PDF",
    "loans:contract_pdf": "contract PDF",
    "loans:iou_pdf": "IOU (借据) PDF",
    "loans:account_detail": "loan account page",
    "loans:account_statement_pdf": "statement PDF",
    "loans:account_statement_xlsx": "statement XLSX",
    "loans:repayment_receipt": "repayment receipt",
    "loans:repayment_receipt_pdf": "repayment receipt PDF",
    "loans:account_changes": "account changes page",
    "loans:account_classification": "account classification page",
    "collection:case_detail": "collection case page",
    "collection:writeoff_detail": "write-off page",
    "collection:evidence_download": "write-off evidence download",
    "collection:check_detail": "post-loan check page",
    "archive:dossier_detail": "archive dossier",
    "archive:item_detail": "archive item",
    "archive:borrow_detail": "borrowing page",
    "reports:credit_file": "customer credit file",
}


@pytest.fixture
def stub_pdfs(monkeypatch):
    monkeypatch.setattr("loancenter.pdf.html_to_pdf", lambda html: b"%PDF-1.4\n%%EOF\n")


@pytest.fixture
def world(make_user, stub_pdfs):
    users = build_world(make_user)
    clients = {}
    for who in (roles.LOAN_OFFICER, OUTSIDER, roles.DIRECTOR):
        clients[who] = Client()
        clients[who].force_login(users[who])
    return users, clients, object_arguments()


def test_another_officers_objects_answer_404_and_the_owner_gets_them(world):
    _users, clients, arguments = world
    owner, outsider = clients[roles.LOAN_OFFICER], clients[OUTSIDER]
    wrong = []
    for name, label in OBJECT_PAGES.items():
        url = reverse(name, kwargs=arguments[name])
        mine, theirs = owner.get(url).status_code, outsider.get(url).status_code
        if (mine, theirs) != (200, 404):
            wrong.append(f"{label} ({url}): owner {mine}, other officer {theirs}")
    checks = len(OBJECT_PAGES)
    checks += _check_demand_letter(clients, arguments, wrong)
    checks += _check_labels_and_ledger(clients, arguments, wrong)
    checks += _check_report_files(world, wrong)
    record_count("object_access_checks", checks)
    assert not wrong, "\n".join(wrong)


def _check_demand_letter(clients, arguments, wrong) -> int:
    """The demand letter is a POST that answers a PDF: 404 for the other officer."""
    url = reverse("collection:demand_letter", kwargs=arguments["collection:case_detail"])
    pay_by = (timezone.localdate() + timezone.timedelta(days=15)).isoformat()
    status = clients[OUTSIDER].post(url, {"demand-pay_by": pay_by}).status_code
    if status != 404:
        wrong.append(f"demand letter ({url}): other officer {status}")
    return 1


def _check_labels_and_ledger(clients, arguments, wrong) -> int:
    """Labels by dossier answer 404; by item the other officer gets no label; the ledger PDF
    lists only what the reader may see."""
    from archive.models import ArchiveItem

    item = arguments["archive:item_detail"]["pk"]
    dossier = ArchiveItem.objects.get(pk=item).dossier_id
    labels = reverse("archive:labels_pdf")
    for who, query, expected in (
        (roles.LOAN_OFFICER, {"dossier": dossier}, 200),
        (OUTSIDER, {"dossier": dossier}, 404),
        (roles.LOAN_OFFICER, {"item": item}, 200),
        (OUTSIDER, {"item": item}, 302),  # "choose the items": nothing of theirs to print
    ):
        status = clients[who].get(labels, query).status_code
        if status != expected:
            wrong.append(f"labels {query} as {who}: {status}, expected {expected}")
    from archive import selectors

    officer_rows = selectors.search_items(_user(clients, roles.LOAN_OFFICER))
    outsider_rows = selectors.search_items(_user(clients, OUTSIDER))
    if not officer_rows.filter(pk=item).exists() or outsider_rows.exists():
        wrong.append("the ledger's rows (search_items) show the other officer's items")
    return 5


def _user(clients, who):
    from django.contrib.auth import get_user_model

    username = who if who != OUTSIDER else OUTSIDER
    return get_user_model().objects.get(username=username)


def _check_report_files(world, wrong) -> int:
    """A report run's page and files: the director's, never a loan officer's."""
    from reports.models import ReportRun, ReportStatus

    users, clients, _arguments = world
    run = ReportRun.objects.order_by("pk").first()
    run.pdf.save("report.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    run.status, run.progress = ReportStatus.DONE, 100
    run.save()
    count = 0
    for name, kwargs in (
        ("reports:report_run", {"pk": run.pk}),
        ("reports:report_run_file", {"pk": run.pk, "fmt": "pdf"}),
    ):
        url = reverse(name, kwargs=kwargs)
        for who, expected in ((roles.DIRECTOR, 200), (roles.LOAN_OFFICER, 404), (OUTSIDER, 404)):
            status = clients[who].get(url).status_code
            count += 1
            if status != expected:
                wrong.append(f"{name} as {who}: {status}, expected {expected}")
    return count
