"""The columns the application lists show, for their CSV and XLSX exports."""

from django.utils.translation import gettext_lazy as _

from loancenter.exports import DATE, MONEY, NUMBER, Column

CUSTOMERS = [
    Column(_("Name"), "name"),
    Column(_("ID number"), "masked_id_number"),
    Column(_("Mobile"), "masked_mobile"),
    Column(_("Loan officer"), "officer.display_name"),
    Column(_("Recorded"), "created_at", DATE),
]

APPLICATIONS = [
    Column(_("Number"), "number"),
    Column(_("Customer"), "customer.name"),
    Column(_("Product"), "product.name"),
    Column(_("Amount"), "amount", MONEY),
    Column(_("Term (months)"), "term_months", NUMBER),
    Column(_("Status"), "get_status_display"),
    Column(_("Escalated to"), "get_escalation_level_display"),
    Column(_("Loan officer"), "officer.display_name"),
    Column(_("Created"), "created_at", DATE),
]
