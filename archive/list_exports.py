"""The columns the archive lists show, for their CSV and XLSX exports."""

from django.utils.translation import gettext_lazy as _

from loancenter.exports import DATE, DATETIME, NUMBER, Column


def _yes_if(attribute):
    return lambda row: _("yes") if getattr(row, attribute) else ""


def _loan_or_application(item):
    numbers = [item.application.number if item.application_id else ""]
    numbers.append(item.account.number if item.account_id else "")
    return " / ".join(number for number in numbers if number)


ITEMS = [
    Column(_("Item number"), "number"),
    Column(_("Title"), "title"),
    Column(_("Customer"), "dossier.customer.name"),
    Column(_("Category"), "get_category_display"),
    Column(_("Application / loan"), _loan_or_application),
    Column(_("Status"), "get_status_display"),
    Column(_("Vital voucher"), _yes_if("is_vital")),
    Column(_("Location"), "location"),
    Column(_("Custodian"), "custodian.display_name"),
]

EXPECTED = [
    Column(_("Expected since"), "expected_since", DATETIME),
    Column(_("Item number"), "number"),
    Column(_("Title"), "title"),
    Column(_("Vital voucher"), _yes_if("is_vital")),
    Column(_("Customer"), "dossier.customer.name"),
    Column(_("Category"), "get_category_display"),
    Column(_("Application / loan"), _loan_or_application),
]

DUE = [
    Column(_("Item number"), "number"),
    Column(_("Title"), "title"),
    Column(_("Category"), "get_category_display"),
    Column(_("Customer"), "dossier.customer.name"),
    Column(_("Loan or application"), _loan_or_application),
    Column(_("Location"), "location"),
    Column(_("Keep until"), "retain_until", DATE),
    Column(_("Destruction list"), "open_batch"),
]

BATCHES = [
    Column(_("List number"), "number"),
    Column(_("Status"), "get_status_display"),
    Column(_("Items"), "line_count", NUMBER),
    Column(_("Prepared by"), "prepared_by.display_name"),
    Column(_("Prepared on"), "prepared_at", DATE),
    Column(_("Director"), "approved_by.display_name"),
    Column(_("Witness"), "witness.display_name"),
    Column(_("Destroyed on"), "destroyed_at", DATE),
]


def _late(borrow):
    from django.utils import timezone

    late = borrow.status == "out" and borrow.return_by < timezone.localdate()
    return _("Late") if late else ""


BORROWINGS = [
    Column(_("Asked"), "requested_at", DATETIME),
    Column(_("Item"), "item.number"),
    Column(_("Title"), "item.title"),
    Column(_("Customer"), "item.dossier.customer.name"),
    Column(_("Borrowed by"), "requested_by.display_name"),
    Column(_("Reason"), "reason"),
    Column(_("Return by"), "return_by", DATE),
    Column(_("Status"), "get_status_display"),
    Column(_("Late"), _late),
]
