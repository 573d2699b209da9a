"""Reads for the disbursement queue: the unmet pre-conditions of a page of applications in a
fixed number of queries.

``loans.preconditions`` answers for one application with a few queries; the queue would make
them once per row. Here the page's contracts, policies, notarisations, registrations and
approvals are prefetched and the credit warning list is read once for the page; the same
``preconditions`` then judges each application from those rows.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from applications.models import CreditWarning
from collateral.models import MortgageRegistration
from review.models import ApprovalDecision

from . import preconditions as rules

PREFETCH = (
    "contracts",
    "insurance_policies",
    "notarisations",
    Prefetch(
        "registrations",
        queryset=MortgageRegistration.objects.select_related("collateral").order_by("due_by", "pk"),
        to_attr="registration_rows",
    ),
    Prefetch(
        "approval_decisions",
        queryset=ApprovalDecision.objects.filter(decision=ApprovalDecision.APPROVE).order_by(
            "created_at", "pk"
        ),
        to_attr="approvals",
    ),
)


def listed_id_numbers(id_numbers) -> set[str]:
    """Which of these ID numbers are on the credit warning list today (one query)."""
    today = timezone.localdate()
    return set(
        CreditWarning.objects.filter(id_number__in=set(id_numbers), since__lte=today)
        .filter(Q(lifted_on__isnull=True) | Q(lifted_on__gt=today))
        .values_list("id_number", flat=True)
    )


def with_precondition_rows(applications):
    """The applications with what ``preconditions`` reads prefetched (for the export, which
    reads them row by row)."""
    return applications.prefetch_related(*PREFETCH)


def unmet_by_application(applications) -> list[tuple]:
    """(application, its unmet conditions) for a page of applications (a QuerySet slice or
    list loaded with their customer and product)."""
    rows = list(applications)
    prefetch_related_objects(rows, *PREFETCH)
    listed = listed_id_numbers(application.customer.id_number for application in rows)
    return [
        (
            application,
            [
                condition
                for condition in rules.preconditions(
                    application, listed=application.customer.id_number in listed
                )
                if not condition.met
            ],
        )
        for application in rows
    ]
