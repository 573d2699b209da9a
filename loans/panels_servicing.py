"""The loan account (借据) section of the application page."""

from django.urls import reverse

from .models import LoanAccount
from .selectors_accounts import may_see_account, next_due_installment


def account_panel(user, application):
    """Context for the loan account section of the application page, or None to hide it."""
    try:
        account = application.account
    except LoanAccount.DoesNotExist:
        return None
    if not may_see_account(user, account):
        return None
    return {
        "account": account,
        "principal_outstanding": account.principal_outstanding,
        "next_due": next_due_installment(account),
        "statement_url": reverse("loans:account_detail", args=[account.pk]),
    }
