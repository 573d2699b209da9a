"""Which actions a user may take on an application now: the page offers only those."""

from loancenter.roles import (
    INVESTIGATION,
    INVESTIGATOR,
    LOAN_OFFICER,
    has_conflicting_duty,
    has_role,
)

from .models import Status


def available_actions(user, application) -> set[str]:
    actions: set[str] = set()
    own = application.officer_id == user.pk and has_role(user, LOAN_OFFICER)
    if own and application.is_editable:
        actions |= {"edit", "submit", "guarantors"}
    if own and application.is_open:
        actions |= {"withdraw", "upload"}
    if (
        application.status == Status.SUBMITTED
        and has_role(user, INVESTIGATOR)
        and not own
        and not has_conflicting_duty(obj=application, user=user, duty=INVESTIGATION)
    ):
        actions.add("claim_survey")
    if (
        application.status == Status.SURVEYING
        and user.pk in (application.officer_id, application.investigator_id)
        and not application.survey_confirmations.filter(investigator=user).exists()
    ):
        actions.add("confirm_survey")
    return actions
