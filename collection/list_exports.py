"""The columns the collection lists show, for their CSV and XLSX exports."""

from django.utils.translation import gettext_lazy as _

from loancenter.exports import DATE, MONEY, NUMBER, Column

CASES = [
    Column(_("IOU number"), "account.number"),
    Column(_("Customer"), "account.customer.name"),
    Column(_("Days past due"), "account.days_past_due", NUMBER),
    Column(_("Bucket"), "bucket"),
    Column(_("Track"), "get_track_display"),
    Column(_("Overdue principal"), "account.overdue_principal", MONEY),
    Column(_("Overdue interest and penalties"), "overdue_charges", MONEY),
    Column(_("Assigned to"), "assignee.display_name"),
    Column(_("Loan officer"), "account.officer.display_name"),
    Column(_("Opened on"), "opened_on", DATE),
    Column(_("Next action on"), "next_action_on", DATE),
    Column(_("Status"), lambda case: _("Open case") if case.is_open else _("Closed")),
]

WRITE_OFFS = [
    Column(_("Asked at"), "requested_at", DATE),
    Column(_("Loan"), "account.number"),
    Column(_("Customer"), "account.customer.name"),
    Column(_("Ground"), "get_ground_display"),
    Column(_("Principal to write off"), "principal", MONEY),
    Column(_("Interest and penalties owed"), "interest", MONEY),
    Column(_("Status"), "get_status_display"),
    Column(_("Asked by"), "requested_by.display_name"),
]

CHECKS = [
    Column(_("Due by"), "due_on", DATE),
    Column(_("Check"), "sequence", NUMBER),
    Column(_("IOU number"), "account.number"),
    Column(_("Customer"), "account.customer.name"),
    Column(_("Product"), "account.product.name"),
    Column(_("Loan officer"), "account.officer.display_name"),
    Column(_("Done on"), "done_on", DATE),
    Column(_("Conclusion"), "get_conclusion_display"),
]
