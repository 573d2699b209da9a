"""Every list and detail page makes as many queries with 50 rows as with 5 (DESIGN.md: "a page
makes a fixed number of queries whatever the number of rows").

Each page is rendered through the test client by a user allowed to see it, with 5 of the rows
it lists and again after 45 more were added; the SQL of the second rendering of each (the first
one warms the caches: content types, sessions) is captured and the counts compared. A page
that queries once per row fails with both counts and the statements that differ.

``PAGES`` holds one entry per URL name of a list or detail page: who views it, what its rows
are and how they are built (``tests/perf/pages_*.py``). ``EXCLUDED`` holds every other URL
name with the reason; a URL added to an urlconf without a place in either fails
``test_every_page_is_in_the_table``.

Paginated lists show 20 to 50 rows a page: with 50 rows the first page is full, so a list with
25 a page compares 5 rows with 25 (and its pagination bar).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from . import pages_archive as archive
from . import pages_front as front
from . import pages_loans as loans
from .world import make_world

FEW, MANY = 5, 50


@dataclass(frozen=True)
class Page:
    kind: str  # "list" or "detail"
    viewer: str  # the World attribute of the user who opens it
    rows: str  # what the page lists
    build: Callable  # build(world) -> (url, add); add(count) adds count more rows
    page_size: int | None = None  # rows a page, for paginated lists


def _list(viewer, rows, build, page_size=None):
    return Page("list", viewer, rows, build, page_size)


def _detail(viewer, rows, build):
    return Page("detail", viewer, rows, build)


PAGES: dict[str, Page] = {
    # --- loancenter
    "audit_log": _list("auditor", "audit events", front.audit_log, 50),
    "inbox": _list("officer", "notifications", front.inbox, 30),
    # --- applications
    "applications:queue": _list("officer", "draft applications (my queue)", front.queue, 25),
    "applications:customer_list": _list("officer", "customers", front.customer_list, 25),
    "applications:customer_detail": _detail(
        "officer", "the customer's applications", front.customer_detail
    ),
    "applications:detail": _detail(
        "officer",
        "documents, guarantors, timeline, opinions, decisions, collateral with registrations, "
        "contracts, notarisations, archive papers (a ready housing loan with account and case)",
        front.application_detail,
    ),
    # --- review
    "review:review": _detail("reviewer", "earlier review opinions", front.review_page),
    "review:decide": _detail("approver", "review opinions", front.decide_page),
    # --- collateral
    "collateral:queue": _list(
        "registrar", "mortgage registrations (ledger)", front.registration_ledger, 25
    ),
    # --- loans
    "loans:account_list": _list("officer", "loan accounts", loans.account_list, 25),
    "loans:account_detail": _detail("officer", "installments and repayments", loans.account_detail),
    "loans:repayment_receipt": _detail(
        "officer", "the repayment's allocations", loans.repayment_receipt
    ),
    "loans:account_changes": _detail("officer", "change requests", loans.account_changes),
    "loans:change_request": _detail(
        "officer", "earlier change requests under the form", loans.change_request
    ),
    "loans:change_queue": _list("reviewer", "change requests to review", loans.change_queue, 25),
    "loans:change_decide": _detail(
        "reviewer", "none (one request; N other requests on the loan)", loans.change_decide
    ),
    "loans:account_classification": _detail(
        "director", "classification changes", loans.account_classification
    ),
    "loans:classification_queue": _list(
        "director", "pending classification changes", loans.classification_queue, 25
    ),
    "loans:disbursement_queue": _list(
        "supervisor",
        "applications ready to disburse, with pre-conditions",
        loans.disbursement_queue,
        25,
    ),
    "loans:contracts_sign": _detail("officer", "contracts to sign", loans.contracts_sign),
    "loans:sweep_runs": _list("director", "sweep runs", loans.sweep_runs, 30),
    # --- collection
    "collection:case_list": _list("collections", "open collection cases", loans.case_list, 25),
    "collection:case_detail": _detail(
        "collections",
        "actions, promises, claims, lawsuits, write-offs, recoveries, guarantors, timeline",
        loans.case_detail,
    ),
    "collection:writeoff_list": _list(
        "reviewer", "write-off requests to review", loans.writeoff_list, 25
    ),
    "collection:writeoff_detail": _detail(
        "reviewer", "evidence files and timeline", loans.writeoff_detail
    ),
    "collection:check_list": _list("officer", "post-loan checks due", loans.check_list, 25),
    "collection:check_detail": _detail("officer", "the loan's other checks", loans.check_detail),
    # --- archive
    "archive:search": _list("archivist", "archive items", archive.search, 25),
    "archive:expected": _list("archivist", "items expected", archive.expected, 25),
    "archive:dossier_detail": _detail("archivist", "the dossier's items", archive.dossier_detail),
    "archive:item_detail": _detail(
        "archivist", "custody events and destruction lists", archive.item_detail
    ),
    "archive:vault": _list(
        "archivist",
        "vault inventory, movements waiting and recent movements",
        archive.vault,
        25,
    ),
    "archive:borrow_queue": _list("archivist", "open borrowings", archive.borrow_queue, 25),
    "archive:my_borrowings": _list("officer", "my borrowings", archive.my_borrowings, 25),
    "archive:borrow_approvals": _list(
        "director", "borrowings of vital vouchers to approve", archive.borrow_approvals, 25
    ),
    "archive:borrow_detail": _detail("archivist", "vault movements", archive.borrow_detail),
    "archive:handovers": _list(
        "archivist", "hand-overs (and those waiting)", archive.handovers, 25
    ),
    "archive:handover_new": _list(
        "archivist", "items in my custody beside the form", archive.handover_new, 50
    ),
    "archive:handover_detail": _detail("archivist", "items handed over", archive.handover_detail),
    "archive:inspections": _list("archivist", "inspections", archive.inspections, 25),
    "archive:inspection_detail": _detail("archivist", "items inspected", archive.inspection_detail),
    "archive:retention_due": _list(
        "archivist", "items due for destruction", archive.retention_due, 50
    ),
    "archive:destruction_list": _list(
        "archivist", "destruction lists", archive.destruction_list, 25
    ),
    "archive:destruction_detail": _detail(
        "archivist", "lines of the list", archive.destruction_detail
    ),
    # --- reports
    "reports:credit_file": _detail(
        "officer",
        "applications with scores, loan accounts, ratings, timeline",
        front.credit_file,
    ),
    "reports:rating_queue": _list("reviewer", "proposed ratings", front.rating_queue, 25),
    "reports:rating_decide": _detail(
        "reviewer", "breakdown lines and the customer's earlier ratings", front.rating_decide
    ),
    "reports:validation_report": _list(
        "director", "scored loan accounts (grouped by grade)", front.validation_report
    ),
    "reports:report_runs": _list("director", "report runs", front.report_runs, 20),
    "reports:report_run": _detail("director", "none (one run; N other runs)", front.report_run),
    "reports:report_run_progress": _detail(
        "director", "none (the run page's polled part; N other runs)", front.report_run_progress
    ),
    "reports:dashboard": _list(
        "director",
        "approvals waiting, escalations (20 at most each) and officers with targets",
        front.dashboard,
    ),
}

FORM = "a form page: no list of rows"
POST = "POST action (redirects)"
EXCLUDED: dict[str, str] = {
    "home": "the landing page: roles and links, no rows",
    "healthz": "JSON health check",
    "login": "sign-in form",
    "logout": "sign-out (POST)",
    "password_change": FORM,
    "set_language": "language switch (POST)",
    "applications:create": FORM,
    "applications:edit": FORM,
    "applications:customer_create": FORM,
    "applications:customer_edit": FORM,
    "applications:survey_confirm": FORM,
    "applications:submit": POST,
    "applications:withdraw": POST,
    "applications:guarantor_add": POST,
    "applications:guarantor_remove": POST,
    "applications:document_upload": POST,
    "applications:survey_claim": POST,
    "applications:document_download": "file download",
    "applications:survey_pdf": "PDF",
    "review:approval_sheet": "PDF",
    "collateral:add": POST,
    "collateral:remove": POST,
    "collateral:policy_add": POST,
    "collateral:notarisation_add": POST,
    "collateral:registration_submit": POST,
    "collateral:registration_complete": POST,
    "collateral:registration_hand_over": POST,
    "collateral:registration_receive": POST,
    "collateral:valuation_report": "file download",
    "loans:contracts_generate": POST,
    "loans:contract_pdf": "PDF",
    "loans:iou_pdf": "PDF",
    "loans:disburse": POST,
    "loans:account_statement_pdf": "PDF",
    "loans:account_statement_xlsx": "XLSX download",
    "loans:repayment_post": POST,
    "loans:repayment_receipt_pdf": "PDF",
    "loans:calculator": "the repayment calculator: a form, no database rows",
    "loans:clear_review_flag": POST,
    "loans:classification_decide": POST,
    "loans:sweep_run_now": POST,
    "collection:action_record": POST,
    "collection:promise_record": POST,
    "collection:demand_letter": "POST answering with a PDF",
    "collection:recovery_record": POST,
    "collection:claim_file": POST,
    "collection:claim_outcome": POST,
    "collection:lawsuit_file": POST,
    "collection:lawsuit_step": POST,
    "collection:writeoff_request": POST,
    "collection:evidence_download": "file download",
    "archive:item_register": FORM,
    "archive:item_receive": POST,
    "archive:item_move": POST,
    "archive:ledger_pdf": "PDF",
    "archive:labels_pdf": "PDF",
    "archive:movement_confirm": POST,
    "archive:movement_cancel": POST,
    "archive:item_deposit": POST,
    "archive:item_release": POST,
    "archive:borrow_request": FORM,
    "archive:borrow_decide": POST,
    "archive:borrow_check_out": POST,
    "archive:borrow_return": POST,
    "archive:handover_confirm": POST,
    "archive:handover_cancel": POST,
    "archive:inspection_new": FORM,
    "archive:destruction_prepare": POST,
    "archive:destruction_submit": POST,
    "archive:destruction_decide": POST,
    "archive:destruction_check_line": POST,
    "archive:destruction_complete": POST,
    "archive:destruction_pdf": "PDF",
    "reports:report_run_file": "file download",
}


# --- the URL names of the app ----------------------------------------------------------------


def url_names(resolver=None, namespace="") -> set[str]:
    """Every named URL of the project's urlconfs (the Django admin's own pages aside)."""
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_page_is_in_the_table():
    names = url_names()
    missing = sorted(names - set(PAGES) - set(EXCLUDED))
    assert not missing, f"URL names neither measured in PAGES nor EXCLUDED: {missing}"
    stale = sorted((set(PAGES) | set(EXCLUDED)) - names)
    assert not stale, f"names in the table that no urlconf has: {stale}"
    assert not set(PAGES) & set(EXCLUDED)


# --- measuring --------------------------------------------------------------------------------

_LITERALS = re.compile(r"'(?:[^']|'')*'|\"s\d+_x\d+\"|\b\d+(?:\.\d+)?\b")
_LISTS = re.compile(r"\((?:\s*\?\s*,)+\s*\?\s*\)")


def _shape(sql: str) -> str:
    """A statement without its values, so that the same query for two rows compares equal."""
    return _LISTS.sub("(?, ...)", _LITERALS.sub("?", sql))


def _render(client, url) -> tuple[object, list[str]]:
    client.get(url)  # warm caches (content types, translations, the session)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response, [query["sql"] for query in captured.captured_queries]


def _difference(few: list[str], many: list[str]) -> str:
    counted_few, counted_many = Counter(map(_shape, few)), Counter(map(_shape, many))
    lines = []
    for shape in sorted(set(counted_few) | set(counted_many)):
        if counted_few[shape] != counted_many[shape]:
            text = shape if len(shape) < 500 else f"{shape[:160]} … {shape[-300:]}"
            lines.append(f"  {counted_few[shape]:>3} → {counted_many[shape]:>3}  {text}")
    return "\n".join(lines)


@pytest.fixture
def world(origination):
    return make_world()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_page_makes_as_many_queries_with_50_rows_as_with_5(name, world, client):
    page = PAGES[name]
    client.force_login(world.user(page.viewer))
    url, add = page.build(world)

    add(FEW)
    few_response, few = _render(client, url)
    add(MANY - FEW)
    many_response, many = _render(client, url)

    shown = f"{MANY}" if not page.page_size else f"{MANY} ({min(MANY, page.page_size)} on page 1)"
    print(f"QUERIES {name}: {len(few)} with {FEW} rows, {len(many)} with {shown}")  # for -s
    assert len(many) == len(few), (
        f"{name} ({url}) as {page.viewer}: {len(few)} queries with {FEW} rows "
        f"({page.rows}), {len(many)} with {shown}. Statements whose count differs:\n"
        + _difference(few, many)
    )
    if page.kind == "list" or "none" not in page.rows:
        # the rows are on the page: it grew
        assert len(many_response.content) > len(few_response.content), f"{name}: rows not shown"
