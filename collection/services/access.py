"""Who may work a collection case, and what its loan owes: shared by the collection services."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db.models import Sum
from django.utils.translation import gettext as _

from loancenter.errors import DomainError, PermissionRefused
from loancenter.money import parse_amount
from loancenter.roles import COLLECTIONS_OFFICER, LOAN_OFFICER, has_role
from loans.models import AccountStatus

from ..models import ZERO

# Past this many days: insurance claim, legal action, write-off (RULES.md §1 and §5).
PAST_DUE_DAYS = 90
OFFICER_BUCKET = "M1"
PROMISE_HORIZON_DAYS = 90


def may_collect(user, case) -> bool:
    try:
        collector_role(user, case)
    except PermissionRefused:
        return False
    return True


def collector_role(user, case) -> str:
    """The role ``user`` works ``case`` in: any collections officer, the case's assignee, or
    the loan's own officer while the case is in M1 (RULES.md §1)."""
    if has_role(user, COLLECTIONS_OFFICER):
        return COLLECTIONS_OFFICER
    if has_role(user, LOAN_OFFICER) and (
        case.assignee_id == user.pk
        or (case.bucket == OFFICER_BUCKET and case.account.officer_id == user.pk)
    ):
        return LOAN_OFFICER
    raise PermissionRefused(
        _(
            "Only the case's assignee, a collections officer, or the loan officer while the "
            "case is in M1 may work this case."
        )
    )


def require_open(case) -> None:
    if not case.is_open:
        raise DomainError(
            _("This case was closed on %(date)s; nothing more can be recorded on it.")
            % {"date": f"{case.closed_on:%Y-%m-%d}" if case.closed_on else "—"},
            code="case_closed",
        )


def require_past_due(account, refusal: str) -> None:
    """Refuse with ``refusal`` (which may use %(days)s) unless more than 90 days past due."""
    if account.days_past_due <= PAST_DUE_DAYS:
        raise DomainError(refusal % {"days": account.days_past_due}, code="not_past_90_days")


def recovered(account) -> Decimal:
    return account.recoveries.aggregate(total=Sum("amount"))["total"] or ZERO


def amount_owed(account) -> Decimal:
    """Everything the borrower owes now: principal outstanding, overdue interest and penalties,
    less what was recovered after a write-off."""
    owed = account.principal_outstanding + account.overdue_interest + account.penalty_outstanding
    if account.status == AccountStatus.WRITTEN_OFF:
        owed -= recovered(account)
    return max(owed, ZERO)


def checked_amount(amount) -> Decimal:
    """A positive amount in yuan and fen, or a refusal; floats are a programming error."""
    if isinstance(amount, float | bool):
        raise TypeError("money must not be a float; pass a Decimal, an int or a string")
    if amount is None or str(amount).strip() == "":
        raise DomainError(_("Enter the amount."), code="no_amount")
    try:
        return parse_amount(amount)
    except InvalidOperation:
        raise DomainError(_("“%(text)s” is not an amount of money.") % {"text": amount}) from None


def checked_reference(reference, *, max_length: int = 64) -> str:
    reference = str(reference or "").strip()
    if not reference:
        raise DomainError(_("Enter the payment reference (the voucher or transfer number)."))
    if len(reference) > max_length:
        raise DomainError(_("The payment reference is too long."))
    return reference


def refuse_more_than_owed(amount: Decimal, account, what: str) -> None:
    owed = amount_owed(account)
    if amount > owed:
        raise DomainError(
            _("%(what)s of %(amount)s is more than the loan owes (%(owed)s).")
            % {"what": what, "amount": f"{amount:,.2f}", "owed": f"{owed:,.2f}"},
            code="more_than_owed",
        )


def available_actions(user, case, *, insured: bool, claim_open: bool, write_off_open: bool):
    """The forms the case page offers ``user`` (the services check again when they run)."""
    actions = set()
    if case.is_open and may_collect(user, case):
        actions |= {"action", "promise", "demand"}
    if not has_role(user, COLLECTIONS_OFFICER):
        return actions
    account = case.account
    actions |= {"claim_outcome", "lawsuit_steps"}
    if case.is_open and account.days_past_due > PAST_DUE_DAYS:
        actions.add("lawsuit")
        if insured and not claim_open:
            actions.add("claim")
        writable = account.status in (AccountStatus.ACTIVE, AccountStatus.OVERDUE)
        if writable and not write_off_open:
            actions.add("write_off")
    if account.status == AccountStatus.WRITTEN_OFF:
        actions.add("recovery")
    return actions
