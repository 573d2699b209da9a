"""授权审批: who may approve how much, and where an application goes above that."""

from __future__ import annotations

from django.db.models import Q

from applications.models import EscalationLevel
from loancenter.roles import APPROVER, DIRECTOR, HEAD_OFFICE

from .models import AuthorityLimit

# Who decides at each step, and where the application goes when the amount is above them.
NEXT_LEVEL = {
    APPROVER: EscalationLevel.DIRECTOR,
    DIRECTOR: EscalationLevel.HEAD_OFFICE,
    HEAD_OFFICE: None,
}


def limit_for(user, product, role: str) -> AuthorityLimit | None:
    """The highest limit in force for ``user`` acting as ``role`` on ``product``.

    A limit given to the user in person applies whatever role they act in; a role's limit
    applies only when they act in that role.
    """
    return (
        AuthorityLimit.objects.filter(is_active=True)
        .filter(Q(user=user) | Q(group__name=role, group__user=user))
        .filter(Q(product=product) | Q(product__isnull=True))
        .order_by("-max_amount", "pk")
        .first()
    )


def acting_role_for(user, application) -> str | None:
    """The deciding role this user takes on the application in its current state."""
    from applications.models import Status
    from loancenter.roles import has_role

    if application.status == Status.APPROVING:
        for role in (APPROVER, DIRECTOR):
            if has_role(user, role):
                return role
    if application.status == Status.ESCALATED:
        role = application.escalation_level
        if role and has_role(user, role):
            return role
    return None
