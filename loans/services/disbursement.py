"""放款: the disbursement supervisor releases funds only when every pre-condition holds."""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from loancenter.errors import DomainError, RuleViolations
from loancenter.notifications import notify
from loancenter.roles import DISBURSEMENT, DISBURSEMENT_SUPERVISOR, assert_separate_duties
from loancenter.workflow import locked, require_role, transition

from ..preconditions import unmet
from .accounts import open_account

_ACCOUNT = re.compile(r"^\d{12,30}$")


def disburse(*, user, application, value_date, repayment_account: str):
    """Create the 借据 and its schedule; the application becomes disbursed."""
    require_role(user, DISBURSEMENT_SUPERVISOR)
    repayment_account = repayment_account.replace(" ", "")
    if not _ACCOUNT.match(repayment_account):
        raise DomainError(_("The repayment account must be 12 to 30 digits."))
    if value_date > timezone.localdate():
        raise DomainError(_("The value date cannot be in the future."))
    with transaction.atomic():
        application = locked(application)
        assert_separate_duties(obj=application, user=user, duty=DISBURSEMENT)
        missing = unmet(application)
        if missing:
            raise RuleViolations([f"{c.label}: {c.why}" for c in missing])
        account = open_account(
            application=application,
            user=user,
            value_date=value_date,
            repayment_account=repayment_account,
        )
        transition(
            application,
            "disburse",
            user=user,
            action="disburse",
            action_label=_("disbursed"),
            role=DISBURSEMENT_SUPERVISOR,
            duty=DISBURSEMENT,
            opinion=f"{account.number} {account.principal:,.2f}",
        )
        assign_perm("applications.view_loanapplication", user, application)
        message = _("%(number)s disbursed: IOU %(account)s.") % {
            "number": application.number,
            "account": account.number,
        }
        officer = application.officer
        transaction.on_commit(
            lambda: notify(
                recipients=[officer], message=message, link=f"/applications/{application.pk}/"
            )
        )
    return account
