"""The columns the loan lists show, for their CSV and XLSX exports."""

from django.utils.translation import gettext_lazy as _

from loancenter.exports import DATE, DATETIME, MONEY, NUMBER, Column


def _yes_if(attribute):
    return lambda row: _("yes") if getattr(row, attribute) else ""


ACCOUNTS = [
    Column(_("IOU number"), "number"),
    Column(_("Customer"), "customer.name"),
    Column(_("Product"), "product.name"),
    Column(_("Principal"), "principal", MONEY),
    Column(_("Outstanding"), "principal_outstanding", MONEY),
    Column(_("Value date"), "value_date", DATE),
    Column(_("Maturity"), "maturity_date", DATE),
    Column(_("Status"), "get_status_display"),
    Column(_("Days past due"), "days_past_due", NUMBER),
    Column(_("Bucket"), "bucket"),
    Column(_("Classification"), "get_classification_display"),
    Column(_("extended"), _yes_if("is_extended")),
    Column(_("Loan officer"), "officer.display_name"),
]


def _preconditions(application):
    from .preconditions import unmet

    missing = unmet(application)
    return "; ".join(str(condition.label) for condition in missing) or _("All met")


DISBURSEMENTS = [
    Column(_("Number"), "number"),
    Column(_("Customer"), "customer.name"),
    Column(_("Product"), "product.name"),
    Column(_("Amount"), "amount", MONEY),
    Column(_("Status"), "get_status_display"),
    Column(_("Pre-conditions"), _preconditions),
]

CHANGES = [
    Column(_("Requested"), "requested_at", DATE),
    Column(_("Loan"), "account.number"),
    Column(_("Customer"), "account.customer.name"),
    Column(_("Change"), "get_kind_display"),
    Column(_("Status"), "get_status_display"),
    Column(_("Loan officer"), "requested_by.display_name"),
]

CLASSIFICATION_CHANGES = [
    Column(_("Asked at"), "requested_at", DATE),
    Column(_("Loan"), "account.number"),
    Column(_("Customer"), "account.customer.name"),
    Column(_("Outstanding"), "account.principal_outstanding", MONEY),
    Column(_("Days past due"), "days_past_due", NUMBER),
    Column(_("From class"), "get_from_class_display"),
    Column(_("To class"), "get_to_class_display"),
    Column(_("Origin"), "get_origin_display"),
    Column(_("Reason"), "reason"),
    Column(_("Asked by"), "requested_by.display_name"),
    Column(_("Status"), "get_status_display"),
]


def _figures(run):
    if run.error:
        return run.error
    return "; ".join(f"{key}: {value}" for key, value in (run.figures or {}).items())


SWEEP_RUNS = [
    Column(_("Business date"), "business_date", DATE),
    Column(_("Status"), "get_status_display"),
    Column(_("Finished"), "finished_at", DATETIME),
    Column(_("Attempts"), "attempts", NUMBER),
    Column(
        _("Started by"),
        lambda run: run.started_by.display_name if run.started_by else _("Scheduler"),
    ),
    Column(_("Figures"), _figures),
]
