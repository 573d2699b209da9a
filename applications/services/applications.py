from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loancenter import audit
from loancenter.errors import DomainError, PermissionRefused, RuleViolations
from loancenter.roles import INVESTIGATION, LOAN_OFFICER
from loancenter.sequences import next_number
from loancenter.workflow import locked, require_role, transition, validated

from .. import rules
from ..documents import inspect_upload
from ..models import ApplicationDocument, CreditWarning, Guarantor, LoanApplication, Status
from .survey import survey_is_complete

APPLICATION_FIELDS = LoanApplication.EDITABLE_FIELDS


def _own_editable(user, application) -> LoanApplication:
    require_role(user, LOAN_OFFICER)
    application = locked(application)
    if application.officer_id != user.pk:
        raise PermissionRefused(_("Only the application's own loan officer may do this."))
    return application


def _require_editable(application):
    if not application.is_editable:
        raise DomainError(
            _("%(number)s is %(state)s and can no longer be changed.")
            % {"number": application.number, "state": application.get_status_display()}
        )


def _apply_terms(application, data):
    for field in APPLICATION_FIELDS:
        if field in data:
            setattr(application, field, data[field])
    application.lpr_rate, application.annual_rate = rules.rate_for(
        application.product, application.rate_spread_bp
    )


def create_application(*, user, customer, data: dict) -> LoanApplication:
    """A draft; the officer who creates it is its first investigator (双人调查)."""
    require_role(user, LOAN_OFFICER)
    if customer.officer_id != user.pk:
        raise PermissionRefused(_("You may open applications only for your own customers."))
    if CreditWarning.is_listed(customer.id_number):
        raise DomainError(
            _("The customer is on the bank's credit warning list; no application may be opened.")
        )
    with transaction.atomic():
        application = LoanApplication(customer=customer, officer=user)
        _apply_terms(application, data)
        application.number = next_number(f"GD{timezone.localdate():%Y}")
        validated(application).save()
        audit.record(
            actor=user,
            action="create",
            obj=application,
            role=LOAN_OFFICER,
            duty=INVESTIGATION,
            to_state=application.status,
        )
    return application


def update_application(*, user, application, data: dict) -> LoanApplication:
    with transaction.atomic():
        application = _own_editable(user, application)
        _require_editable(application)
        _apply_terms(application, data)
        validated(application).save()
        audit.record(actor=user, action="update", obj=application, role=LOAN_OFFICER)
    return application


def add_guarantor(*, user, application, data: dict) -> Guarantor:
    with transaction.atomic():
        application = _own_editable(user, application)
        _require_editable(application)
        guarantor = validated(Guarantor(application=application, **data), exclude=["application"])
        guarantor.save()
        audit.record(
            actor=user,
            action="add_guarantor",
            obj=application,
            role=LOAN_OFFICER,
            opinion=guarantor.name,
        )
    return guarantor


def remove_guarantor(*, user, guarantor) -> None:
    with transaction.atomic():
        application = _own_editable(user, guarantor.application)
        _require_editable(application)
        name = guarantor.name
        Guarantor.objects.filter(pk=guarantor.pk, application=application).delete()
        audit.record(
            actor=user,
            action="remove_guarantor",
            obj=application,
            role=LOAN_OFFICER,
            opinion=name,
        )


def upload_document(*, user, application, kind: str, uploaded) -> ApplicationDocument:
    content_type, sha256 = inspect_upload(uploaded)
    with transaction.atomic():
        application = _own_editable(user, application)
        if not application.is_open:
            raise DomainError(_("Documents can be added only while the application is open."))
        document = ApplicationDocument(
            application=application,
            kind=kind,
            original_name=uploaded.name[:200],
            content_type=content_type,
            size=uploaded.size,
            sha256=sha256,
            uploaded_by=user,
        )
        document.file.save(uploaded.name, uploaded, save=False)
        validated(document, exclude=["file"]).save()
        audit.record(
            actor=user,
            action="upload_document",
            obj=application,
            role=LOAN_OFFICER,
            opinion=f"{document.get_kind_display()}: {document.original_name}",
        )
    return document


def submit_application(*, user, application) -> LoanApplication:
    """Every rule of RULES.md §2 is checked; all problems are reported together."""
    with transaction.atomic():
        application = _own_editable(user, application)
        _require_editable(application)
        problems = rules.check_submission(application)
        if problems:
            raise RuleViolations(problems)
        application.submitted_at = timezone.now()
        # A return after a complete survey goes straight back to review.
        method = "submit"
        if application.status == Status.RETURNED and survey_is_complete(application):
            method = "resubmit_for_review"
        transition(
            application,
            method,
            user=user,
            action=method,
            action_label=_("submitted"),
            role=LOAN_OFFICER,
            duty=INVESTIGATION,
        )
    return application


def withdraw_application(*, user, application, reason: str) -> LoanApplication:
    if not reason.strip():
        raise DomainError(_("Give the reason for withdrawing."))
    with transaction.atomic():
        application = _own_editable(user, application)
        transition(
            application,
            "withdraw",
            user=user,
            action="withdraw",
            action_label=_("withdrawn"),
            role=LOAN_OFFICER,
            opinion=reason,
        )
    return application
