from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from applications.models import Status
from collateral import services
from collateral.models import MortgageRegistration
from collateral.selectors import loan_to_value
from collateral.tasks import remind_overdue_registrations
from loancenter.errors import (
    DomainError,
    PermissionRefused,
    RuleViolations,
    SeparationOfDutiesError,
)
from loancenter.models import AuditEvent, Notification, Parameter
from review import services as review_services
from tests.origination import collateral_data, draft, review_data, surveyed
from tests.servicing import approved, registered, signed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _defaults(origination):
    pass


@pytest.fixture
def housing(loan_officer, investigator, reviewer, approver):
    return signed(approved(loan_officer, investigator, reviewer, approver), loan_officer)


def test_loan_to_value_is_the_amount_over_the_appraised_total(loan_officer):
    application = draft(loan_officer, amount=Decimal("800000"))
    assert loan_to_value(application, application.amount) == Decimal("62.50")
    services.add_collateral(
        user=loan_officer,
        application=application,
        data=collateral_data(
            application, certificate_number="第二套", appraised_value=Decimal("720000")
        ),
    )
    assert loan_to_value(application, application.amount) == Decimal("40.00")


def test_a_secured_loan_cannot_be_submitted_without_collateral(loan_officer):
    from applications import services as application_services
    from tests.origination import upload_required_documents

    application = draft(loan_officer, with_collateral=False)
    upload_required_documents(loan_officer, application)
    with pytest.raises(RuleViolations, match="登记押品"):
        application_services.submit_application(user=loan_officer, application=application)


def test_the_reviewer_cannot_agree_above_the_products_loan_to_value(
    loan_officer, investigator, reviewer
):
    application = surveyed(loan_officer, investigator)  # collateral appraised at 1.6 × amount
    limit_amount = (application.collaterals.get().appraised_value * Decimal("0.8")).quantize(
        Decimal("0.01")
    )
    with pytest.raises(RuleViolations, match="抵贷比为 80.01%,本产品上限为 80.00%"):
        review_services.review_application(
            user=reviewer,
            application=application,
            data=review_data(application, proposed_amount=limit_amount + Decimal("100")),
        )
    review_services.review_application(
        user=reviewer,
        application=application,
        data=review_data(application, proposed_amount=limit_amount),
    )


def test_only_the_own_officer_records_collateral_and_only_before_review(
    loan_officer, other_officer, investigator
):
    application = draft(loan_officer)
    with pytest.raises(PermissionRefused):
        services.add_collateral(
            user=other_officer, application=application, data=collateral_data(application)
        )
    application = surveyed(loan_officer, investigator)
    with pytest.raises(DomainError, match="现在不能登记"):
        services.add_collateral(
            user=loan_officer, application=application, data=collateral_data(application)
        )


def test_signing_a_secured_loan_opens_a_registration_due_in_the_configured_days(
    loan_officer, investigator, reviewer, approver
):
    Parameter.objects.filter(key="collateral.registration_days").update(value=Decimal("15"))
    application = signed(approved(loan_officer, investigator, reviewer, approver), loan_officer)
    assert application.status == Status.REGISTERING
    registration = application.registrations.get()
    assert registration.due_by == timezone.localdate() + timedelta(days=15)


def test_an_unsecured_loan_is_ready_once_signed(loan_officer, investigator, reviewer, approver):
    application = approved(
        loan_officer,
        investigator,
        reviewer,
        approver,
        product_code="CONSUMER",
        amount=Decimal("100000"),
        term_months=24,
        security_type="credit",
    )
    assert signed(application, loan_officer).status == Status.READY


def test_the_registration_walks_to_a_received_certificate_and_the_loan_is_ready(
    housing, mortgage_registrar, disbursement_supervisor
):
    application = registered(housing, mortgage_registrar, disbursement_supervisor)
    registration = application.registrations.get()
    assert registration.status == "registered"
    assert registration.received_by == disbursement_supervisor
    assert application.status == Status.READY
    actions = set(
        AuditEvent.objects.filter(object_id=str(application.pk)).values_list("action", flat=True)
    )
    assert {
        "submit_registration",
        "complete_registration",
        "hand_over_certificate",
        "receive_certificate",
        "mark_ready",
    } <= actions


def test_registration_steps_are_refused_out_of_order_and_with_bad_input(
    housing, mortgage_registrar, disbursement_supervisor
):
    registration = housing.registrations.get()
    with pytest.raises(DomainError, match="不能办理此步骤"):
        services.complete_registration(
            user=mortgage_registrar,
            registration=registration,
            certificate_number="X",
            registered_on=date(2026, 11, 25),
        )
    with pytest.raises(DomainError, match="登记机关"):
        services.submit_registration(
            user=mortgage_registrar,
            registration=registration,
            registry_office=" ",
            submitted_on=date(2026, 11, 21),
        )
    with pytest.raises(DomainError, match="尚未移交"):
        services.confirm_certificate_received(
            user=disbursement_supervisor, registration=registration
        )


def test_only_registrars_register(housing, reviewer):
    with pytest.raises(PermissionRefused):
        services.submit_registration(
            user=reviewer,
            registration=housing.registrations.get(),
            registry_office="某登记中心",
            submitted_on=date(2026, 11, 21),
        )


def test_a_registrar_who_reviewed_the_loan_may_not_register_it(
    loan_officer, investigator, approver, make_user
):
    # the per-user rule forbids the two roles together, so this person reviewed under an old
    # role: the per-object rule still refuses them from the audit trail
    person = make_user("former_reviewer", "reviewer")
    application = signed(approved(loan_officer, investigator, person, approver), loan_officer)
    person.groups.clear()
    person.groups.add(Group.objects.get(name="mortgage_registrar"))
    with pytest.raises(SeparationOfDutiesError):
        services.submit_registration(
            user=person,
            registration=application.registrations.get(),
            registry_office="某登记中心",
            submitted_on=date(2026, 11, 21),
        )


def test_overdue_registrations_remind_the_registrars_once_a_day(housing, mortgage_registrar):
    MortgageRegistration.objects.filter(application=housing).update(
        due_by=timezone.localdate() - timedelta(days=1)
    )
    assert remind_overdue_registrations() == 1
    assert remind_overdue_registrations() == 0  # not twice the same day
    note = Notification.objects.get(recipient=mortgage_registrar)
    assert housing.number in note.message and "已逾期" in note.message
    assert AuditEvent.objects.filter(action="registration_overdue", actor=None).count() == 1
