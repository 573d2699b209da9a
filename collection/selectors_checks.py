"""Reads for post-loan checks: who sees which check, the officer's queue, overdue checks."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from loancenter.roles import AUDITOR, DIRECTOR, LOAN_OFFICER, has_role
from loans.models import AccountStatus

from .models import PostLoanCheck

OPEN_STATES = (AccountStatus.ACTIVE, AccountStatus.OVERDUE)
DUE, OVERDUE, DONE, ALL = "due", "overdue", "done", "all"
OPEN_CHECK = Q(done_on__isnull=True, account__status__in=OPEN_STATES)


def sees_all_checks(user) -> bool:
    return user.is_superuser or has_role(user, DIRECTOR, AUDITOR)


def reads_checks(user) -> bool:
    return sees_all_checks(user) or has_role(user, LOAN_OFFICER)


def visible_checks(user) -> QuerySet[PostLoanCheck]:
    if not getattr(user, "is_authenticated", False) or not reads_checks(user):
        return PostLoanCheck.objects.none()
    if sees_all_checks(user):
        return PostLoanCheck.objects.all()
    return PostLoanCheck.objects.filter(account__officer=user)


def check_list(user, *, show: str = DUE, today: date | None = None) -> QuerySet[PostLoanCheck]:
    """Open checks soonest due first (so the overdue ones lead), or the done ones latest first."""
    today = today or timezone.localdate()
    checks = visible_checks(user).select_related(
        "account__customer", "account__product", "account__officer", "done_by"
    )
    if show == DONE:
        return checks.filter(done_on__isnull=False).order_by("-done_on", "-pk")
    if show == OVERDUE:
        checks = checks.filter(OPEN_CHECK, due_on__lt=today)
    elif show == DUE:
        checks = checks.filter(OPEN_CHECK)
    return checks.order_by("due_on", "pk")


def check_for(user, pk) -> PostLoanCheck:
    check = (
        visible_checks(user)
        .select_related("account__customer", "account__product", "account__officer", "done_by")
        .filter(pk=pk)
        .first()
    )
    if check is None:
        raise Http404
    return check


def overdue_checks(today: date) -> QuerySet[PostLoanCheck]:
    return PostLoanCheck.objects.filter(OPEN_CHECK, due_on__lt=today)


def overdue_check_count(user) -> int:
    """The nav badge of a loan officer: their own checks past due."""
    if not has_role(user, LOAN_OFFICER):
        return 0
    return overdue_checks(timezone.localdate()).filter(account__officer=user).count()
