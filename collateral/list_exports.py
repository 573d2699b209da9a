"""The registration ledger's (台帐) columns, for its CSV and XLSX exports. Headers are the
models' own field names, so the ledger reads as the registrar's paper one did."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from applications.models import LoanApplication
from loancenter.exports import DATE, DATETIME, Column

from .models import Collateral, MortgageRegistration


def _name(model, field):
    return capfirst(model._meta.get_field(field).verbose_name)


def _registration(field, kind="text", value=None):
    return Column(_name(MortgageRegistration, field), value or field, kind)


LEDGER = [
    Column(_name(LoanApplication, "number"), "application.number"),
    Column(_("Borrower"), "application.customer.name"),
    Column(_name(Collateral, "description"), "collateral.description"),
    Column(_name(Collateral, "certificate_number"), "collateral.certificate_number"),
    _registration("registry_office"),
    _registration("status", value="get_status_display"),
    _registration("due_by", DATE),
    _registration("submitted_on", DATE),
    _registration("registered_on", DATE),
    _registration("certificate_number"),
    _registration("handed_over_at", DATETIME),
    _registration("received_by", value="received_by.display_name"),
    _registration("received_at", DATETIME),
]
