"""Contracts (借款合同 and the security contracts): generated from the approval, then signed (面签).

After approval the application's loan officer generates one loan contract with the borrower,
one mortgage (or pledge) contract per mortgagor listing that owner's collateral, and one
guarantee contract per guarantor. Each is a PDF rendered from a Chinese template and stored
with its SHA-256. While nothing is signed the set may be generated again: the same contract
(kind and party) keeps its number and gets a fresh PDF. Recording the signing moves the
application approved → contracted.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.catalog import Category, SecurityType
from applications.models import LoanApplication, Status
from collateral.models import CollateralKind
from collateral.services import after_contracts_signed
from loancenter import audit
from loancenter.errors import DomainError, PermissionRefused, RuleViolations
from loancenter.pdf import render_pdf
from loancenter.roles import LOAN_OFFICER
from loancenter.sequences import next_number
from loancenter.workflow import locked, refuse_stale_state, require_role, transition
from review.services import final_decision

from ..models import ContractKind, LoanContract, SigningMode

LENDER = "个贷中心"
# Electronic signing (fixed): small loans only, and never a housing loan.
ELECTRONIC_SIGNING_LIMIT = Decimal("200000.00")
NUMBER_WIDTH = 6
PREFIXES = {
    ContractKind.LOAN: "JK",
    ContractKind.MORTGAGE: "DY",
    ContractKind.PLEDGE: "ZY",
    ContractKind.GUARANTEE: "BZ",
}
TEMPLATES = {
    ContractKind.LOAN: "loans/pdf/loan_contract.html",
    ContractKind.MORTGAGE: "loans/pdf/mortgage_contract.html",
    ContractKind.PLEDGE: "loans/pdf/mortgage_contract.html",
    ContractKind.GUARANTEE: "loans/pdf/guarantee_contract.html",
}
# Legal papers are always Chinese, whatever language the screens use.
TITLES = {
    ContractKind.MORTGAGE: "抵押合同",
    ContractKind.PLEDGE: "质押合同",
    ContractKind.GUARANTEE: "保证合同",
}
KIND_ORDER = list(PREFIXES)
COLLATERAL_KIND_NAMES = {
    CollateralKind.HOUSE: "房产（住宅）",
    CollateralKind.SHOP: "商业用房",
    CollateralKind.LAND_USE: "土地使用权",
    CollateralKind.VEHICLE: "机动车",
    CollateralKind.DEPOSIT: "存单",
    CollateralKind.PLEDGED_RIGHT: "权利质押（应收账款、债券、保单等）",
    CollateralKind.EQUIPMENT: "机器设备",
    CollateralKind.OTHER: "其他",
}


@dataclass
class PlannedContract:
    """One contract the approval calls for: its kind, the party and what only it shows."""

    kind: str
    party: str
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        self.party = self.party[: LoanContract._meta.get_field("party").max_length]

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.party)


# --- reads the services and the panel share ---------------------------------------------------


def contract_title(contract: LoanContract) -> str:
    """The Chinese title printed on a contract: 个人住房贷款借款合同, 抵押合同, ..."""
    if contract.kind == ContractKind.LOAN:
        return f"{contract.application.product.name}借款合同"
    return TITLES[contract.kind]


def contracts_of(application: LoanApplication) -> list[LoanContract]:
    """The application's contracts, loan contract first, then by kind and number."""
    contracts = application.contracts.select_related("application__product")
    return sorted(contracts, key=lambda c: (KIND_ORDER.index(c.kind), c.number))


def suggested_signers(contracts) -> str:
    """Every distinct party of the contracts, in order: 张三、李四."""
    return "、".join(dict.fromkeys(contract.party for contract in contracts))


def percent(value: Decimal) -> str:
    """A rate for a contract: at least two decimals, no trailing zeros beyond (3.5000 → 3.50)."""
    text = f"{value.normalize():f}"
    whole, _dot, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}"


def rate_terms(annual_rate: Decimal, uplift_percent: Decimal) -> dict:
    """The rate, the penalty uplift and the penalty rate as a contract prints them."""
    penalty = (annual_rate * (1 + uplift_percent / 100)).quantize(Decimal("0.0001"))
    return {
        "rate": percent(annual_rate),
        "uplift": f"{uplift_percent.normalize():f}",
        "penalty_rate": percent(penalty),
    }


def _approval(application):
    decision = final_decision(application)
    if decision is None:
        raise DomainError(_("%(number)s has no approval.") % {"number": application.number})
    return decision


def _require_officer(user, application):
    require_role(user, LOAN_OFFICER)
    if application.officer_id != user.pk:
        raise PermissionRefused(_("Only the application's own loan officer may do this."))


# --- what to generate ------------------------------------------------------------------------


def plan_contracts(application, decision) -> list[PlannedContract]:
    """The contracts the approved security calls for, or a refusal saying what is missing."""
    plan = [PlannedContract(ContractKind.LOAN, application.customer.name)]
    security = decision.security_type
    if security in (SecurityType.MORTGAGE, SecurityType.PLEDGE):
        kind = ContractKind.MORTGAGE if security == SecurityType.MORTGAGE else ContractKind.PLEDGE
        plan += [
            PlannedContract(
                kind,
                owner["name"],
                {
                    "owner": owner,
                    "collaterals": items,
                    "appraised_total": sum(item.appraised_value for item in items),
                },
            )
            for owner, items in _collateral_by_owner(application)
        ]
    elif security == SecurityType.GUARANTEE:
        guarantors = list(application.guarantors.order_by("pk"))
        if not guarantors:
            raise DomainError(_("A guaranteed loan needs at least one guarantor."))
        plan += [
            PlannedContract(ContractKind.GUARANTEE, g.name, {"guarantor": g}) for g in guarantors
        ]
    return plan


def _collateral_by_owner(application):
    """[(owner, [collateral, ...]), ...]: one mortgagor (or pledgor) per contract."""
    collaterals = list(application.collaterals.order_by("pk"))
    if not collaterals:
        raise DomainError(_("Record the collateral first: a secured loan's contract lists it."))
    customer = application.customer
    owners: dict[str, tuple[dict, list]] = {}
    for item in collaterals:
        if item.owner_is_borrower:
            owner = {
                "name": customer.name,
                "id_number": customer.id_number,
                "address": customer.address,
            }
        else:
            owner = {"name": item.owner_name, "id_number": item.owner_id_number, "address": ""}
        item.kind_name = COLLATERAL_KIND_NAMES.get(item.kind, item.kind)
        key = owner["id_number"] or owner["name"]
        owners.setdefault(key, (owner, []))[1].append(item)
    return list(owners.values())


# --- generation --------------------------------------------------------------------------------


def generate_contracts(*, user, application) -> list[LoanContract]:
    """Generate (or, while unsigned, regenerate) every contract of an approved application."""
    require_role(user, LOAN_OFFICER)
    with transaction.atomic():
        application = locked(application)
        _require_officer(user, application)
        if application.status != Status.APPROVED:
            refuse_stale_state(application, action_label=_("given its contracts"))
        decision = _approval(application)
        plan = plan_contracts(application, decision)
        existing = list(application.contracts.select_for_update().order_by("pk"))
        if any(contract.is_signed for contract in existing):
            raise DomainError(_("The contracts are signed; they cannot be generated again."))
        pairs = _reuse(plan, existing, application)
        security = [
            {"title": contract_title(c), "number": c.number, "party": c.party}
            for _planned, c in pairs[1:]
        ]
        pairs[0][0].extra["security_contracts"] = security
        loan_number = pairs[0][1].number
        for planned, contract in pairs:
            _render_into(contract, planned, application, decision, loan_number, user)
        contracts = [contract for _planned, contract in pairs]
        audit.record(
            actor=user,
            action="generate_contracts",
            obj=application,
            role=LOAN_OFFICER,
            opinion="、".join(f"{contract_title(c)} {c.number}" for c in contracts),
        )
    return contracts


def _reuse(plan, existing, application) -> list[tuple[PlannedContract, LoanContract]]:
    """Pair each planned contract with the unsigned one of the same kind and party (keeping its
    number), or a new one; contracts the approval no longer calls for are removed."""
    spare = list(existing)
    pairs = []
    for planned in plan:
        match = next((c for c in spare if (c.kind, c.party) == planned.key), None)
        if match is not None:
            spare.remove(match)
        else:
            match = LoanContract(
                application=application,
                kind=planned.kind,
                party=planned.party,
                number=next_number(
                    f"{PREFIXES[planned.kind]}{timezone.localdate():%Y}", width=NUMBER_WIDTH
                ),
            )
        pairs.append((planned, match))
    for contract in spare:
        _delete_file_on_commit(contract.pdf)
        contract.delete()
    return pairs


def _render_into(contract, planned, application, decision, loan_number, user):
    context = _context(contract, planned, application, decision, loan_number)
    content = render_pdf(TEMPLATES[contract.kind], context)
    old_file = contract.pdf if contract.pk and contract.pdf else None
    old_name = old_file.name if old_file else ""
    contract.pdf.save(f"{contract.number}.pdf", ContentFile(content), save=False)
    contract.sha256 = hashlib.sha256(content).hexdigest()
    contract.generated_by = user
    contract.generated_at = timezone.now()
    if contract.pk is None:
        contract.save()
    else:
        contract.save(update_fields=["pdf", "sha256", "generated_by", "generated_at"])
    if old_name and old_name != contract.pdf.name:
        storage = contract.pdf.storage
        transaction.on_commit(lambda: storage.delete(old_name))


def _delete_file_on_commit(file):
    if file:
        storage, name = file.storage, file.name
        transaction.on_commit(lambda: storage.delete(name))


def _context(contract, planned, application, decision, loan_number) -> dict:
    product = application.product
    spread_bp = ((decision.annual_rate - application.lpr_rate) * 100).normalize()
    return {
        "contract": contract,
        "title": contract_title(contract),
        "lender": LENDER,
        "application": application,
        "customer": application.customer,
        "product": product,
        "decision": decision,
        "loan_number": loan_number,
        **rate_terms(decision.annual_rate, product.penalty_uplift_percent),
        "lpr_rate": percent(application.lpr_rate),
        "spread_bp": f"{spread_bp:f}",
        "is_pledge": contract.kind == ContractKind.PLEDGE,
        **planned.extra,
    }


# --- signing (面签) ------------------------------------------------------------------------------


def sign_contracts(*, user, application, signed_on, mode, signers) -> list[LoanContract]:
    """Record the signing of every contract and move the application approved → contracted."""
    require_role(user, LOAN_OFFICER)
    signers = " ".join((signers or "").split())
    with transaction.atomic():
        application = locked(application)
        _require_officer(user, application)
        if application.status != Status.APPROVED:
            refuse_stale_state(application, action_label=_("signed"))
        decision = _approval(application)
        contracts = list(application.contracts.select_for_update().order_by("pk"))
        if not contracts:
            raise DomainError(_("Generate the contracts before recording their signing."))
        _require_current(contracts, plan_contracts(application, decision))
        problems = _signing_problems(application, decision, contracts, signed_on, mode, signers)
        if problems:
            raise RuleViolations(problems)
        for contract in contracts:
            contract.signed_on = signed_on
            contract.signing_mode = mode
            contract.signers = signers
            contract.signing_recorded_by = user
            contract.save(
                update_fields=["signed_on", "signing_mode", "signers", "signing_recorded_by"]
            )
        transition(
            application,
            "sign_contracts",
            user=user,
            action="sign_contracts",
            action_label=_("signed"),
            role=LOAN_OFFICER,
            opinion=f"{signed_on:%Y-%m-%d} {SigningMode(mode).label} {signers}",
        )
        # Secured loans go on to mortgage registration; the others are ready to disburse.
        after_contracts_signed(user=user, application=application)
    return contracts


def _require_current(contracts, plan):
    if Counter((c.kind, c.party) for c in contracts) != Counter(p.key for p in plan):
        raise DomainError(
            _(
                "The collateral or guarantors changed since the contracts were generated; "
                "generate them again."
            )
        )


def _signing_problems(application, decision, contracts, signed_on, mode, signers) -> list[str]:
    problems = []
    if signed_on is None:
        problems.append(_("Give the date the contracts were signed."))
    elif signed_on > timezone.localdate():
        problems.append(_("The signing date cannot be in the future."))
    else:
        generated = min(timezone.localdate(c.generated_at) for c in contracts)
        if signed_on < generated:
            problems.append(
                _("The contracts were generated on %(date)s; they cannot be signed before that.")
                % {"date": f"{generated:%Y-%m-%d}"}
            )
    if not signers:
        problems.append(_("Name the people who signed."))
    elif len(signers) > LoanContract._meta.get_field("signers").max_length:
        problems.append(_("The list of signers is too long (at most 200 characters)."))
    if mode not in SigningMode.values:
        problems.append(_("Choose how the contracts were signed."))
    elif mode == SigningMode.ELECTRONIC:
        if decision.amount > ELECTRONIC_SIGNING_LIMIT:
            problems.append(
                _(
                    "Electronic signing is allowed only up to %(limit)s; this loan of "
                    "%(amount)s must be signed in person."
                )
                % {"limit": f"{ELECTRONIC_SIGNING_LIMIT:,.2f}", "amount": f"{decision.amount:,.2f}"}
            )
        if application.product.category == Category.HOUSING:
            problems.append(_("Housing loans are always signed in person."))
    return problems
