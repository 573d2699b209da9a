"""Reads for intake and survey: who may see which customer and application, and the queues."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from loancenter.roles import (
    APPROVER,
    AUDITOR,
    DIRECTOR,
    DISBURSEMENT_SUPERVISOR,
    HEAD_OFFICE,
    INVESTIGATOR,
    MORTGAGE_REGISTRAR,
    REVIEWER,
    has_role,
    user_role_codes,
)

from .identity import normalize_id_number
from .models import (
    Customer,
    EscalationLevel,
    LoanApplication,
    LoanApplicationUserObjectPermission,
    Status,
    SurveyConfirmation,
)

# Applications waiting in a role's shared pool may be opened by anyone holding that role.
POOLS = {
    INVESTIGATOR: Q(status=Status.SUBMITTED),
    REVIEWER: Q(status=Status.REVIEWING),
    APPROVER: Q(status=Status.APPROVING),
    DIRECTOR: Q(status=Status.APPROVING)
    | Q(status=Status.ESCALATED, escalation_level=EscalationLevel.DIRECTOR),
    HEAD_OFFICE: Q(status=Status.ESCALATED, escalation_level=EscalationLevel.HEAD_OFFICE),
    MORTGAGE_REGISTRAR: Q(status=Status.REGISTERING),
    DISBURSEMENT_SUPERVISOR: Q(status__in=[Status.REGISTERING, Status.READY]),
}


def sees_everything(user) -> bool:
    return user.is_superuser or has_role(user, DIRECTOR, AUDITOR)


def sees_full_identity(user) -> bool:
    """Identity and phone numbers unmasked: the people who work with the customer."""
    return user.is_superuser or has_role(
        user, "loan_officer", INVESTIGATOR, REVIEWER, APPROVER, DIRECTOR, HEAD_OFFICE
    )


def _granted(user) -> Q:
    granted = LoanApplicationUserObjectPermission.objects.filter(
        user=user, content_object=OuterRef("pk"), permission__codename="view_loanapplication"
    )
    return Q(Exists(granted))


def visible_applications(user) -> QuerySet[LoanApplication]:
    applications = LoanApplication.objects.all()
    if sees_everything(user):
        return applications
    visible = Q(officer=user) | Q(investigator=user) | _granted(user)
    for role in user_role_codes(user):
        if role in POOLS:
            visible |= POOLS[role]
    return applications.filter(visible)


def visible_customers(user) -> QuerySet[Customer]:
    if sees_everything(user):
        return Customer.objects.all()
    applications = visible_applications(user).filter(customer=OuterRef("pk"))
    return Customer.objects.filter(Q(officer=user) | Q(Exists(applications)))


def application_for(user, pk) -> LoanApplication:
    """The application, or 404 for anyone who may not see it."""
    application = (
        visible_applications(user)
        .select_related("customer", "product", "officer", "investigator")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


def customer_for(user, pk) -> Customer:
    customer = visible_customers(user).select_related("officer").filter(pk=pk).first()
    if customer is None:
        raise Http404
    return customer


def _waiting_for(user) -> Q:
    """What needs this user's action now (我的待办)."""
    roles = user_role_codes(user)
    waiting = Q(officer=user, status__in=[Status.DRAFT, Status.RETURNED])
    not_confirmed = ~Q(
        Exists(SurveyConfirmation.objects.filter(application=OuterRef("pk"), investigator=user))
    )
    waiting |= Q(status=Status.SURVEYING) & (Q(officer=user) | Q(investigator=user)) & not_confirmed
    for role in roles:
        if role in POOLS:
            waiting |= POOLS[role]
    return waiting


def work_queue(
    user,
    *,
    search: str = "",
    status: str = "",
    product: str = "",
    scope: str = "todo",
    order: str = "-created_at",
) -> QuerySet[LoanApplication]:
    applications = visible_applications(user)
    if scope == "todo":
        applications = applications.filter(_waiting_for(user))
    if search := search.strip():
        applications = applications.filter(
            Q(number__icontains=search)
            | Q(customer__name__icontains=search)
            | Q(customer__id_number=normalize_id_number(search))
        )
    if status:
        applications = applications.filter(status=status)
    if product:
        applications = applications.filter(product__code=product)
    if order.lstrip("-") not in {"created_at", "amount", "submitted_at", "number"}:
        order = "-created_at"
    return applications.select_related("customer", "product", "officer").order_by(order, "-pk")


def todo_count(user) -> int:
    return visible_applications(user).filter(_waiting_for(user)).count()
