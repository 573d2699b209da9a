"""Working a case: collection actions, promises to pay and demand letters to guarantors."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loancenter import audit, workflow
from loancenter.errors import DomainError, RuleViolations
from loancenter.pdf import render_pdf
from loancenter.sequences import next_number

from ..models import ActionKind, CollectionAction, PromiseStatus, PromiseToPay
from .access import (
    PROMISE_HORIZON_DAYS,
    amount_owed,
    checked_amount,
    collector_role,
    refuse_more_than_owed,
    require_open,
)


def record_action(*, case, user, kind: str, result: str, next_action_on: date | None = None):
    """One call, text, letter or visit and what came of it; the case's next action date."""
    result = (result or "").strip()
    with transaction.atomic():
        case = workflow.locked(case)
        role = collector_role(user, case)
        require_open(case)
        problems = []
        if kind not in ActionKind.values:
            problems.append(_("Choose what kind of action was taken."))
        if not result:
            problems.append(_("Write down what came of the action."))
        if next_action_on is not None and next_action_on < timezone.localdate():
            problems.append(_("The next action date cannot be in the past."))
        if problems:
            raise RuleViolations(problems)
        action = CollectionAction.objects.create(
            case=case, kind=kind, result=result, next_action_on=next_action_on, done_by=user
        )
        case.next_action_on = next_action_on
        case.save(update_fields=["next_action_on"])
        audit.record(
            actor=user,
            action="record_action",
            obj=case,
            role=role,
            opinion=f"{action.get_kind_display()}: {result}",
        )
    return action


def record_promise(*, case, user, amount, promised_on: date) -> PromiseToPay:
    """承诺还款: the borrower promises ``amount`` by ``promised_on`` (at most 90 days away)."""
    amount = checked_amount(amount)
    today = timezone.localdate()
    with transaction.atomic():
        case = workflow.locked(case)
        role = collector_role(user, case)
        require_open(case)
        if promised_on is None or promised_on < today:
            raise DomainError(_("The promised date cannot be in the past."), code="past_date")
        horizon = today + timedelta(days=PROMISE_HORIZON_DAYS)
        if promised_on > horizon:
            raise DomainError(
                _("A promise to pay may be at most 90 days away (until %(date)s).")
                % {"date": f"{horizon:%Y-%m-%d}"},
                code="too_far",
            )
        refuse_more_than_owed(amount, case.account, _("A promise"))
        pending = case.promises.filter(status=PromiseStatus.PENDING).first()
        if pending is not None:
            raise DomainError(
                _(
                    "This case already has a promise waiting to be kept (%(amount)s by "
                    "%(date)s); one promise at a time."
                )
                % {"amount": f"{pending.amount:,.2f}", "date": f"{pending.promised_on:%Y-%m-%d}"},
                code="promise_pending",
            )
        promise = PromiseToPay.objects.create(
            case=case, amount=amount, made_on=today, promised_on=promised_on, recorded_by=user
        )
        audit.record(
            actor=user,
            action="record_promise",
            obj=case,
            role=role,
            opinion=_("%(amount)s by %(date)s")
            % {"amount": f"{amount:,.2f}", "date": f"{promised_on:%Y-%m-%d}"},
        )
    return promise


def demand_letter(*, case, user, guarantor, pay_by: date) -> tuple[str, bytes]:
    """催收通知书 to one guarantor of the loan, as (letter number, PDF). Writes an audit row."""
    today = timezone.localdate()
    with transaction.atomic():
        case = workflow.locked(case)
        role = collector_role(user, case)
        require_open(case)
        account = case.account
        if guarantor.application_id != account.application_id:
            raise DomainError(_("This guarantor does not guarantee this loan."), code="stranger")
        if pay_by is None or pay_by <= today:
            raise DomainError(_("Give the guarantor a date to pay by after today."))
        number = next_number(f"CS{today:%Y}")
        pdf = render_pdf(
            "collection/pdf/demand_letter.html",
            {
                "number": number,
                "case": case,
                "account": account,
                "customer": account.customer,
                "guarantor": guarantor,
                "pay_by": pay_by,
                "owed": amount_owed(account),
                "overdue_total": account.overdue_principal
                + account.overdue_interest
                + account.penalty_outstanding,
                "printed_on": today,
                "printed_by": user,
            },
        )
        audit.record(
            actor=user,
            action="demand_letter",
            obj=case,
            role=role,
            opinion=_("%(number)s to %(guarantor)s, pay by %(date)s")
            % {"number": number, "guarantor": guarantor.name, "date": f"{pay_by:%Y-%m-%d}"},
        )
    return number, pdf
