"""Issue 9 §2: the separation-of-duties matrix (RULES.md §1, DESIGN.md "Roles").

Each row is one pair of conflicting duties: a person who holds both roles does the first duty,
then attempts the second. The attempt through the service raises SeparationOfDutiesError; the
same attempt through HTTP (where the row names a page) shows that message on the page and writes
no audit row. The per-user rule (a mortgage registrar holds no reviewer, approver or supervisor
role) is attempted through the group membership itself.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from loancenter import roles
from loancenter.errors import PermissionRefused, SeparationOfDutiesError
from loancenter.models import AuditEvent
from tests.security.test_authorization_matrix import record_count

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("origination")]

LO, INV, REV, APR, DIR = (
    roles.LOAN_OFFICER,
    roles.INVESTIGATOR,
    roles.REVIEWER,
    roles.APPROVER,
    roles.DIRECTOR,
)
SUP, REG, ARC, COL = (
    roles.DISBURSEMENT_SUPERVISOR,
    roles.MORTGAGE_REGISTRAR,
    roles.ARCHIVIST,
    roles.COLLECTIONS_OFFICER,
)
TODAY = timezone.localdate()


@dataclass
class Attempt:
    user: object
    service: object  # a callable that must raise SeparationOfDutiesError
    url: str | None = None  # the page that makes the same attempt (POST)
    data: dict | None = None
    # 200: the page shows the refusal; 404: the page is not even offered to this person
    http_status: int = 200
    refusal: tuple = (SeparationOfDutiesError,)


# --- origination (one application) ----------------------------------------------------------


def _people(make_user):
    return {code: make_user(f"p_{code}", code) for code in (LO, INV, REV, APR, SUP)}


def officer_then_second_investigator(make_user):
    from applications.services import claim_survey
    from tests.origination import submitted

    both = make_user("both", LO, INV)
    application = submitted(both)
    return Attempt(
        both,
        lambda: claim_survey(user=both, application=application, draw=0.99),
        reverse("applications:survey_claim", args=[application.pk]),
        {},
    )


def _review_attempt(user, application):
    from review.services import review_application
    from tests.origination import review_data

    form = {
        "checks": ["documents_complete", "compliant"],
        "proposed_amount": str(application.amount),
        "proposed_term_months": str(application.term_months),
        "proposed_rate": str(application.annual_rate),
        "proposed_method": application.repayment_method,
        "decision": "agree",
        "text": "同意",
        "departure_reason": "按产品定价政策执行。",
    }
    return Attempt(
        user,
        lambda: review_application(
            user=user, application=application, data=review_data(application)
        ),
        reverse("review:review", args=[application.pk]),
        form,
        http_status=404,  # review.selectors hides it from one with a conflicting duty
    )


def _decide_attempt(user, application):
    from review.services import decide_application
    from tests.origination import decision_data

    form = {
        "decision": "approve",
        "amount": str(application.amount),
        "term_months": str(application.term_months),
        "annual_rate": str(application.annual_rate),
        "repayment_method": application.repayment_method,
        "security_type": application.security_type,
        "conditions": "无",
        "reasons": "同意",
    }
    return Attempt(
        user,
        lambda: decide_application(
            user=user, application=application, data=decision_data(application)
        ),
        reverse("review:decide", args=[application.pk]),
        form,
        http_status=404,
    )


def investigator_then_reviewer(make_user):
    from tests.origination import surveyed

    p, both = _people(make_user), make_user("both", INV, REV)
    return _review_attempt(both, surveyed(p[LO], both))


def investigator_then_approver(make_user):
    from tests.origination import reviewed

    p, both = _people(make_user), make_user("both", INV, APR)
    return _decide_attempt(both, reviewed(p[LO], both, p[REV]))


def reviewer_then_approver(make_user):
    from tests.origination import reviewed

    p, both = _people(make_user), make_user("both", REV, APR)
    return _decide_attempt(both, reviewed(p[LO], p[INV], both))


def _ready_consumer(p, **slots):
    from tests.origination import make_customer
    from tests.servicing import approved, signed

    people = {"investigator": p[INV], "reviewer": p[REV], "approver": p[APR], **slots}
    application = approved(
        p[LO], people["investigator"], people["reviewer"], people["approver"],
        product_code="CONSUMER", customer=make_customer(p[LO]), amount=Decimal("120000.00"),
        term_months=12, security_type="credit",
    )  # fmt: skip
    return signed(application, p[LO], signed_on=TODAY)


def _disburse_attempt(user, application):
    from loans.services.disbursement import disburse

    account = "6222020200112233445"
    return Attempt(
        user,
        lambda: disburse(
            user=user, application=application, value_date=TODAY, repayment_account=account
        ),
        reverse("loans:disburse", args=[application.pk]),
        {"value_date": TODAY.isoformat(), "repayment_account": account},
    )


def investigator_then_supervisor(make_user):
    p, both = _people(make_user), make_user("both", INV, SUP)
    return _disburse_attempt(both, _ready_consumer(p, investigator=both))


def reviewer_then_supervisor(make_user):
    p, both = _people(make_user), make_user("both", REV, SUP)
    return _disburse_attempt(both, _ready_consumer(p, reviewer=both))


def approver_then_supervisor(make_user):
    p, both = _people(make_user), make_user("both", APR, SUP)
    return _disburse_attempt(both, _ready_consumer(p, approver=both))


def _registering(p, **slots):
    from tests.servicing import approved, signed

    people = {"investigator": p[INV], "reviewer": p[REV], "approver": p[APR], **slots}
    application = approved(p[LO], people["investigator"], people["reviewer"], people["approver"])
    return signed(application, p[LO], signed_on=TODAY)


def _becomes(user, code):
    """Roles change over time: the person leaves one post and takes another."""
    user.groups.set(Group.objects.filter(name=code))
    user._role_codes = None


def _register_attempt(user, application):
    from collateral.services import submit_registration

    registration = application.registrations.order_by("pk").first()
    return Attempt(
        user,
        lambda: submit_registration(
            user=user, registration=registration, registry_office="北京市朝阳区不动产登记中心",
            submitted_on=TODAY,
        ),
    )  # fmt: skip


def reviewer_then_registrar(make_user):
    p = _people(make_user)
    application = _registering(p)
    _becomes(p[REV], REG)
    return _register_attempt(p[REV], application)


def approver_then_registrar(make_user):
    p = _people(make_user)
    application = _registering(p)
    _becomes(p[APR], REG)
    return _register_attempt(p[APR], application)


def registrar_then_supervisor(make_user):
    from collateral.services import (
        complete_registration,
        confirm_certificate_received,
        hand_over_certificate,
    )

    p, registrar = _people(make_user), make_user("registrar", REG)
    application = _registering(p)
    registration = application.registrations.order_by("pk").first()
    _register_attempt(registrar, application).service()
    complete_registration(
        user=registrar, registration=registration, registered_on=TODAY,
        certificate_number=f"京(2026)朝阳区不动产证明第{registration.pk:07d}号",
    )  # fmt: skip
    hand_over_certificate(user=registrar, registration=registration)
    _becomes(registrar, SUP)
    return Attempt(
        registrar,
        lambda: confirm_certificate_received(user=registrar, registration=registration),
        reverse("collateral:registration_receive", args=[registration.pk]),
        {},
    )


def _role_pair(other):
    def scenario(make_user):
        person = make_user("person", other)
        registrar = Group.objects.get(name=REG)
        return Attempt(person, lambda: person.groups.add(registrar))

    scenario.__name__ = f"registrar_and_{other}_roles"
    return scenario


# --- servicing, collection, archive ---------------------------------------------------------


def _loan(p, officer=None):
    from tests.collection.builders import make_loan

    people = {
        "officer": officer or p[LO], "investigator": p[INV], "reviewer": p[REV],
        "approver": p[APR], "supervisor": p[SUP],
    }  # fmt: skip
    return make_loan(people)


def _write_off_request(p, requester):
    from collection.models import Track
    from collection.services.writeoff import request_write_off
    from tests.collection.builders import evidence, open_case, set_overdue

    case = open_case(set_overdue(_loan(p), "M3+"), assignee=requester, bucket="M3+",
                     track=Track.LEGAL)  # fmt: skip
    return request_write_off(
        case=case, user=requester, ground="enforcement_ended", reason="终结执行,无财产可供执行",
        evidence=evidence("judgment", "enforcement"),
    )  # fmt: skip


def _write_off_attempt(user, request, decide=False):
    from collection.services import writeoff

    if decide:
        call = lambda: writeoff.decide_write_off(  # noqa: E731
            request=request, user=user, approve=True, opinion="同意"
        )
    else:
        call = lambda: writeoff.review_write_off(  # noqa: E731
            request=request, user=user, agree=True, opinion="同意"
        )
    url = reverse("collection:writeoff_detail", args=[request.pk])
    return Attempt(user, call, url, {"agree": "yes", "opinion": "同意"})


def write_off_requester_then_reviewer(make_user):
    p, both = _people(make_user), make_user("both", COL, REV)
    return _write_off_attempt(both, _write_off_request(p, both))


def write_off_requester_then_decider(make_user):
    from collection.services.writeoff import review_write_off

    p, both = _people(make_user), make_user("both", COL, DIR)
    request = _write_off_request(p, both)
    review_write_off(request=request, user=p[REV], agree=True, opinion="法律文书齐全")
    return _write_off_attempt(both, request, decide=True)


def write_off_reviewer_then_decider(make_user):
    from collection.services.writeoff import review_write_off

    p, both, asker = _people(make_user), make_user("both", REV, DIR), make_user("asker", COL)
    request = _write_off_request(p, asker)
    review_write_off(request=request, user=both, agree=True, opinion="法律文书齐全")
    return _write_off_attempt(both, request, decide=True)


def classification_requester_then_decider(make_user):
    from loans.services.classification import decide_classification, request_classification

    p, both = _people(make_user), make_user("both", LO, DIR)
    account = _loan(p, officer=both)
    change = request_classification(
        account=account, user=both, to_class="substandard", reason="借款人涉诉,经营停滞"
    )
    return Attempt(
        both,
        lambda: decide_classification(change=change, user=both, approve=True, opinion="同意"),
        reverse("loans:classification_decide", args=[change.pk]),
        {"decision": "approve", "opinion": "同意"},
    )


def borrowing_requester_then_approver(make_user):
    from archive.services.borrowing import decide_borrowing, request_borrowing
    from tests.archive.builders import received_item

    both = make_user("both", ARC)
    borrow = request_borrowing(
        item=received_item(), user=both, reason="贷后检查", return_by=TODAY + timedelta(days=7)
    )
    return Attempt(
        both,
        lambda: decide_borrowing(borrow=borrow, user=both, approve=True, note="同意"),
        reverse("archive:borrow_decide", args=[borrow.pk]),
        {"approve": "yes", "note": "同意"},
    )


def _batch(preparer):
    from archive.services.retention import prepare_batch, submit_batch
    from tests.archive.builders import received_item

    item = received_item(retain_until=TODAY - timedelta(days=30))
    return submit_batch(batch=prepare_batch(user=preparer, items=[item]), user=preparer)


def destruction_preparer_then_approver(make_user):
    from archive.services.retention import decide_batch

    both = make_user("both", ARC, DIR)
    batch = _batch(both)
    return Attempt(
        both,
        lambda: decide_batch(batch=batch, user=both, approve=True, opinion="同意销毁"),
        reverse("archive:destruction_decide", args=[batch.pk]),
        {"approve": "yes", "opinion": "同意销毁"},
    )


def _witness_attempt(user, batch):
    from archive.services.retention import check_line

    line = batch.lines.get()
    return Attempt(
        user,
        lambda: check_line(line=line, user=user),
        reverse("archive:destruction_check_line", args=[line.pk]),
        {},
    )


def destruction_preparer_then_witness(make_user):
    from archive.services.retention import decide_batch

    preparer, director = make_user("preparer", ARC), make_user("boss", DIR)
    batch = decide_batch(batch=_batch(preparer), user=director, approve=True, opinion="同意销毁")
    return _witness_attempt(preparer, batch)


def destruction_approver_then_witness(make_user):
    from archive.services.retention import decide_batch

    preparer, both = make_user("preparer", ARC), make_user("both", ARC, DIR)
    batch = decide_batch(batch=_batch(preparer), user=both, approve=True, opinion="同意销毁")
    return _witness_attempt(both, batch)


def vault_starter_then_confirmer(make_user):
    from archive.services.custody import confirm_movement, start_movement
    from tests.archive.builders import VAULT, vital_item

    both = make_user("both", ARC)
    movement = start_movement(
        item=vital_item(status="expected"), user=both, kind="deposit", purpose="入库",
        location=VAULT,
    )  # fmt: skip
    return Attempt(
        both,
        lambda: confirm_movement(movement=movement, user=both),
        reverse("archive:movement_confirm", args=[movement.pk]),
        {},
        refusal=(PermissionRefused,),  # "a second archivist must confirm with their own login"
    )


PAIRS = [
    officer_then_second_investigator,
    investigator_then_reviewer,
    investigator_then_approver,
    reviewer_then_approver,
    investigator_then_supervisor,
    reviewer_then_supervisor,
    approver_then_supervisor,
    reviewer_then_registrar,
    approver_then_registrar,
    registrar_then_supervisor,
    _role_pair(REV),
    _role_pair(APR),
    _role_pair(SUP),
    write_off_requester_then_reviewer,
    write_off_requester_then_decider,
    write_off_reviewer_then_decider,
    classification_requester_then_decider,
    borrowing_requester_then_approver,
    destruction_preparer_then_approver,
    destruction_preparer_then_witness,
    destruction_approver_then_witness,
    vault_starter_then_confirmer,
]


def test_the_matrix_counts_its_pairs():
    names = [scenario.__name__ for scenario in PAIRS]
    assert len(names) == len(set(names)) >= 22, "each conflicting pair once, all 22 of them"
    record_count("separation_of_duties_pairs", len(PAIRS))
    record_count("separation_of_duties_http_pairs", len(PAIRS) - 6)  # 3 role pairs, 3 registrations


@pytest.mark.parametrize("scenario", PAIRS, ids=lambda fn: fn.__name__)
def test_it_refuses_one_person_doing_both_duties(scenario, make_user, fast_contract_pdfs):
    attempt = scenario(make_user)
    with translation.override(settings.LANGUAGE_CODE), pytest.raises(attempt.refusal) as refused:
        attempt.service()
    message = str(refused.value.message)
    assert message
    if attempt.url is None:
        return
    client = Client()
    client.force_login(attempt.user)
    before = AuditEvent.objects.count()
    response = client.post(attempt.url, attempt.data, follow=True)
    assert response.status_code == attempt.http_status
    if attempt.http_status == 200:
        assert html.escape(message) in response.content.decode(), message
    assert AuditEvent.objects.count() == before
