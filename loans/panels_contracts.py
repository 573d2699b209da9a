"""The contracts section of the application page: the contracts, their PDFs, generate and sign."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.models import Status
from loancenter import audit
from loancenter.roles import LOAN_OFFICER, has_role

from .models import LoanAccount
from .services.contracts import contract_title, contracts_of

AFTER_APPROVAL = (
    Status.APPROVED,
    Status.CONTRACTED,
    Status.REGISTERING,
    Status.READY,
    Status.DISBURSED,
)

# Labels for the application's timeline (this module is imported by LoansConfig.ready()).
audit.register_labels(
    {
        "generate_contracts": _("Contracts generated"),
        "sign_contracts": _("Contracts signed"),
    }
)


def contract_actions(user, application, contracts) -> set[str]:
    """What the user may do with the contracts now: "generate", "sign"."""
    if (
        application.status != Status.APPROVED
        or application.officer_id != user.pk
        or not has_role(user, LOAN_OFFICER)
    ):
        return set()
    return {"generate", "sign"} if contracts else {"generate"}


def contracts_panel(user, application):
    """Context for the contracts section of the application page, or None to hide it."""
    if application.status not in AFTER_APPROVAL:
        return None
    contracts = contracts_of(application)
    actions = contract_actions(user, application, contracts)
    account = LoanAccount.objects.filter(application=application).only("pk", "number").first()
    return {
        "contracts": [
            {
                "contract": contract,
                "title": contract_title(contract),
                "url": reverse("loans:contract_pdf", args=[contract.pk]),
            }
            for contract in contracts
        ],
        "signed": bool(contracts) and all(contract.is_signed for contract in contracts),
        "can_generate": "generate" in actions,
        "can_sign": "sign" in actions,
        "generate_url": reverse("loans:contracts_generate", args=[application.pk]),
        "sign_url": reverse("loans:contracts_sign", args=[application.pk]),
        "account": account,
        "iou_url": reverse("loans:iou_pdf", args=[account.pk]) if account else "",
    }
