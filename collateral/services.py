"""Collateral, insurance and notarisation records; mortgage registration (抵押办证岗)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from applications.catalog import SECURED_TYPES
from applications.models import Status
from loancenter import audit
from loancenter.errors import DomainError, PermissionRefused
from loancenter.parameters import parameter
from loancenter.roles import (
    ARCHIVIST,
    DISBURSEMENT,
    DISBURSEMENT_SUPERVISOR,
    LOAN_OFFICER,
    MORTGAGE_REGISTRAR,
    REGISTRATION,
    assert_separate_duties,
    has_role,
)
from loancenter.workflow import from_form_data, locked, require_role, transition

from .models import Collateral, InsurancePolicy, MortgageRegistration, Notarisation

# Collateral is recorded while the application is being prepared or surveyed.
COLLATERAL_STATES = (Status.DRAFT, Status.RETURNED, Status.SUBMITTED, Status.SURVEYING)
# Policies and notarisations arrive up to disbursement.
PAPER_STATES = (Status.APPROVED, Status.CONTRACTED, Status.REGISTERING, Status.READY)


def _own_application(user, application, states):
    require_role(user, LOAN_OFFICER)
    application = locked(application)
    if application.officer_id != user.pk:
        raise PermissionRefused(_("Only the application's own loan officer may do this."))
    if application.status not in states:
        raise DomainError(
            _("%(number)s is %(state)s; this cannot be recorded now.")
            % {"number": application.number, "state": application.get_status_display()}
        )
    return application


def add_collateral(*, user, application, data: dict, valuation_report=None) -> Collateral:
    with transaction.atomic():
        application = _own_application(user, application, COLLATERAL_STATES)
        collateral = from_form_data(Collateral, data, application=application, created_by=user)
        if valuation_report is not None:
            collateral.valuation_report.save(valuation_report.name, valuation_report, save=False)
        collateral.save()
        audit.record(
            actor=user,
            action="add_collateral",
            obj=application,
            role=LOAN_OFFICER,
            opinion=f"{collateral} {collateral.appraised_value:,.2f}",
        )
    return collateral


def remove_collateral(*, user, collateral) -> None:
    with transaction.atomic():
        application = _own_application(user, collateral.application, COLLATERAL_STATES)
        Collateral.objects.filter(pk=collateral.pk, application=application).delete()
        audit.record(
            actor=user,
            action="remove_collateral",
            obj=application,
            role=LOAN_OFFICER,
            opinion=str(collateral),
        )


def record_insurance_policy(*, user, application, data: dict) -> InsurancePolicy:
    with transaction.atomic():
        application = _own_application(user, application, (*COLLATERAL_STATES, *PAPER_STATES))
        policy = from_form_data(InsurancePolicy, data, application=application, recorded_by=user)
        policy.save()
        audit.record(
            actor=user,
            action="record_policy",
            obj=application,
            role=LOAN_OFFICER,
            opinion=str(policy),
        )
    return policy


def record_notarisation(*, user, application, data: dict) -> Notarisation:
    """The officer or the archivist (who handles notarisation paperwork) records it."""
    role = require_role(user, LOAN_OFFICER, ARCHIVIST)
    with transaction.atomic():
        application = locked(application)
        if application.status not in PAPER_STATES:
            raise DomainError(_("Notarisation is recorded between approval and disbursement."))
        notarisation = from_form_data(Notarisation, data, application=application, recorded_by=user)
        notarisation.save()
        audit.record(
            actor=user,
            action="record_notarisation",
            obj=application,
            role=role,
            opinion=str(notarisation),
        )
    return notarisation


# --- after signing: registration or straight to disbursement ----------------------------------


def after_contracts_signed(*, user, application) -> None:
    """Secured loans go to mortgage registration; the others are ready to disburse.

    Called by the signing service inside its transaction, with the application locked.
    """
    if application.security_type not in SECURED_TYPES:
        transition(
            application,
            "mark_ready",
            user=user,
            action="mark_ready",
            action_label=_("made ready to disburse"),
            role=LOAN_OFFICER,
        )
        return
    days = int(parameter("collateral.registration_days", 30))
    due_by = timezone.localdate() + timedelta(days=days)
    for collateral in application.collaterals.all():
        MortgageRegistration.objects.get_or_create(
            collateral=collateral, defaults={"application": application, "due_by": due_by}
        )
    transition(
        application,
        "start_registration",
        user=user,
        action="start_registration",
        action_label=_("sent to mortgage registration"),
        role=LOAN_OFFICER,
    )


def _registration_for(user, registration) -> MortgageRegistration:
    require_role(user, MORTGAGE_REGISTRAR)
    registration = locked(registration)
    if registration.application.status != Status.REGISTERING:
        raise DomainError(_("This application is not in mortgage registration."))
    assert_separate_duties(obj=registration.application, user=user, duty=REGISTRATION)
    return registration


def _audit_registration(user, registration, action, opinion):
    audit.record(
        actor=user,
        action=action,
        obj=registration.application,
        role=MORTGAGE_REGISTRAR,
        duty=REGISTRATION,
        opinion=f"{registration.collateral}: {opinion}",
    )


def submit_registration(*, user, registration, registry_office: str, submitted_on):
    if not registry_office.strip():
        raise DomainError(_("Name the registry office."))
    if submitted_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."))
    with transaction.atomic():
        registration = _registration_for(user, registration)
        registration.registrar = user
        _guarded(registration, "submit", registry_office.strip(), submitted_on)
        assign_perm("applications.view_loanapplication", user, registration.application)
        _audit_registration(user, registration, "submit_registration", registry_office)
    return registration


def complete_registration(*, user, registration, certificate_number: str, registered_on):
    if not certificate_number.strip():
        raise DomainError(_("Enter the certificate of other rights (他项权证) number."))
    if registered_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."))
    with transaction.atomic():
        registration = _registration_for(user, registration)
        if registration.submitted_on and registered_on < registration.submitted_on:
            raise DomainError(_("Registration cannot come before submission."))
        _guarded(registration, "register", certificate_number.strip(), registered_on)
        _audit_registration(user, registration, "complete_registration", certificate_number)
    return registration


def _guarded(registration, method_name, *args):
    from django_fsm import can_proceed

    method = getattr(registration, method_name)
    if not can_proceed(method):
        raise DomainError(
            _("The registration is %(state)s; this step does not apply.")
            % {"state": registration.get_status_display()}
        )
    method(*args)
    registration.save()


def hand_over_certificate(*, user, registration):
    """The registrar hands the certificate to the disbursement supervisor (first signature)."""
    with transaction.atomic():
        registration = _registration_for(user, registration)
        if registration.status != "registered":
            raise DomainError(_("Only a registered certificate can be handed over."))
        if registration.handed_over_at:
            raise DomainError(_("This certificate has already been handed over."))
        registration.handed_over_by, registration.handed_over_at = user, timezone.now()
        registration.save(update_fields=["handed_over_by", "handed_over_at"])
        _audit_registration(
            user, registration, "hand_over_certificate", registration.certificate_number
        )
    return registration


def confirm_certificate_received(*, user, registration):
    """The disbursement supervisor confirms receipt (second signature); when every certificate
    of the application is received, it is ready to disburse."""
    require_role(user, DISBURSEMENT_SUPERVISOR)
    with transaction.atomic():
        registration = locked(registration)
        application = locked(registration.application)
        if not registration.handed_over_at:
            raise DomainError(_("The registrar has not handed this certificate over yet."))
        if registration.received_at:
            raise DomainError(_("This certificate has already been received."))
        assert_separate_duties(obj=application, user=user, duty=DISBURSEMENT)
        registration.received_by, registration.received_at = user, timezone.now()
        registration.save(update_fields=["received_by", "received_at"])
        audit.record(
            actor=user,
            action="receive_certificate",
            obj=application,
            role=DISBURSEMENT_SUPERVISOR,
            opinion=registration.certificate_number,
        )
        if not application.registrations.filter(received_at__isnull=True).exists():
            transition(
                application,
                "mark_ready",
                user=user,
                action="mark_ready",
                action_label=_("made ready to disburse"),
                role=DISBURSEMENT_SUPERVISOR,
            )
    return registration


def may_register(user) -> bool:
    return has_role(user, MORTGAGE_REGISTRAR)
