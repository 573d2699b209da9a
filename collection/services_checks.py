"""Post-loan checks (贷后检查, RULES.md §1): the loan officer visits and records what was found.

Completing a check schedules the next one (due date + the product's interval) while the loan
is open; a conclusion of "risk found" flags the loan for review and tells the reviewers.
"""

from __future__ import annotations

from datetime import date

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from loancenter import audit
from loancenter.errors import DomainError, PermissionRefused, RuleViolations
from loancenter.repayment import add_months
from loancenter.roles import LOAN_OFFICER
from loancenter.workflow import locked, require_role
from loans.models import AccountStatus
from loans.services.classification import flag_for_review

from .models import CheckConclusion, CheckSchedule, PostLoanCheck

OPEN_STATES = (AccountStatus.ACTIVE, AccountStatus.OVERDUE)


class RiskSignal(models.TextChoices):
    """Warning signs a post-loan check looks for (fixed list)."""

    BUSINESS_DECLINE = "business_decline", gettext_lazy("Business or income in decline")
    FUNDS_MISUSED = "funds_misused", gettext_lazy("Loan funds used for another purpose")
    COLLATERAL_FALLEN = "collateral_fallen", gettext_lazy("Collateral value has fallen")
    GUARANTOR_WEAKENED = "guarantor_weakened", gettext_lazy("Guarantor's capacity weakened")
    LITIGATION = "litigation", gettext_lazy("Borrower in litigation")
    CONTACT_LOST = "contact_lost", gettext_lazy("Borrower cannot be reached")
    OTHER_BANK_ARREARS = "other_bank_arrears", gettext_lazy("Arrears at other banks")


def signal_labels(codes) -> list[str]:
    return [str(RiskSignal(code).label) for code in codes if code in RiskSignal.values]


def _problems(check, *, findings, risk_signals, conclusion, done_on, today) -> list[str]:
    problems = []
    if not (findings or "").strip():
        problems.append(_("Write down the findings of the check."))
    unknown = [code for code in risk_signals if code not in RiskSignal.values]
    if unknown:
        problems.append(
            _("Unknown risk signals: %(codes)s.") % {"codes": ", ".join(map(str, unknown))}
        )
    if conclusion not in CheckConclusion.values:
        problems.append(_("Choose a conclusion: normal, watch or risk found."))
    if done_on is None:
        problems.append(_("Give the date the check was done."))
    elif done_on > today:
        problems.append(_("The check cannot be dated in the future."))
    elif done_on < check.account.value_date:
        problems.append(_("The check cannot be dated before the loan's value date."))
    return problems


def record_check(
    *, check, user, findings: str, risk_signals, conclusion: str, done_on: date
) -> PostLoanCheck:
    """The loan's own officer records the check; the next one is scheduled."""
    require_role(user, LOAN_OFFICER)
    risk_signals = list(dict.fromkeys(risk_signals or []))
    with transaction.atomic():
        check = locked(check)
        account = locked(check.account)
        check.account = account
        if account.officer_id != user.pk:
            raise PermissionRefused(_("Only the loan's own officer may record its checks."))
        if check.done_on is not None:
            raise DomainError(
                _("Check #%(sequence)s was already recorded on %(date)s.")
                % {"sequence": check.sequence, "date": f"{check.done_on:%Y-%m-%d}"}
            )
        problems = _problems(
            check,
            findings=findings,
            risk_signals=risk_signals,
            conclusion=conclusion,
            done_on=done_on,
            today=timezone.localdate(),
        )
        if problems:
            raise RuleViolations(problems)
        check.findings, check.risk_signals = findings.strip(), risk_signals
        check.conclusion, check.done_on, check.done_by = conclusion, done_on, user
        check.save(update_fields=["findings", "risk_signals", "conclusion", "done_on", "done_by"])
        audit.record(
            actor=user,
            action="record_check",
            obj=account,
            role=LOAN_OFFICER,
            opinion=_summary(check),
        )
        _schedule_next(check, account)
        if conclusion == CheckConclusion.RISK:
            _flag(check, account, user)
    return check


def _summary(check) -> str:
    signals = "、".join(signal_labels(check.risk_signals))
    text = f"#{check.sequence} {check.get_conclusion_display()}: {check.findings}"
    return f"{text} ({signals})" if signals else text


def _schedule_next(check, account) -> PostLoanCheck | None:
    if account.status not in OPEN_STATES:
        return None
    schedule = CheckSchedule.objects.filter(product_id=account.product_id, is_active=True).first()
    if schedule is None:
        return None
    upcoming, _created = PostLoanCheck.objects.get_or_create(
        account=account,
        sequence=check.sequence + 1,
        defaults={"due_on": add_months(check.due_on, schedule.every_months)},
    )
    return upcoming


def _flag(check, account, user) -> None:
    signals = "、".join(signal_labels(check.risk_signals))
    reason = _("Post-loan check #%(sequence)s found risk: %(signals)s") % {
        "sequence": check.sequence,
        "signals": signals or check.findings,
    }
    flag_for_review(account=account, reason=reason, user=user, role=LOAN_OFFICER)
