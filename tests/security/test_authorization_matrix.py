"""Issue 9 §1: the authorization matrix.

Every URL pattern of the URLconf is opened (GET) by every role, by an outsider loan officer who
owns nothing and by an anonymous visitor; each outcome is compared with the expected table in
``authorization.csv`` (url name, principal, expected). A URL without rows fails the test.

Outcomes: ``allow`` (2xx, or a 3xx that is not to the sign-in page), ``deny`` (403, 404 or a
redirect to the sign-in page) and ``post`` (405: the URL only takes POST, so a GET says nothing
about who may use it; the auditor test below POSTs to those). Anything else (a 500) always fails.

The objects behind ``<id:...>`` arguments come from the demo data (``seed_demo``: 25
applications in every state, accounts, cases, archive items, all owned by ``loan_officer``) and
a few rows the demo lacks. Regenerate the table from the current behaviour with
``AUTHZ_WRITE=1`` — then read every ``allow`` against RULES.md §1 before committing it.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from loancenter import roles

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_contract_pdfs")]

HERE = Path(__file__).parent
TABLE = HERE / "authorization.csv"
COUNTS = HERE / "counts" / "matrix.txt"
MISSING = 999_999_999  # an id no row has: the page must answer 404 to everyone
OUTSIDER, ANONYMOUS = "outsider", "anonymous"
PRINCIPALS = (*roles.ROLE_CODES, OUTSIDER, ANONYMOUS)

# URL patterns left out of the matrix, with the reason.
SKIPPED = {
    "admin:": "the Django admin: staff only, its own permissions (tests/loancenter/"
    "test_admin_pages)",
    "set_language": "Django's i18n language switch: POST only, changes a cookie, open by design",
    "healthz": "the load balancer's health probe: open by design, no data "
    "(tests/loancenter/test_health)",
    "static": "static files: served by whitenoise/the web server, public by design",
}


def record_count(name: str, value: int) -> None:
    """Write one ``name value`` line into counts/matrix.txt (the lead quotes them)."""
    COUNTS.parent.mkdir(exist_ok=True)
    lines = (
        dict(line.split(" ", 1) for line in COUNTS.read_text().splitlines() if " " in line)
        if COUNTS.exists()
        else {}
    )
    lines[name] = str(value)
    COUNTS.write_text("".join(f"{key} {val}\n" for key, val in sorted(lines.items())))
    print(f"{name} {value}")


# --- the URLconf ---------------------------------------------------------------------------


def url_patterns(resolver=None, namespace=""):
    """(name, URLPattern) for every named pattern, namespaces included, recursively."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or entry.lookup_str}", entry


def skipped(name: str) -> bool:
    return name.startswith("admin:") or name in SKIPPED


def checked_patterns() -> dict[str, URLPattern]:
    return {name: pattern for name, pattern in url_patterns() if not skipped(name)}


def read_table() -> dict[tuple[str, str], str]:
    with TABLE.open(newline="") as handle:
        return {(row["url"], row["principal"]): row["expected"] for row in csv.DictReader(handle)}


def test_every_url_pattern_has_a_row_for_every_principal():
    table = read_table()
    missing = [
        f"{name} × {who}"
        for name in checked_patterns()
        for who in PRINCIPALS
        if (name, who) not in table
    ]
    assert not missing, "add a row to authorization.csv for: " + ", ".join(missing)
    stale = sorted({name for name, _who in table} - set(checked_patterns()))
    assert not stale, f"authorization.csv names URLs that no longer exist: {stale}"
    assert set(table.values()) <= {"allow", "deny", "post"}


# --- the objects behind the arguments -------------------------------------------------------


def _first(queryset):
    row = queryset.order_by("pk").first()
    return row.pk if row else MISSING


def _child(queryset, parent_field):
    row = queryset.order_by("pk").first()
    return (getattr(row, f"{parent_field}_id"), row.pk) if row else (MISSING, MISSING)


def build_world(make_user):
    """The demo data, plus the rows the demo does not make; returns the users by principal."""
    from loancenter.demo import seed_all

    seed_all()
    users = {code: get_user_model().objects.get(username=code) for code in roles.ROLE_CODES}
    users[OUTSIDER] = make_user(OUTSIDER, roles.LOAN_OFFICER)
    users[ANONYMOUS] = None
    _add_missing_rows(users)
    return users


def _add_missing_rows(users):
    from archive.models import ArchiveItem, ItemStatus
    from archive.services.handover import record_inspection, start_handover
    from archive.services.retention import prepare_batch
    from loans.models import LoanAccount
    from loans.services import changes
    from reports.models import ReportKind, ReportRun
    from reports.rating import rerate_customer

    archivist, today = users[roles.ARCHIVIST], timezone.localdate()
    kept = ArchiveItem.objects.filter(status=ItemStatus.IN_CUSTODY, custodian=archivist)
    items = list(kept.order_by("pk")[:3])
    second = get_user_model().objects.get(username="archivist2")
    start_handover(user=archivist, to_custodian=second, items=items[:1], reason="岗位调整")
    record_inspection(
        user=archivist, inspected_on=today, scope="A101", findings="完好",
        problems_found=False, items=items[1:2],
    )  # fmt: skip
    ArchiveItem.objects.filter(pk=items[2].pk).update(retain_until=today - timedelta(days=1))
    prepare_batch(user=archivist, items=[items[2].pk])
    ReportRun.objects.create(
        kind=ReportKind.CLASSIFICATION, period_start=today.replace(day=1), period_end=today,
        requested_by=users[roles.DIRECTOR],
    )  # fmt: skip
    active = LoanAccount.objects.filter(status="active").order_by("pk").first()
    changes.request_change(
        user=users[roles.LOAN_OFFICER], account=active, kind="repayment_account",
        data={"effective_on": today, "reason": "借款人申请",
              "new_repayment_account": "6222020200199887766"},
    )  # fmt: skip
    rerate_customer(active.customer, notify=False)


def object_arguments() -> dict[str, dict]:
    """URL name → the kwargs that reach a real object (built by ``build_world``)."""
    from applications.models import ApplicationDocument, Guarantor, LoanApplication
    from archive import models as archive
    from collateral.models import Collateral, MortgageRegistration
    from collection import models as collection
    from loans.models import (
        ChangeRequest,
        ClassificationChange,
        LoanAccount,
        LoanContract,
        Repayment,
    )
    from reports.models import CreditRating, ReportRun

    apps = LoanApplication.objects

    def app(*states):
        return _first(apps.filter(status__in=states))

    secured = apps.filter(status="disbursed").annotate(n=Count("registrations")).filter(n__gt=0)
    done = _first(secured)
    draft = app("draft", "returned")
    account = _first(LoanAccount.objects.filter(application_id=done)) or _first(LoanAccount.objects)
    case = _first(collection.CollectionCase.objects.filter(claims__isnull=False))
    guarantor = _child(Guarantor.objects, "application")
    document = _child(ApplicationDocument.objects.filter(application_id=done), "application")
    collateral = _child(Collateral.objects, "application")
    repayment = _child(Repayment.objects, "account")
    claim = _child(collection.InsuranceClaim.objects, "case")
    lawsuit = _child(collection.LegalAction.objects, "case")
    evidence = _child(collection.WriteOffEvidence.objects, "request")
    line = _first(archive.DestructionLine.objects)
    registration = _first(MortgageRegistration.objects)
    item = _first(archive.ArchiveItem.objects.filter(status="in_custody", is_vital=False))
    vital = _first(archive.ArchiveItem.objects.filter(status="in_vault"))
    expected = _first(archive.ArchiveItem.objects.filter(status="expected"))
    return {
        "applications:detail": {"pk": done},
        "applications:edit": {"pk": draft},
        "applications:submit": {"pk": draft},
        "applications:withdraw": {"pk": draft},
        "applications:guarantor_add": {"pk": draft},
        "applications:guarantor_remove": {"pk": guarantor[0], "guarantor_pk": guarantor[1]},
        "applications:document_upload": {"pk": draft},
        "applications:document_download": {"pk": document[0], "document_pk": document[1]},
        "applications:survey_claim": {"pk": app("submitted")},
        "applications:survey_confirm": {"pk": app("surveying")},
        "applications:survey_pdf": {"pk": done},
        "applications:customer_detail": {"pk": apps.get(pk=done).customer_id},
        "applications:customer_edit": {"pk": apps.get(pk=done).customer_id},
        "review:review": {"pk": app("reviewing")},
        "review:decide": {"pk": app("approving")},
        "review:approval_sheet": {"pk": done},
        "collateral:add": {"pk": draft},
        "collateral:remove": {"pk": collateral[0], "collateral_pk": collateral[1]},
        "collateral:valuation_report": {"pk": collateral[0], "collateral_pk": collateral[1]},
        "collateral:policy_add": {"pk": draft},
        "collateral:notarisation_add": {"pk": draft},
        "collateral:registration_submit": {"registration_pk": registration},
        "collateral:registration_complete": {"registration_pk": registration},
        "collateral:registration_hand_over": {"registration_pk": registration},
        "collateral:registration_receive": {"registration_pk": registration},
        "loans:contracts_generate": {"pk": app("approved")},
        "loans:contracts_sign": {"pk": app("approved")},
        "loans:contract_pdf": {"pk": _first(LoanContract.objects.filter(application_id=done))},
        "loans:iou_pdf": {"pk": account},
        "loans:disburse": {"pk": app("ready")},
        "loans:account_detail": {"pk": account},
        "loans:account_statement_pdf": {"pk": account},
        "loans:account_statement_xlsx": {"pk": account},
        "loans:repayment_post": {"pk": account},
        "loans:repayment_receipt": {"pk": repayment[0], "repayment_pk": repayment[1]},
        "loans:repayment_receipt_pdf": {"pk": repayment[0], "repayment_pk": repayment[1]},
        "loans:account_changes": {"pk": account},
        "loans:change_request": {"pk": account},
        "loans:change_decide": {"change_pk": _first(ChangeRequest.objects)},
        "loans:account_classification": {"pk": account},
        "loans:clear_review_flag": {"pk": account},
        "loans:classification_decide": {"change_pk": _first(ClassificationChange.objects)},
        **{
            f"collection:{name}": {"pk": case}
            for name in (
                "case_detail",
                "action_record",
                "promise_record",
                "demand_letter",
                "recovery_record",
                "claim_file",
                "lawsuit_file",
                "writeoff_request",
            )
        },  # fmt: skip
        "collection:claim_outcome": {"pk": claim[0], "claim_pk": claim[1]},
        "collection:lawsuit_step": {"pk": lawsuit[0], "lawsuit_pk": lawsuit[1], "step": "judgment"},
        "collection:writeoff_detail": {"pk": evidence[0]},
        "collection:evidence_download": {"pk": evidence[0], "evidence_pk": evidence[1]},
        "collection:check_detail": {"pk": _first(collection.PostLoanCheck.objects)},
        "archive:dossier_detail": {"pk": _first(archive.Dossier.objects)},
        "archive:item_register": {"pk": _first(archive.Dossier.objects)},
        "archive:item_detail": {"pk": item},
        "archive:item_receive": {"pk": expected},
        "archive:item_move": {"pk": item},
        "archive:item_deposit": {"pk": vital},
        "archive:item_release": {"pk": vital},
        "archive:borrow_request": {"pk": item},
        "archive:movement_confirm": {"pk": _first(archive.VaultMovement.objects)},
        "archive:movement_cancel": {"pk": _first(archive.VaultMovement.objects)},
        **{
            f"archive:borrow_{name}": {"pk": _first(archive.BorrowRequest.objects)}
            for name in ("detail", "decide", "check_out", "return")
        },
        **{
            f"archive:handover_{name}": {"pk": _first(archive.Handover.objects)}
            for name in ("detail", "confirm", "cancel")
        },
        "archive:inspection_detail": {"pk": _first(archive.Inspection.objects)},
        **{
            f"archive:destruction_{name}": {"pk": _first(archive.DestructionBatch.objects)}
            for name in ("detail", "submit", "decide", "complete", "pdf")
        },
        "archive:destruction_check_line": {"line_pk": line},
        "reports:credit_file": {"pk": apps.get(pk=done).customer_id},
        "reports:rating_decide": {"pk": _first(CreditRating.objects)},
        **{
            f"reports:{name}": {"pk": _first(ReportRun.objects)}
            for name in ("report_run", "report_run_progress")
        },
        "reports:report_run_file": {"pk": _first(ReportRun.objects), "fmt": "pdf"},
    }


def url_for(name: str, pattern: URLPattern, arguments: dict) -> str:
    """The URL of a pattern: its object's kwargs, or MISSING ids and a dummy word."""
    kwargs = dict(arguments.get(name, {}))
    for key, converter in pattern.pattern.converters.items():
        if key not in kwargs:
            kwargs[key] = (
                "x" if type(converter).__name__ in ("StringConverter", "SlugConverter") else MISSING
            )
    return reverse(name, kwargs=kwargs or None)


# --- the matrix -----------------------------------------------------------------------------


def outcome(response) -> str:
    status = response.status_code
    if status in (403, 404):
        return "deny"
    if status == 405:
        return "post"
    if 300 <= status < 400:
        return (
            "deny" if response["Location"].startswith(resolve_url(settings.LOGIN_URL)) else "allow"
        )
    if 200 <= status < 300:
        return "allow"
    return f"error {status}"


def clients_for(users) -> dict[str, Client]:
    clients = {}
    for who, user in users.items():
        clients[who] = Client(raise_request_exception=False)
        if user is not None:
            clients[who].force_login(user)
    return clients


@pytest.fixture
def stub_pdfs(monkeypatch):
    """WeasyPrint is not what this test is about: every PDF renders as a stub (~1 s saved each)."""
    monkeypatch.setattr("loancenter.pdf.html_to_pdf", lambda html: b"%PDF-1.4\n%%EOF\n")


def test_every_url_answers_every_principal_as_the_table_says(make_user, stub_pdfs):
    users = build_world(make_user)
    clients = clients_for(users)
    arguments = object_arguments()
    observed = {}
    for name, pattern in checked_patterns().items():
        url = url_for(name, pattern, arguments)
        for who in PRINCIPALS:
            observed[(name, who)] = outcome(clients[who].get(url))
    if os.environ.get("AUTHZ_WRITE"):
        _write_table(observed)
    table = read_table()
    wrong = [
        f"{name} as {who}: expected {table.get((name, who), 'a row')}, got {got}"
        for (name, who), got in observed.items()
        if table.get((name, who)) != got
    ]
    record_count("authorization_urls", len(checked_patterns()))
    record_count("authorization_principals", len(PRINCIPALS))
    record_count("authorization_url_x_principal_checks", len(observed))
    print(Counter(observed.values()))
    assert not wrong, "\n".join(wrong)


def _write_table(observed):
    with TABLE.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["url", "principal", "expected"])
        for (name, who), got in observed.items():
            writer.writerow([name, who, got])
