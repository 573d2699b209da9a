"""Audit integrity: every transition of every state machine, enumerated from django-fsm's
metadata, is driven through the service that performs it, and leaves exactly one audit row with
its from and to states. A transition that no driver covers, and that is not listed below with a
reason, fails the test by name. (UPDATE and DELETE on the audit table failing on PostgreSQL is
tests/loancenter/test_audit.py::test_postgresql_refuses_update_and_delete_of_audit_rows.)"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_fsm import FSMFieldMixin

from applications import services as application_services
from applications.services.survey import claim_survey, confirm_survey
from collection.services import writeoff
from loancenter.models import AuditEvent
from loancenter.repayment import add_months
from loans.services.disbursement import disburse
from loans.services.repayments import post_repayment
from loans.sweep.runner import run_sweep
from review import services as review_services
from tests.collection.builders import evidence, make_loan, open_case, set_overdue
from tests.origination import (
    decision_data,
    draft,
    id_number,
    make_customer,
    review_data,
    reviewed,
    submitted,
    survey_data,
    surveyed,
    upload_required_documents,
)
from tests.security.test_log_privacy import record_count
from tests.servicing import approved, consumer_account, registered, signed

pytestmark = pytest.mark.django_db

# Declared by a model but performed by no service today: the test fails when one of these
# gains a service (so it gets a driver) or disappears from the model.
NO_SERVICE: dict = {}  # every transition of the models has a service that performs it
# Not driven here for lack of time (their own suites drive them); listed so that the gap is
# visible and a new transition still fails.
# Transitions whose audit row is written, but not on the object itself or without its from
# state: reported to the lead (see the report), not fixed here.
AUDITED_ELSEWHERE = {
    ("MortgageRegistration", "submit", "pending"): "on the application, no from/to state",
    ("MortgageRegistration", "register", "submitted"): "on the application, no from/to state",
    ("ChangeRequest", "complete", "pending_review"): "on the account, to_state only",
    ("ChangeRequest", "complete", "pending_approval"): "on the account, to_state only",
    ("ChangeRequest", "pass_review", "pending_review"): "on the account, to_state only",
    ("ChangeRequest", "reject", "pending_review"): "on the account, to_state only",
    ("ChangeRequest", "reject", "pending_approval"): "on the account, to_state only",
}
NOT_DRIVEN_YET = {
    ("MortgageRegistration", "release", "registered"),
    ("ArchiveItem", "check_out", "in_custody"),
    ("ArchiveItem", "check_out", "in_vault"),
    ("ArchiveItem", "deposit", "expected"),
    ("ArchiveItem", "deposit", "on_loan"),
    ("ArchiveItem", "destroy", "in_custody"),
    ("ArchiveItem", "destroy", "in_vault"),
    ("ArchiveItem", "give_back", "on_loan"),
    ("ArchiveItem", "receive", "expected"),
    ("ArchiveItem", "release", "in_custody"),
    ("ArchiveItem", "release", "in_vault"),
    ("DestructionBatch", "approve", "pending_approval"),
    ("DestructionBatch", "complete", "approved"),
    ("DestructionBatch", "reject", "pending_approval"),
    ("DestructionBatch", "submit", "draft"),
    ("CreditRating", "confirm", "proposed"),
    ("CreditRating", "reject", "proposed"),
    ("CreditRating", "supersede", "proposed"),
}


def all_transitions() -> set[tuple[str, str, str, str]]:
    found = set()
    for model in apps.get_models():
        for field in model._meta.fields:
            if isinstance(field, FSMFieldMixin):
                for t in field.get_all_transitions(model):
                    found.add((model.__name__, t.name, t.source, t.target))
    return found


@dataclass
class Expect:
    """After ``act`` runs, ``obj`` has exactly these state-changing audit rows, in order."""

    obj: object
    steps: list[tuple[str, str, str]]  # (transition, from, to)


DRIVERS = {}  # name -> (function(people) -> (act, [Expect]), the steps it covers)


def driver(name, *covers):
    def register(fn):
        DRIVERS[name] = (fn, set(covers))
        return fn

    return register


# --- the application (LoanApplication.status) --------------------------------------------------
A = "LoanApplication"


def _withdraw(app, p):
    def act():
        application_services.withdraw_application(
            user=p["officer"], application=app, reason="客户不再需要贷款"
        )

    return act, [Expect(app, [(A, "withdraw", app.status)])]


def _at(state, p):
    """An application in ``state``, built through the services."""
    o, i, r = p["officer"], p["investigator"], p["reviewer"]
    if state == "draft":
        return draft(o)
    if state == "submitted":
        return submitted(o)
    if state == "surveying":
        return claim_survey(user=i, application=submitted(o), draw=0.99)
    if state == "reviewing":
        return surveyed(o, i)
    if state == "approving":
        return reviewed(o, i, r)
    if state == "escalated":
        app = reviewed(o, i, r, amount=Decimal("1500000"))
        _decide(app, p["approver"])
        return app
    if state == "returned":
        app = surveyed(o, i)
        review_services.review_application(
            user=r, application=app, data=review_data(app, decision="return", text="补充流水")
        )
        app.refresh_from_db()
        return app
    raise AssertionError(state)


def _decide(app, user, decision="approve"):
    review_services.decide_application(
        user=user, application=app, data=decision_data(app, decision=decision)
    )
    app.refresh_from_db()


for _state in (
    "draft",
    "submitted",
    "surveying",
    "reviewing",
    "approving",
    "escalated",
    "returned",
):

    @driver(f"withdraw from {_state}", (A, "withdraw", _state))
    def _drive(p, state=_state):
        return _withdraw(_at(state, p), p)


@driver("submit a draft", (A, "submit", "draft"))
def _(p):
    app = draft(p["officer"])
    upload_required_documents(p["officer"], app)

    def act():
        application_services.submit_application(user=p["officer"], application=app)

    return act, [Expect(app, [(A, "submit", "draft")])]


@driver(
    "resubmit a returned application whose survey stands", (A, "resubmit_for_review", "returned")
)
def _(p):
    app = _at("returned", p)

    def act():
        application_services.submit_application(user=p["officer"], application=app)

    return act, [Expect(app, [(A, "resubmit_for_review", "returned")])]


@driver("resubmit a returned application before its survey", (A, "submit", "returned"))
def _(p):
    app = _at("returned", p)
    app.survey_confirmations.all().delete()  # a return before the survey was complete

    def act():
        application_services.submit_application(user=p["officer"], application=app)

    return act, [Expect(app, [(A, "submit", "returned")])]


@driver("claim the survey", (A, "start_survey", "submitted"))
def _(p):
    app = submitted(p["officer"])

    def act():
        claim_survey(user=p["investigator"], application=app, draw=0.99)

    return act, [Expect(app, [(A, "start_survey", "submitted")])]


@driver("the second survey confirmation", (A, "complete_survey", "surveying"))
def _(p):
    app = _at("surveying", p)
    confirm_survey(user=p["officer"], application=app, data=survey_data(app))

    def act():
        confirm_survey(user=p["investigator"], application=app, data=survey_data(app))

    return act, [Expect(app, [(A, "complete_survey", "surveying")])]


for _decision, _method in (("agree", "pass_review"), ("return", "return_to_officer")):

    @driver(f"review: {_decision}", (A, _method, "reviewing"))
    def _drive(p, decision=_decision, method=_method):
        app = _at("reviewing", p)

        def act():
            review_services.review_application(
                user=p["reviewer"], application=app, data=review_data(app, decision=decision)
            )

        return act, [Expect(app, [(A, method, "reviewing")])]


for _source, _who in (("approving", "approver"), ("escalated", "director")):
    for _decision, _method in (
        ("approve", "approve"),
        ("reject", "reject"),
        ("return", "return_to_officer"),
    ):

        @driver(f"decide from {_source}: {_decision}", (A, _method, _source))
        def _drive(p, source=_source, who=_who, decision=_decision, method=_method):
            app = _at(source, p)

            def act():
                _decide(app, p[who], decision)

            return act, [Expect(app, [(A, method, source)])]


@driver("escalate above the approver's limit", (A, "escalate", "approving"))
def _(p):
    app = reviewed(p["officer"], p["investigator"], p["reviewer"], amount=Decimal("1500000"))

    def act():
        _decide(app, p["approver"])

    return act, [Expect(app, [(A, "escalate", "approving")])]


@driver("escalate above the director's limit", (A, "escalate", "escalated"))
def _(p):
    customer = make_customer(
        p["officer"], id_number=id_number(date(1995, 3, 1), 321), monthly_income=Decimal("1e5")
    )
    app = reviewed(
        p["officer"],
        p["investigator"],
        p["reviewer"],
        amount=Decimal("5000000"),
        term_months=360,
        customer=customer,
    )
    _decide(app, p["approver"])

    def act():
        _decide(app, p["director"])

    return act, [Expect(app, [(A, "escalate", "escalated")])]


def _approved(p, **overrides):
    return approved(p["officer"], p["investigator"], p["reviewer"], p["approver"], **overrides)


@driver(
    "sign a secured loan's contracts",
    (A, "sign_contracts", "approved"),
    (A, "start_registration", "contracted"),
)
def _(p):
    app = _approved(p)
    return lambda: signed(app, p["officer"]), [
        Expect(app, [(A, "sign_contracts", "approved"), (A, "start_registration", "contracted")])
    ]


@driver(
    "sign an unsecured loan's contracts",
    (A, "sign_contracts", "approved"),
    (A, "mark_ready", "contracted"),
)
def _(p):
    app = _approved(
        p,
        product_code="CONSUMER",
        customer=make_customer(p["officer"]),
        security_type="credit",
        amount=Decimal("100000.00"),
        term_months=12,
    )
    return lambda: signed(app, p["officer"]), [
        Expect(app, [(A, "sign_contracts", "approved"), (A, "mark_ready", "contracted")])
    ]


@driver(
    "register the mortgage and hand over the certificate",
    (A, "mark_ready", "registering"),
)
def _(p):
    app = signed(_approved(p), p["officer"])
    expected = [Expect(app, [(A, "mark_ready", "registering")])]
    return lambda: registered(app, p["registrar"], p["supervisor"]), expected


@driver("disburse", (A, "disburse", "ready"))
def _(p):
    app = registered(signed(_approved(p), p["officer"]), p["registrar"], p["supervisor"])

    def act():
        disburse(
            user=p["supervisor"],
            application=app,
            value_date=date.today(),
            repayment_account="6222020200112233445",
        )

    return act, [Expect(app, [(A, "disburse", "ready")])]


# --- the loan account (LoanAccount.status) -----------------------------------------------------
L = "LoanAccount"


def _consumer(p, **kwargs):
    return consumer_account(
        p["officer"], p["investigator"], p["reviewer"], p["approver"], p["supervisor"], **kwargs
    )


def _first_due(account):
    return account.installments.order_by("due_date").first()


@driver("the sweep finds an installment unpaid", (L, "mark_overdue", "active"))
def _(p):
    account = _consumer(p)
    day = _first_due(account).due_date + timedelta(days=3)
    return lambda: run_sweep(business_date=day), [Expect(account, [(L, "mark_overdue", "active")])]


@driver("a repayment clears the arrears", (L, "cure", "overdue"))
def _(p):
    # the posting brings the account up to today: the loan's only arrears are three days old
    today = timezone.localdate()
    account = _consumer(p, penalty_free=True, value_date=add_months(today, -1) - timedelta(3))
    first = _first_due(account)
    day = today
    run_sweep(business_date=day)
    account.refresh_from_db()

    def act():
        post_repayment(
            user=p["officer"],
            account=account,
            amount=first.principal_due + first.interest_due,
            paid_on=day,
            channel="transfer",
            reference="AUDIT-CURE",
        )

    return act, [Expect(account, [(L, "cure", "overdue")])]


@driver("the last installment is paid", (L, "settle", "active"))
def _(p):
    today = timezone.localdate()
    account = _consumer(
        p, amount=Decimal("10000.00"), term_months=1, value_date=add_months(today, -1)
    )
    first = _first_due(account)

    def act():
        post_repayment(
            user=p["officer"],
            account=account,
            amount=first.principal_due + first.interest_due,
            paid_on=first.due_date,
            channel="transfer",
            reference="AUDIT-SETTLE",
        )

    return act, [Expect(account, [(L, "settle", "active")])]


@driver("the last arrears of an overdue loan are paid", (L, "settle", "overdue"))
def _(p):
    today = timezone.localdate()
    account = _consumer(
        p,
        amount=Decimal("10000.00"),
        term_months=1,
        value_date=add_months(today, -1) - timedelta(days=5),
        penalty_free=True,
    )
    run_sweep(business_date=today)
    account.refresh_from_db()
    first = _first_due(account)

    def act():
        post_repayment(
            user=p["officer"],
            account=account,
            amount=first.principal_due + first.interest_due,
            paid_on=today,
            channel="transfer",
            reference="AUDIT-SETTLE-LATE",
        )

    return act, [Expect(account, [(L, "settle", "overdue")])]


# --- write-off (WriteOffRequest.status, and LoanAccount write_off) ------------------------------
W = "WriteOffRequest"


def _write_off_request(p, *, stage="pending_review"):
    loan = set_overdue(make_loan(p), "M3+")
    case = open_case(loan, assignee=p["collections"], bucket="M3+", track="legal")
    request = writeoff.request_write_off(
        case=case,
        user=p["collections"],
        ground="enforcement_ended",
        reason="终结执行,无财产可供执行",
        evidence=evidence("judgment", "enforcement"),
    )
    if stage in ("pending_approval", "escalated"):
        writeoff.review_write_off(request=request, user=p["reviewer"], agree=True, opinion="齐全")
    if stage == "escalated":
        p["monkeypatch"].setattr(writeoff, "director_limit", lambda: Decimal("0"))
        writeoff.decide_write_off(request=request, user=p["director"], approve=True, opinion="上报")
    request.refresh_from_db()
    return loan, request


for _agree, _method in ((True, "pass_review"), (False, "reject")):

    @driver(f"write-off review agrees={_agree}", (W, _method, "pending_review"))
    def _drive(p, agree=_agree, method=_method):
        _loan, request = _write_off_request(p)

        def act():
            writeoff.review_write_off(
                request=request, user=p["reviewer"], agree=agree, opinion="审"
            )

        return act, [Expect(request, [(W, method, "pending_review")])]


for _source, _who in (("pending_approval", "director"), ("escalated", "head_office")):
    for _approve in (True, False):

        @driver(
            f"write-off decided from {_source} approve={_approve}",
            (W, "approve" if _approve else "reject", _source),
            *([(L, "write_off", "overdue")] if _approve else []),
        )
        def _drive(p, source=_source, who=_who, approve=_approve):
            loan, request = _write_off_request(p, stage=source)

            def act():
                writeoff.decide_write_off(
                    request=request, user=p[who], approve=approve, opinion="决定"
                )

            if not approve:
                return act, [Expect(request, [(W, "reject", source)])]
            return act, [
                Expect(request, [(W, "approve", source)]),
                Expect(loan, [(L, "write_off", "overdue")]),
            ]


@driver("write-off above the director's limit", (W, "escalate", "pending_approval"))
def _(p):
    _loan, request = _write_off_request(p, stage="pending_approval")
    p["monkeypatch"].setattr(writeoff, "director_limit", lambda: Decimal("0"))

    def act():
        writeoff.decide_write_off(request=request, user=p["director"], approve=True, opinion="上报")

    return act, [Expect(request, [(W, "escalate", "pending_approval")])]


# --- the test ----------------------------------------------------------------------------------


@pytest.fixture
def p(
    origination,
    monkeypatch,
    make_user,
    loan_officer,
    investigator,
    reviewer,
    approver,
    director,
    head_office,
    mortgage_registrar,
    disbursement_supervisor,
    collections_officer,
):
    return {
        "monkeypatch": monkeypatch,
        "officer": loan_officer,
        "investigator": investigator,
        "reviewer": reviewer,
        "approver": approver,
        "director": director,
        "head_office": head_office,
        "registrar": mortgage_registrar,
        "supervisor": disbursement_supervisor,
        "collections": collections_officer,
    }


def state_rows(obj, since):
    content_type = ContentType.objects.get_for_model(type(obj), for_concrete_model=False)
    return list(
        AuditEvent.objects.filter(pk__gt=since, content_type=content_type, object_id=str(obj.pk))
        .exclude(to_state="")
        .order_by("pk")
        .values_list("from_state", "to_state")
    )


@pytest.mark.parametrize("name", sorted(DRIVERS))
def test_each_transition_leaves_exactly_one_audit_row(name, p):
    fn, covers = DRIVERS[name]
    act, expectations = fn(p)
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    act()
    targets = {(m, t, s): target for m, t, s, target in all_transitions()}
    assert {step for expect in expectations for step in expect.steps} == covers
    for expect in expectations:
        wanted = [(source, targets[(m, t, source)]) for m, t, source in expect.steps]
        assert state_rows(expect.obj, since) == wanted, f"{name}: {expect.obj!r}"
        expect.obj.refresh_from_db()
        assert expect.obj.status == wanted[-1][1]


def test_every_transition_of_every_state_machine_has_a_driver():
    driven = set().union(*(covers for _fn, covers in DRIVERS.values()))
    every = {(m, t, s) for m, t, s, _target in all_transitions()}
    listed = set(NO_SERVICE) | set(AUDITED_ELSEWHERE) | NOT_DRIVEN_YET
    missing = every - driven - listed
    assert not missing, f"transitions without a driver: {sorted(missing)}"
    stale = listed - every
    assert not stale, f"listed transitions the models no longer have: {sorted(stale)}"
    overlap = driven & listed
    assert not overlap, f"driven now: take them off the lists: {sorted(overlap)}"
    unknown = driven - every
    assert not unknown, f"drivers claim transitions the models do not have: {sorted(unknown)}"
    record_count("fsm_transitions_enumerated", len(every))
    record_count("fsm_transitions_driven", len(driven))
    record_count("fsm_transitions_without_service", len(NO_SERVICE))
    record_count("fsm_transitions_audited_elsewhere", len(AUDITED_ELSEWHERE))
    record_count("fsm_transitions_not_driven_yet", len(NOT_DRIVEN_YET))
