"""Reads for the collection pages: who sees which case, the case queue, the case page and the
write-off queue. A page makes a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from django.db.models import DecimalField, ExpressionWrapper, F, Prefetch, Q, QuerySet
from django.http import Http404

from applications.identity import normalize_id_number
from loancenter import audit
from loancenter.roles import (
    AUDITOR,
    COLLECTIONS_OFFICER,
    DIRECTOR,
    HEAD_OFFICE,
    LOAN_OFFICER,
    REVIEWER,
    has_role,
)

from .models import (
    CaseStatus,
    ClaimStatus,
    CollectionCase,
    WriteOffEvidence,
    WriteOffRequest,
    WriteOffStatus,
)
from .services.access import amount_owed, available_actions, recovered
from .services.claims import policy_of
from .services.writeoff import OPEN_STATES
from .sweep_cases import close_reason_label

# Roles that see every case; a loan officer sees the cases of their own loans.
SEES_ALL_CASES = (COLLECTIONS_OFFICER, DIRECTOR, REVIEWER, AUDITOR, HEAD_OFFICE)
CASE_ROLES = (*SEES_ALL_CASES, LOAN_OFFICER)
WRITE_OFF_ROLES = (REVIEWER, DIRECTOR, HEAD_OFFICE, AUDITOR, COLLECTIONS_OFFICER)
AMOUNT = DecimalField(max_digits=16, decimal_places=2)
# What waits for each deciding role.
WAITING = {
    REVIEWER: WriteOffStatus.PENDING_REVIEW,
    DIRECTOR: WriteOffStatus.PENDING_APPROVAL,
    HEAD_OFFICE: WriteOffStatus.ESCALATED,
}


def sees_all_cases(user) -> bool:
    return user.is_superuser or has_role(user, *SEES_ALL_CASES)


def may_use_cases(user) -> bool:
    return getattr(user, "is_authenticated", False) and (
        user.is_superuser or has_role(user, *CASE_ROLES)
    )


def visible_cases(user) -> QuerySet[CollectionCase]:
    if not may_use_cases(user):
        return CollectionCase.objects.none()
    if sees_all_cases(user):
        return CollectionCase.objects.all()
    return CollectionCase.objects.filter(Q(account__officer=user) | Q(assignee=user))


def may_see_case(user, case) -> bool:
    """The rule of visible_cases for a case in hand (its account loaded)."""
    if not may_use_cases(user):
        return False
    return sees_all_cases(user) or user.pk in (case.account.officer_id, case.assignee_id)


def case_for(user, pk) -> CollectionCase:
    """The case with its account, customer and people, or 404 for anyone who may not see it."""
    case = (
        visible_cases(user)
        .select_related(
            "account__customer",
            "account__product",
            "account__officer",
            "account__application",
            "assignee",
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_list(
    user, *, bucket: str = "", track: str = "", status: str = "open", search: str = ""
) -> QuerySet[CollectionCase]:
    cases = visible_cases(user)
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    if bucket:
        cases = cases.filter(bucket=bucket)
    if track:
        cases = cases.filter(track=track)
    if search := search.strip():
        cases = cases.filter(
            Q(account__number__icontains=search)
            | Q(account__customer__name__icontains=search)
            | Q(account__customer__id_number=normalize_id_number(search))
        )
    charges = ExpressionWrapper(
        F("account__overdue_interest") + F("account__penalty_outstanding"), output_field=AMOUNT
    )
    return (
        cases.select_related("account__customer", "account__officer", "assignee")
        .annotate(overdue_charges=charges)
        .order_by("-account__days_past_due", "pk")
    )


def case_page(user, case) -> dict:
    """Everything the case page shows, and which forms it offers ``user``."""
    account = case.account
    claims = list(case.claims.select_related("filed_by", "repayment"))
    write_offs = list(
        case.write_offs.select_related(
            "requested_by", "reviewed_by", "decided_by"
        ).prefetch_related(
            Prefetch("evidence", queryset=WriteOffEvidence.objects.order_by("kind", "pk"))
        )
    )
    policy = policy_of(account)
    case.close_reason_label = close_reason_label(case.close_reason) if case.close_reason else ""
    return {
        "case": case,
        "account": account,
        "owed": amount_owed(account),
        "recovered": recovered(account),
        "policy": policy,
        "actions": case.actions.select_related("done_by"),
        "promises": case.promises.select_related("recorded_by"),
        "claims": claims,
        "lawsuits": list(case.lawsuits.select_related("filed_by")),
        "write_offs": write_offs,
        "recoveries": account.recoveries.select_related("recorded_by"),
        "guarantors": list(account.application.guarantors.order_by("pk")),
        "events": audit.events_for(case),
        "allowed": available_actions(
            user,
            case,
            insured=policy is not None,
            claim_open=any(claim.status == ClaimStatus.FILED for claim in claims),
            write_off_open=any(request.status in OPEN_STATES for request in write_offs),
        ),
    }


def waiting_statuses(user) -> list[str]:
    return [status for role, status in WAITING.items() if has_role(user, role)]


def may_use_write_offs(user) -> bool:
    return getattr(user, "is_authenticated", False) and (
        user.is_superuser or has_role(user, *WRITE_OFF_ROLES)
    )


def write_off_queue(user, *, scope: str = "") -> QuerySet[WriteOffRequest]:
    rows = WriteOffRequest.objects.select_related(
        "account__customer", "case", "requested_by"
    ).order_by("requested_at", "pk")
    waiting = waiting_statuses(user)
    if scope != "all" and waiting:
        rows = rows.filter(status__in=waiting)
    return rows


def waiting_count(user) -> int:
    waiting = waiting_statuses(user)
    if not waiting:
        return 0
    return WriteOffRequest.objects.filter(status__in=waiting).count()


def write_off_for(user, pk) -> WriteOffRequest:
    """A write-off request whose case ``user`` may see, or 404."""
    request = (
        WriteOffRequest.objects.select_related(
            "account__customer",
            "account__product",
            "account__officer",
            "case__assignee",
            "requested_by",
            "reviewed_by",
            "decided_by",
        )
        .filter(pk=pk, case__in=visible_cases(user))
        .first()
    )
    if request is None:
        raise Http404
    return request


def evidence_for(user, request_pk, pk) -> WriteOffEvidence:
    request = write_off_for(user, request_pk)
    evidence = request.evidence.filter(pk=pk).first()
    if evidence is None:
        raise Http404
    return evidence
