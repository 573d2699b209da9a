"""What must be true before funds move (放款监督岗): each condition says why it is unmet.

For one application (its page, the disbursement service) each condition reads what it needs.
A queue of them prefetches the rows first (``loans.selectors_disbursement``): the conditions
then read the prefetched rows, and the warning list is looked up once for the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from applications.catalog import SECURED_TYPES, PaymentMode, SecurityType
from applications.models import CreditWarning, Status
from review.services import final_decision


@dataclass(frozen=True)
class Condition:
    code: str
    label: str
    met: bool
    why: str = ""


def _contracts(application) -> Condition:
    contracts = list(application.contracts.all())
    unsigned = [c.number for c in contracts if not c.is_signed]
    if not contracts:
        why = _("No contract has been generated.")
    elif unsigned:
        why = _("Not signed yet: %(numbers)s.") % {"numbers": "、".join(unsigned)}
    else:
        why = ""
    return Condition(
        "contracts", _("Loan and security contracts signed and in force"), not why, why
    )


def _registration(application) -> Condition:
    registrations = getattr(application, "registration_rows", None)
    if registrations is None:
        registrations = list(application.registrations.select_related("collateral"))
    if not registrations:
        why = _("No mortgage registration has been opened.")
    else:
        missing = [
            r.collateral.certificate_number
            for r in registrations
            if r.status not in ("registered",) or r.received_at is None
        ]
        why = (
            _("Certificate not registered or not received for: %(items)s.")
            % {"items": "、".join(missing)}
            if missing
            else ""
        )
    return Condition(
        "registration", _("Mortgage registered and certificate received"), not why, why
    )


def _insurance(application, amount) -> Condition:
    today = timezone.localdate()
    policies = list(application.insurance_policies.all())
    if not policies:
        why = _("No guarantee-insurance policy recorded.")
    elif not any(p.cover_amount >= amount and p.ends_on >= today for p in policies):
        why = _("No policy in force covers the approved amount.")
    else:
        why = ""
    return Condition("insurance", _("Guarantee-insurance policy in force"), not why, why)


def _notarisation(application) -> Condition:
    done = bool(application.notarisations.all())
    return Condition(
        "notarisation",
        _("Contracts notarised"),
        done,
        "" if done else _("The product requires notarisation."),
    )


def _counterparty(application) -> Condition:
    ok = bool(application.counterparty_name and application.counterparty_account)
    return Condition(
        "counterparty",
        _("Counterparty account for entrusted payment"),
        ok,
        "" if ok else _("The counterparty's name or account is missing."),
    )


def _warning_list(application, listed: bool | None) -> Condition:
    if listed is None:
        listed = CreditWarning.is_listed(application.customer.id_number)
    return Condition(
        "warning_list",
        _("Borrower not on the credit warning list"),
        not listed,
        _("The borrower is now on the credit warning list.") if listed else "",
    )


def _ready(application) -> Condition:
    ready = application.status == Status.READY
    why = (
        ""
        if ready
        else _("The application is %(state)s.") % {"state": application.get_status_display()}
    )
    return Condition("status", _("Application ready to disburse"), ready, why)


def preconditions(application, *, listed: bool | None = None) -> list[Condition]:
    """Every condition, in order. ``listed``: whether the borrower is on the warning list, when
    the caller has looked it up for many applications at once."""
    approvals = getattr(application, "approvals", None)
    if approvals is None:
        decision = final_decision(application)
    else:
        decision = approvals[-1] if approvals else None
    amount = decision.amount if decision else application.amount
    conditions = [_ready(application), _contracts(application)]
    if application.security_type in SECURED_TYPES:
        conditions.append(_registration(application))
    if application.security_type == SecurityType.INSURANCE:
        conditions.append(_insurance(application, amount))
    if application.product.requires_notarisation:
        conditions.append(_notarisation(application))
    if application.payment_mode == PaymentMode.ENTRUSTED:
        conditions.append(_counterparty(application))
    conditions.append(_warning_list(application, listed))
    return conditions


def unmet(application) -> list[Condition]:
    return [condition for condition in preconditions(application) if not condition.met]
