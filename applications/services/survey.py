"""双人调查: the loan officer and an investigator, two different people, each confirm the survey."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from loancenter import audit
from loancenter.errors import DomainError, PermissionRefused, SeparationOfDutiesError
from loancenter.roles import INVESTIGATION, INVESTIGATOR, LOAN_OFFICER, assert_separate_duties
from loancenter.workflow import locked, require_role, transition, validated

from .. import rules
from ..events import survey_completed
from ..models import LoanApplication, Status, SurveyConfirmation

CONFIRMATION_FIELDS = SurveyConfirmation.EDITABLE_FIELDS


def _sampling_draw() -> float:
    return secrets.SystemRandom().random()


def survey_is_complete(application: LoanApplication) -> bool:
    people = set(application.survey_confirmations.values_list("investigator_id", flat=True))
    return {application.officer_id, application.investigator_id} <= people and len(people) >= 2


def claim_survey(*, user, application, draw: float | None = None) -> LoanApplication:
    """An investigator takes a submitted application; on-site sampling is decided now."""
    require_role(user, INVESTIGATOR)
    with transaction.atomic():
        application = locked(application)
        if application.officer_id == user.pk:
            raise SeparationOfDutiesError(
                _("Two-person survey: the loan officer cannot also be the second investigator.")
            )
        assert_separate_duties(obj=application, user=user, duty=INVESTIGATION)
        application.investigator = user
        draw = _sampling_draw() if draw is None else draw
        application.onsite_survey_required = rules.onsite_survey_required(application, draw)
        note = (
            _("On-site survey required")
            if application.onsite_survey_required
            else _("On-site survey not drawn by sampling")
        )
        transition(
            application,
            "start_survey",
            user=user,
            action="claim_survey",
            action_label=_("taken for survey"),
            role=INVESTIGATOR,
            duty=INVESTIGATION,
            opinion=f"{note} ({application.product.onsite_survey_percent}%)",
        )
        assign_perm("applications.view_loanapplication", user, application)
    return application


def _acting_role(user, application) -> str:
    if user.pk == application.officer_id:
        return LOAN_OFFICER
    if user.pk == application.investigator_id:
        return INVESTIGATOR
    raise PermissionRefused(
        _("Only the loan officer and the assigned investigator confirm this survey.")
    )


def _check_confirmation(application, data) -> None:
    if data["interview_date"] > timezone.localdate():
        raise DomainError(_("The interview date cannot be in the future."))
    if application.onsite_survey_required and not data.get("onsite_visit_done"):
        raise DomainError(_("This application requires an on-site visit before confirming."))
    if data.get("recommended_amount") and data["recommended_amount"] > application.amount:
        raise DomainError(_("The recommended amount cannot exceed the amount applied for."))


def confirm_survey(*, user, application, data: dict) -> SurveyConfirmation:
    with transaction.atomic():
        application = locked(application)
        role = _acting_role(user, application)
        if application.status != Status.SURVEYING:
            raise DomainError(
                _("%(number)s is %(state)s, not under survey.")
                % {"number": application.number, "state": application.get_status_display()}
            )
        if application.survey_confirmations.filter(investigator=user).exists():
            raise DomainError(_("You have already confirmed this survey."))
        assert_separate_duties(obj=application, user=user, duty=INVESTIGATION)
        _check_confirmation(application, data)
        confirmation = SurveyConfirmation(
            application=application,
            investigator=user,
            acting_role=role,
            payment_to_income_percent=rules.payment_to_income(application),
            **{field: data[field] for field in CONFIRMATION_FIELDS if field in data},
        )
        validated(confirmation, exclude=["application", "investigator"]).save()
        audit.record(
            actor=user,
            action="confirm_survey",
            obj=application,
            role=role,
            duty=INVESTIGATION,
            opinion=f"{confirmation.get_recommendation_display()}: {confirmation.opinion}",
        )
        if survey_is_complete(application):
            survey_completed.send(sender=LoanApplication, application=application)
            transition(
                application,
                "complete_survey",
                user=user,
                action="complete_survey",
                action_label=_("sent to review"),
                role=role,
                duty=INVESTIGATION,
            )
    return confirmation
