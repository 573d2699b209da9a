"""Changes after disbursement (RULES.md §1, 审查岗): early repayment, extension, repayment
account and borrower data. The officer asks with a quote, the reviewer reviews, the approver
approves an extension; an approved change is carried out in the same transaction."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Customer
from loancenter import audit
from loancenter.errors import DomainError, PermissionRefused, RuleViolations
from loancenter.money import to_fen
from loancenter.repayment import BULLET, INTEREST_ONLY, add_months, build_schedule
from loancenter.roles import APPROVER, DIRECTOR, LOAN_OFFICER, REVIEWER
from loancenter.workflow import locked, require_role, transition, validated

from ..models import (
    AccountStatus,
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    Installment,
    LoanAccount,
    Repayment,
)

BORROWER_FIELDS = (
    "mobile",
    "address",
    "employer",
    "employment_years",
    "monthly_income",
    "monthly_debt_payments",
    "marital_status",
)
_ACCOUNT_NUMBER = re.compile(r"^\d{12,30}$")


# --- quotes -----------------------------------------------------------------------------------


def _anchor(account: LoanAccount, on: date) -> date:
    """The last due date on or before ``on`` (or the value date): interest is paid to there."""
    last = account.installments.filter(due_date__lte=on).order_by("-due_date").first()
    return last.due_date if last else account.value_date


def _future(account: LoanAccount, on: date):
    return account.installments.filter(due_date__gt=on).order_by("period")


def _refuse_arrears(account: LoanAccount, on: date) -> None:
    owed = [i for i in account.installments.filter(due_date__lte=on) if i.amount_owed > 0]
    if owed:
        raise DomainError(
            _("Clear the overdue installments first (period %(period)s).")
            % {"period": owed[0].period}
        )


def accrued_interest(account: LoanAccount, principal: Decimal, on: date) -> Decimal:
    """Interest on ``principal`` from the last due date to ``on`` at the daily rate (÷360)."""
    days = (on - _anchor(account, on)).days
    return to_fen(principal * account.annual_rate / 100 / 360 * days)


def _new_months(account, principal, remaining, option, on) -> int:
    """Remaining months after a part repayment: the same, or the fewest keeping the payment."""
    if option != ChangeRequest.SHORTER_TERM or account.repayment_method in (INTEREST_ONLY, BULLET):
        return remaining
    current = _future(account, on).first()
    payment = current.payment_due if current else Decimal("0")
    low, high = 1, remaining
    while low < high:  # the payment falls as the term grows: find the shortest that fits
        middle = (low + high) // 2
        if _schedule(account, principal, middle, _anchor(account, on)).payment <= payment:
            high = middle
        else:
            low = middle + 1
    return low


def _schedule(account, principal, months, anchor):
    return build_schedule(
        principal=principal,
        annual_rate=account.annual_rate,
        months=months,
        method=account.repayment_method,
        value_date=anchor,
    )


def quote(
    account: LoanAccount, *, kind: str, on: date, amount=None, option="", extra_months=None
) -> dict:
    """What the borrower pays and how the schedule looks after the change."""
    outstanding = account.principal_outstanding
    remaining = _future(account, on).count()
    if kind in (ChangeKind.EARLY_FULL, ChangeKind.EARLY_PARTIAL):
        principal = outstanding if kind == ChangeKind.EARLY_FULL else amount
        interest = accrued_interest(account, principal, on)
        result = {
            "principal": str(principal),
            "interest": str(interest),
            "total": str(principal + interest),
            "remaining_months": remaining,
        }
        if kind == ChangeKind.EARLY_PARTIAL:
            months = _new_months(account, outstanding - principal, remaining, option, on)
            after = _schedule(account, outstanding - principal, months, _anchor(account, on))
            result.update(
                new_months=months,
                new_payment=str(after.payment),
                new_maturity=after.maturity_date.isoformat(),
            )
        return result
    if kind == ChangeKind.EXTENSION:
        after = _schedule(account, outstanding, remaining + extra_months, _anchor(account, on))
        return {
            "remaining_months": remaining,
            "new_months": remaining + extra_months,
            "new_payment": str(after.payment),
            "new_maturity": after.maturity_date.isoformat(),
        }
    return {}


# --- asking -----------------------------------------------------------------------------------


def _check_request(account, kind, data) -> list[str]:
    problems = []
    on = data["effective_on"]
    if on < account.value_date:
        problems.append(_("The change cannot take effect before the value date."))
    if kind == ChangeKind.EARLY_PARTIAL:
        amount = data.get("amount")
        if amount is None or amount <= 0 or amount != to_fen(amount):
            problems.append(_("Enter the principal to repay, in yuan and fen."))
        elif amount >= account.principal_outstanding:
            problems.append(
                _(
                    "A part repayment must be less than the principal outstanding; "
                    "ask for a full repayment instead."
                )
            )
        if data.get("option") not in (ChangeRequest.SHORTER_TERM, ChangeRequest.SMALLER_PAYMENT):
            problems.append(_("Choose a shorter term or a smaller payment."))
    early = kind in (ChangeKind.EARLY_PARTIAL, ChangeKind.EARLY_FULL)
    if early and not data.get("payment_reference", "").strip():
        problems.append(_("Give the reference of the payment the borrower will make."))
    if kind == ChangeKind.EXTENSION:
        problems += _check_extension(account, data.get("extra_months"))
    if kind == ChangeKind.REPAYMENT_ACCOUNT:
        number = data.get("new_repayment_account", "").replace(" ", "")
        if not _ACCOUNT_NUMBER.match(number):
            problems.append(_("The repayment account must be 12 to 30 digits."))
        elif number == account.repayment_account:
            problems.append(_("That is already the repayment account."))
    if kind == ChangeKind.BORROWER_DATA:
        problems += _check_borrower_changes(account.customer, data.get("borrower_changes") or {})
    return problems


def _check_extension(account, extra) -> list[str]:
    if not extra or extra < 1:
        return [_("Give the number of months to add.")]
    limit = account.product.term_limit_months
    if extra > account.term_months or account.term_months + extra > limit:
        return [
            _(
                "An extension may add at most the original term, and the whole term may not "
                "exceed %(limit)s months."
            )
            % {"limit": limit}
        ]
    return []


def _check_borrower_changes(customer, changes) -> list[str]:
    unknown = set(changes) - set(BORROWER_FIELDS)
    if not changes or unknown:
        return [_("Choose at least one borrower field that may change.")]
    probe = Customer.objects.get(pk=customer.pk)
    for field, value in changes.items():
        setattr(probe, field, value)
    try:
        validated(probe)
    except RuleViolations as violations:
        return violations.messages
    return []


def request_change(*, user, account, kind: str, data: dict) -> ChangeRequest:
    require_role(user, LOAN_OFFICER)
    if data.get("borrower_changes"):
        data["borrower_changes"] = {k: str(v) for k, v in data["borrower_changes"].items()}
    with transaction.atomic():
        account = locked(account)
        if account.officer_id != user.pk:
            raise PermissionRefused(_("Only the loan's own officer may ask for a change."))
        if account.status not in (AccountStatus.ACTIVE, AccountStatus.OVERDUE):
            raise DomainError(
                _("The loan is %(state)s; it cannot be changed.")
                % {"state": account.get_status_display()}
            )
        if account.change_requests.filter(
            status__in=[ChangeStatus.PENDING_REVIEW, ChangeStatus.PENDING_APPROVAL]
        ).exists():
            raise DomainError(_("Another change of this loan is still being decided."))
        problems = _check_request(account, kind, data)
        if problems:
            raise RuleViolations(problems)
        if kind in (ChangeKind.EARLY_FULL, ChangeKind.EARLY_PARTIAL, ChangeKind.EXTENSION):
            _refuse_arrears(account, data["effective_on"])
        change = ChangeRequest.objects.create(
            account=account,
            kind=kind,
            requested_by=user,
            reason=data.get("reason", ""),
            effective_on=data["effective_on"],
            amount=data.get("amount"),
            option=data.get("option", ""),
            extra_months=data.get("extra_months"),
            new_repayment_account=data.get("new_repayment_account", "").replace(" ", ""),
            borrower_changes=data.get("borrower_changes") or {},
            payment_reference=data.get("payment_reference", "").strip(),
            quote=quote(
                account,
                kind=kind,
                on=data["effective_on"],
                amount=data.get("amount"),
                option=data.get("option", ""),
                extra_months=data.get("extra_months"),
            ),
        )
        audit.record(
            actor=user,
            action="request_change",
            obj=account,
            role=LOAN_OFFICER,
            opinion=f"{change.get_kind_display()}: {change.reason}",
        )
    return change


# --- deciding ---------------------------------------------------------------------------------


def review_change(*, user, change, agree: bool, opinion: str) -> ChangeRequest:
    require_role(user, REVIEWER)
    if not opinion.strip():
        raise DomainError(_("The review opinion needs its reasons in writing."))
    with transaction.atomic():
        change = locked(change)
        account = locked(change.account)
        if change.status != ChangeStatus.PENDING_REVIEW:
            raise DomainError(
                _("This change is %(state)s.") % {"state": change.get_status_display()}
            )
        change.reviewed_by, change.review_opinion = user, opinion
        if not agree:
            change.reject()
        elif change.needs_approval:
            change.pass_review()
        else:
            _carry_out(change, account, user)
            change.complete()
        change.save()
        audit.record(
            actor=user,
            action="review_change",
            obj=account,
            role=REVIEWER,
            to_state=change.status,
            opinion=f"{change.get_kind_display()}: {opinion}",
        )
    return change


def approve_change(*, user, change, agree: bool, opinion: str) -> ChangeRequest:
    role = require_role(user, APPROVER, DIRECTOR)
    if not opinion.strip():
        raise DomainError(_("A decision needs its reasons in writing."))
    with transaction.atomic():
        change = locked(change)
        account = locked(change.account)
        if change.status != ChangeStatus.PENDING_APPROVAL:
            raise DomainError(
                _("This change is %(state)s.") % {"state": change.get_status_display()}
            )
        if user.pk == change.reviewed_by_id:
            raise DomainError(_("Separation of duties: the reviewer may not also approve."))
        change.approved_by, change.approval_opinion = user, opinion
        if agree:
            _carry_out(change, account, user)
            change.complete()
        else:
            change.reject()
        change.save()
        audit.record(
            actor=user,
            action="approve_change",
            obj=account,
            role=role,
            to_state=change.status,
            opinion=f"{change.get_kind_display()}: {opinion}",
        )
    return change


# --- carrying out -----------------------------------------------------------------------------


def _carry_out(change, account, user) -> None:
    on = change.effective_on
    if change.kind in (ChangeKind.EARLY_FULL, ChangeKind.EARLY_PARTIAL, ChangeKind.EXTENSION):
        _refuse_arrears(account, on)
    handler = {
        ChangeKind.EARLY_FULL: _repay_in_full,
        ChangeKind.EARLY_PARTIAL: _repay_in_part,
        ChangeKind.EXTENSION: _extend,
        ChangeKind.REPAYMENT_ACCOUNT: _change_account,
        ChangeKind.BORROWER_DATA: _change_borrower,
    }[change.kind]
    handler(change, account, user)


def _post(change, account, user, principal) -> None:
    interest = accrued_interest(account, principal, change.effective_on)
    if Repayment.objects.filter(account=account, reference=change.payment_reference).exists():
        raise DomainError(
            _("The payment reference %(reference)s has already been used.")
            % {"reference": change.payment_reference}
        )
    Repayment.objects.create(
        account=account,
        amount=principal + interest,
        paid_on=change.effective_on,
        channel="transfer",
        reference=change.payment_reference,
        interest_part=interest,
        principal_part=principal,
        posted_by=user,
    )
    account.principal_outstanding -= principal


def _repay_in_full(change, account, user) -> None:
    _post(change, account, user, account.principal_outstanding)
    _future(account, change.effective_on).delete()
    transition(
        account,
        "settle",
        change.effective_on,
        user=user,
        action="settle",
        action_label=_("settled"),
        role=REVIEWER,
        opinion=_("Settled by early repayment in full (%(reference)s).")
        % {"reference": change.payment_reference},
    )


def _repay_in_part(change, account, user) -> None:
    on = change.effective_on
    remaining = _future(account, on).count()
    months = _new_months(
        account, account.principal_outstanding - change.amount, remaining, change.option, on
    )
    _post(change, account, user, change.amount)
    _regenerate(account, on, months)
    account.save()


def _extend(change, account, user) -> None:
    on = change.effective_on
    _regenerate(account, on, _future(account, on).count() + change.extra_months)
    account.term_months += change.extra_months
    account.is_extended = True
    account.save()


def _regenerate(account, on: date, months: int) -> None:
    """Replace the future installments with a schedule of ``months`` on the outstanding."""
    anchor = _anchor(account, on)
    future = _future(account, on)
    first_period = future.first().period if future.exists() else account.installments.count() + 1
    future.delete()
    schedule = _schedule(account, account.principal_outstanding, months, anchor)
    Installment.objects.bulk_create(
        Installment(
            account=account,
            period=first_period + item.period - 1,
            due_date=item.due_date,
            principal_due=item.principal,
            interest_due=item.interest,
        )
        for item in schedule.installments
    )
    account.maturity_date = schedule.maturity_date or add_months(anchor, months)


def _change_account(change, account, user) -> None:
    account.repayment_account = change.new_repayment_account
    account.save(update_fields=["repayment_account"])


def _change_borrower(change, account, user) -> None:
    customer = locked(account.customer)
    for field, value in change.borrower_changes.items():
        setattr(customer, field, value)
    validated(customer).save()
    audit.record(
        actor=user,
        action="update_customer",
        obj=customer,
        role=REVIEWER,
        opinion=", ".join(change.borrower_changes),
    )
