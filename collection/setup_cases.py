"""Navigation, audit labels, the application-page panel and the sweep steps of collection
cases; ``register_cases`` runs from ``CollectionConfig.ready``."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "open_case": _("Collection case opened"),
    "move_case": _("Collection case moved to another bucket"),
    "close_case": _("Collection case closed"),
    "record_action": _("Collection action recorded"),
    "record_promise": _("Promise to pay recorded"),
    "demand_letter": _("Demand letter to a guarantor"),
    "file_claim": _("Insurance claim filed"),
    "claim_outcome": _("Insurance claim outcome"),
    "file_lawsuit": _("Lawsuit filed"),
    "record_judgment": _("Judgment recorded"),
    "record_enforcement": _("Enforcement recorded"),
    "court_proceeds": _("Court proceeds received"),
    "request_write_off": _("Write-off requested"),
    "review_write_off": _("Write-off reviewed"),
    "escalate_write_off": _("Write-off sent to head office"),
    "approve_write_off": _("Write-off approved"),
    "reject_write_off": _("Write-off rejected"),
    "write_off": _("Written off"),
    "record_recovery": _("Recovery after write-off recorded"),
}


def register_cases():
    from applications import panels
    from loancenter import audit, navigation
    from loancenter.roles import (
        AUDITOR,
        COLLECTIONS_OFFICER,
        DIRECTOR,
        HEAD_OFFICE,
        LOAN_OFFICER,
        REVIEWER,
    )
    from loans.sweep.registry import SweepStep, register_step

    from .selectors_cases import waiting_count
    from .sweep_cases import detect_promises, sync_cases

    register_step(SweepStep("collection_cases", sync_cases, order=10))
    register_step(SweepStep("collection_promises", detect_promises, order=20))
    navigation.register(
        navigation.NavItem(
            "collections",
            _("Collections"),
            "collection:case_list",
            roles=frozenset(
                {LOAN_OFFICER, COLLECTIONS_OFFICER, REVIEWER, DIRECTOR, HEAD_OFFICE, AUDITOR}
            ),
            order=55,
            badge=lambda user: waiting_count(user) or None,
            group="loans",
        )
    )
    panels.register(
        panels.Panel("collection_case", "collection/cases/_panel.html", case_panel, order=90)
    )
    audit.register_labels(AUDIT_LABELS)


def case_panel(user, application):
    """The collection case of the application's loan, for those who may see it; else None."""
    from loans.models import LoanAccount

    from .selectors_cases import may_see_case

    try:
        account = application.account
    except LoanAccount.DoesNotExist:
        return None
    case = account.collection_cases.select_related("assignee").order_by("-opened_on", "-pk").first()
    if case is None:
        return None
    case.account = account
    if not may_see_case(user, case):
        return None
    return {
        "case": case,
        "account": account,
        "url": reverse("collection:case_detail", args=[case.pk]),
    }
