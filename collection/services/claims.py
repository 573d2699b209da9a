"""Insurance claims (理赔) on the guarantee-insurance policy of an insured loan past 90 days."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loancenter import audit, workflow
from loancenter.errors import DomainError
from loancenter.roles import COLLECTIONS_OFFICER
from loans.models import Channel, Repayment

from ..models import ClaimStatus, InsuranceClaim, RecoverySource
from .access import (
    checked_amount,
    checked_reference,
    refuse_more_than_owed,
    require_open,
    require_past_due,
)
from .recoveries import take_in


def policy_of(account):
    """The loan's guarantee-insurance policy (the latest cover), or None when not insured."""
    return account.application.insurance_policies.order_by("-ends_on", "-pk").first()


def file_claim(*, case, user, amount, claimed_on: date) -> InsuranceClaim:
    workflow.require_role(user, COLLECTIONS_OFFICER)
    amount = checked_amount(amount)
    with transaction.atomic():
        case = workflow.locked(case)
        require_open(case)
        account = case.account
        policy = _claimable(case, account, claimed_on)
        refuse_more_than_owed(amount, account, _("A claim"))
        claim = InsuranceClaim.objects.create(
            case=case,
            insurer=policy.insurer,
            policy_number=policy.policy_number,
            claimed_on=claimed_on,
            amount=amount,
            filed_by=user,
        )
        audit.record(
            actor=user,
            action="file_claim",
            obj=case,
            role=COLLECTIONS_OFFICER,
            opinion=f"{policy}: {amount:,.2f}",
        )
    return claim


def _claimable(case, account, claimed_on):
    """The policy to claim on, or a refusal: insured, past 90 days, no claim still open."""
    policy = policy_of(account)
    if policy is None:
        raise DomainError(
            _("Loan %(number)s is not insured; there is no policy to claim on.")
            % {"number": account.number},
            code="not_insured",
        )
    require_past_due(
        account,
        _("An insurance claim is filed only past 90 days overdue; this loan is %(days)s days."),
    )
    if claimed_on is None or claimed_on > timezone.localdate():
        raise DomainError(_("The claim date cannot be in the future."), code="future_date")
    open_claim = case.claims.filter(status=ClaimStatus.FILED).first()
    if open_claim is not None:
        raise DomainError(
            _("A claim filed on %(date)s is still open; record its outcome first.")
            % {"date": f"{open_claim.claimed_on:%Y-%m-%d}"},
            code="claim_open",
        )
    return policy


def record_claim_outcome(
    *, claim, user, paid: bool, amount_paid=None, paid_on=None, reference="", note=""
) -> InsuranceClaim:
    """The insurer rejected the claim (with its reason) or paid: a repayment from the insurer,
    or a recovery when the loan is already written off."""
    workflow.require_role(user, COLLECTIONS_OFFICER)
    note = (note or "").strip()
    with transaction.atomic():
        claim = workflow.locked(claim)
        if claim.status != ClaimStatus.FILED:
            raise DomainError(
                _("This claim is already %(state)s.") % {"state": claim.get_status_display()},
                code="claim_decided",
            )
        if not paid:
            return _reject(claim, user, note)
        amount = _checked_payment(claim, amount_paid, paid_on)
        money = take_in(
            account=workflow.locked(claim.case.account),
            user=user,
            amount=amount,
            received_on=paid_on,
            reference=checked_reference(reference),
            channel=Channel.INSURER,
            source=RecoverySource.INSURER,
            note=note or str(claim),
        )
        claim.status, claim.amount_paid, claim.paid_on, claim.note = (
            ClaimStatus.PAID,
            amount,
            paid_on,
            note,
        )
        claim.repayment = money if isinstance(money, Repayment) else None
        claim.save(update_fields=["status", "amount_paid", "paid_on", "note", "repayment"])
        _audit(claim, user, _("Paid %(amount)s") % {"amount": f"{amount:,.2f}"})
    return claim


def _reject(claim, user, note: str) -> InsuranceClaim:
    if not note:
        raise DomainError(_("Give the insurer's reason for rejecting the claim."))
    claim.status, claim.note = ClaimStatus.REJECTED, note
    claim.save(update_fields=["status", "note"])
    _audit(claim, user, _("Rejected: %(note)s") % {"note": note})
    return claim


def _checked_payment(claim, amount_paid, paid_on):
    amount = checked_amount(amount_paid)
    if amount > claim.amount:
        raise DomainError(
            _("The insurer's payment cannot be more than the amount claimed (%(amount)s).")
            % {"amount": f"{claim.amount:,.2f}"}
        )
    if paid_on is None or paid_on < claim.claimed_on:
        raise DomainError(
            _("Give the date the insurer paid, on or after the claim date (%(date)s).")
            % {"date": f"{claim.claimed_on:%Y-%m-%d}"}
        )
    return amount


def _audit(claim, user, text: str) -> None:
    audit.record(
        actor=user,
        action="claim_outcome",
        obj=claim.case,
        role=COLLECTIONS_OFFICER,
        opinion=f"{claim}: {text}",
    )
