"""Lawsuits (诉讼) on the collateral or the guarantors past 90 days: filed → judged →
enforcing → closed, and the money the court recovers."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loancenter import audit, workflow
from loancenter.errors import DomainError, RuleViolations
from loancenter.roles import COLLECTIONS_OFFICER
from loans.models import Channel, Repayment

from ..models import LegalAction, LegalStage, Recovery, RecoverySource
from .access import checked_amount, checked_reference, require_open, require_past_due
from .recoveries import take_in


def file_lawsuit(
    *, case, user, court: str, case_number: str, filed_on: date, claim_amount
) -> LegalAction:
    workflow.require_role(user, COLLECTIONS_OFFICER)
    court, case_number = (court or "").strip(), (case_number or "").strip()
    claim_amount = checked_amount(claim_amount)
    with transaction.atomic():
        case = workflow.locked(case)
        require_open(case)
        require_past_due(
            case.account,
            _("Legal action is taken only past 90 days overdue; this loan is %(days)s days."),
        )
        problems = []
        if not court or not case_number:
            problems.append(_("Give the court and the court case number."))
        if filed_on is None or filed_on > timezone.localdate():
            problems.append(_("The filing date cannot be in the future."))
        if problems:
            raise RuleViolations(problems)
        if LegalAction.objects.filter(court=court, case_number=case_number).exists():
            raise DomainError(
                _("Court case %(number)s at %(court)s is already recorded.")
                % {"number": case_number, "court": court},
                code="duplicate",
            )
        lawsuit = LegalAction.objects.create(
            case=case,
            court=court,
            case_number=case_number,
            filed_on=filed_on,
            claim_amount=claim_amount,
            filed_by=user,
        )
        _audit(lawsuit, user, "file_lawsuit", f"{claim_amount:,.2f}")
    return lawsuit


def record_judgment(*, lawsuit, user, judgment: str, judged_on: date) -> LegalAction:
    workflow.require_role(user, COLLECTIONS_OFFICER)
    judgment = (judgment or "").strip()
    with transaction.atomic():
        lawsuit = workflow.locked(lawsuit)
        _require_stage(lawsuit, LegalStage.FILED, _("A judgment"))
        if not judgment:
            raise DomainError(_("Write down what the court decided."))
        _check_date(judged_on, after=lawsuit.filed_on, what=_("The judgment date"))
        lawsuit.judgment, lawsuit.judged_on, lawsuit.stage = judgment, judged_on, LegalStage.JUDGED
        lawsuit.save(update_fields=["judgment", "judged_on", "stage"])
        _audit(lawsuit, user, "record_judgment", judgment)
    return lawsuit


def record_enforcement(*, lawsuit, user, enforcement: str, ended_on: date | None = None):
    """After the judgment: enforcement starts (→ enforcing); with ``ended_on`` it ends
    (→ closed), which is the evidence a write-off on enforcement grounds needs."""
    workflow.require_role(user, COLLECTIONS_OFFICER)
    enforcement = (enforcement or "").strip()
    with transaction.atomic():
        lawsuit = workflow.locked(lawsuit)
        if not enforcement:
            raise DomainError(_("Write down what the enforcement did."))
        if lawsuit.stage == LegalStage.JUDGED:
            if ended_on is not None:
                raise DomainError(_("Enforcement must start before it can end."))
            lawsuit.stage, lawsuit.enforcement = LegalStage.ENFORCING, enforcement
        else:
            _require_stage(lawsuit, LegalStage.ENFORCING, _("Enforcement"))
            if ended_on is None:
                raise DomainError(_("Give the date enforcement ended."))
            _check_date(ended_on, after=lawsuit.judged_on, what=_("The end of enforcement"))
            lawsuit.stage, lawsuit.enforcement_ended_on = LegalStage.CLOSED, ended_on
            lawsuit.enforcement = f"{lawsuit.enforcement}\n{enforcement}".strip()
        lawsuit.save(update_fields=["stage", "enforcement", "enforcement_ended_on"])
        _audit(lawsuit, user, "record_enforcement", enforcement)
    return lawsuit


def record_court_proceeds(
    *, lawsuit, user, amount, received_on: date, reference, note: str = ""
) -> Repayment | Recovery:
    """Money the court enforcement or the sale of collateral brought in."""
    workflow.require_role(user, COLLECTIONS_OFFICER)
    amount = checked_amount(amount)
    reference = checked_reference(reference)
    with transaction.atomic():
        lawsuit = workflow.locked(lawsuit)
        if lawsuit.stage == LegalStage.FILED:
            raise DomainError(
                _("Court proceeds come after the judgment; record the judgment first."),
                code="no_judgment",
            )
        money = take_in(
            account=workflow.locked(lawsuit.case.account),
            user=user,
            amount=amount,
            received_on=received_on,
            reference=reference,
            channel=Channel.COURT,
            source=RecoverySource.COURT,
            note=(note or "").strip() or str(lawsuit),
        )
        _audit(lawsuit, user, "court_proceeds", f"{amount:,.2f} / {reference}")
    return money


def _require_stage(lawsuit, stage: str, what: str) -> None:
    if lawsuit.stage != stage:
        raise DomainError(
            _("%(what)s cannot be recorded now: the lawsuit is at the stage “%(stage)s”.")
            % {"what": what, "stage": lawsuit.get_stage_display()},
            code="wrong_stage",
        )


def _check_date(day, *, after, what: str) -> None:
    if day is None or day > timezone.localdate():
        raise DomainError(_("%(what)s cannot be in the future.") % {"what": what})
    if after is not None and day < after:
        raise DomainError(
            _("%(what)s cannot be before %(date)s.") % {"what": what, "date": f"{after:%Y-%m-%d}"}
        )


def _audit(lawsuit, user, action: str, text: str) -> None:
    audit.record(
        actor=user,
        action=action,
        obj=lawsuit.case,
        role=COLLECTIONS_OFFICER,
        opinion=f"{lawsuit} ({lawsuit.get_stage_display()}): {text}",
    )
