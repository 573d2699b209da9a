from applications.models import Status
from loancenter.roles import DISBURSEMENT, DISBURSEMENT_SUPERVISOR, has_conflicting_duty, has_role

from .forms_disbursement import DisbursementForm
from .preconditions import preconditions

SHOWN_IN = (Status.CONTRACTED, Status.REGISTERING, Status.READY)


def may_disburse(user, application) -> bool:
    return (
        application.status == Status.READY
        and has_role(user, DISBURSEMENT_SUPERVISOR)
        and not has_conflicting_duty(obj=application, user=user, duty=DISBURSEMENT)
    )


def disbursement_panel(user, application):
    """The pre-condition list before disbursement, with the form for the supervisor."""
    if application.status not in SHOWN_IN:
        return None
    conditions = preconditions(application)
    allowed = may_disburse(user, application)
    return {
        "conditions": conditions,
        "all_met": all(condition.met for condition in conditions),
        "form": DisbursementForm(auto_id="disburse_%s") if allowed else None,
    }
