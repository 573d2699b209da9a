"""The credit-grade queue's columns, for its CSV and XLSX exports."""

from django.utils.translation import gettext_lazy as _

from loancenter.exports import DATE, DATETIME, MONEY, NUMBER, Column

RATINGS = [
    Column(_("Computed"), "computed_at", DATE),
    Column(_("Customer"), "customer.name"),
    Column(_("ID number"), "customer.masked_id_number"),
    Column(_("Previous grade"), "previous_grade"),
    Column(_("Grade"), "grade"),
    Column(_("Score"), "score", NUMBER),
    Column(_("Credit limit"), "limit", MONEY),
    Column(_("Status"), "get_status_display"),
    Column(_("Decided by"), "decided_by.display_name"),
]

REPORT_RUNS = [
    Column(_("Report"), "get_kind_display"),
    Column(_("From"), "period_start", DATE),
    Column(_("To"), "period_end", DATE),
    Column(_("Status"), "get_status_display"),
    Column(_("Progress (%)"), "progress", NUMBER),
    Column(_("Asked by"), lambda run: run.requested_by.display_name if run.requested_by else ""),
    Column(_("Asked at"), "requested_at", DATETIME),
]
