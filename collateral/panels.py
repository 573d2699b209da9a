from applications.catalog import SECURED_TYPES, SecurityType
from applications.models import Status
from loancenter.roles import DISBURSEMENT_SUPERVISOR, MORTGAGE_REGISTRAR, has_role

from . import selectors
from .forms import (
    CollateralForm,
    CompleteRegistrationForm,
    InsurancePolicyForm,
    NotarisationForm,
    SubmitRegistrationForm,
)
from .services import COLLATERAL_STATES, PAPER_STATES


def collateral_panel(user, application):
    """Collateral, insurance, notarisation and registration on the application page."""
    secured = application.security_type in SECURED_TYPES
    insured = application.security_type == SecurityType.INSURANCE
    needs_notary = application.product.requires_notarisation
    registrations = list(application.registrations.select_related("collateral", "received_by"))
    if not (secured or insured or needs_notary or registrations):
        return None
    own = application.officer_id == user.pk
    return {
        "secured": secured,
        "insured": insured,
        "needs_notary": needs_notary,
        "collaterals": application.collaterals.all(),
        "policies": application.insurance_policies.all(),
        "notarisations": application.notarisations.all(),
        "registrations": registrations,
        "ltv": selectors.loan_to_value(application, application.amount),
        "appraised_total": selectors.appraised_total(application),
        "collateral_form": CollateralForm(auto_id="collateral_%s")
        if own and secured and application.status in COLLATERAL_STATES
        else None,
        "policy_form": InsurancePolicyForm(auto_id="policy_%s")
        if own and insured and application.status in (*COLLATERAL_STATES, *PAPER_STATES)
        else None,
        "notary_form": NotarisationForm(auto_id="notary_%s")
        if own and needs_notary and application.status in PAPER_STATES
        else None,
        "is_registrar": has_role(user, MORTGAGE_REGISTRAR)
        and application.status == Status.REGISTERING,
        "is_supervisor": has_role(user, DISBURSEMENT_SUPERVISOR),
        "submit_form": SubmitRegistrationForm(auto_id="reg_submit_%s"),
        "complete_form": CompleteRegistrationForm(auto_id="reg_complete_%s"),
    }
