from applications.models import Status
from loancenter.roles import APPROVAL, REVIEW, REVIEWER, has_conflicting_duty, has_role

from .authority import acting_role_for, limit_for
from .scoring import latest_score


def review_actions(user, application) -> set[str]:
    actions = set()
    if (
        application.status == Status.REVIEWING
        and has_role(user, REVIEWER)
        and not has_conflicting_duty(obj=application, user=user, duty=REVIEW)
    ):
        actions.add("review")
    if acting_role_for(user, application) and not has_conflicting_duty(
        obj=application, user=user, duty=APPROVAL
    ):
        actions.add("decide")
    return actions


def review_panel(user, application) -> dict:
    role = acting_role_for(user, application)
    return {
        "review_actions": review_actions(user, application),
        "opinions": application.review_opinions.select_related("reviewer"),
        "decisions": application.approval_decisions.select_related("decided_by", "authority_limit"),
        "my_limit": limit_for(user, application.product, role) if role else None,
        "score": latest_score(application),
    }
