"""Money after write-off (账销案存, 权在力催), and money from insurers and courts, which is a
repayment while the loan is on the book and a recovery once it is written off."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loancenter import audit, workflow
from loancenter.errors import DomainError
from loancenter.roles import COLLECTIONS_OFFICER
from loans.models import AccountStatus, Repayment
from loans.selectors_accounts import statement
from loans.services.repayments import post_repayment

from ..models import Recovery, RecoverySource
from .access import checked_amount, checked_reference, refuse_more_than_owed


def record_recovery(
    *, account, user, amount, received_on: date, source: str, reference, note: str = ""
) -> Recovery:
    """Money recovered on a written-off loan. The same reference with the same amount returns
    the first recovery; with another amount it is refused."""
    workflow.require_role(user, COLLECTIONS_OFFICER)
    amount = checked_amount(amount)
    reference = checked_reference(reference)
    with transaction.atomic():
        account = workflow.locked(account)
        return recover(
            account=account,
            user=user,
            amount=amount,
            received_on=received_on,
            source=source,
            reference=reference,
            note=note,
        )


def recover(*, account, user, amount, received_on, source, reference, note="") -> Recovery:
    """Record a recovery on a locked, written-off account (inside the caller's transaction)."""
    existing = account.recoveries.filter(reference=reference).first()
    if existing is not None:
        return _same_recovery(existing, amount)
    if account.status != AccountStatus.WRITTEN_OFF:
        raise DomainError(
            _(
                "Loan %(number)s is not written off; money received on it is posted as a "
                "repayment, not recorded as a recovery."
            )
            % {"number": account.number},
            code="not_written_off",
        )
    if source not in RecoverySource.values:
        raise DomainError(_("Choose where the money came from."))
    _check_date(account, received_on)
    refuse_more_than_owed(amount, account, _("A recovery"))
    recovery = Recovery.objects.create(
        account=account,
        amount=amount,
        received_on=received_on,
        source=source,
        reference=reference,
        note=(note or "").strip(),
        recorded_by=user,
    )
    audit.record(
        actor=user,
        action="record_recovery",
        obj=account,
        role=COLLECTIONS_OFFICER,
        opinion=f"{amount:,.2f} / {reference} / {recovery.get_source_display()}",
    )
    return recovery


def _same_recovery(existing: Recovery, amount) -> Recovery:
    """The earlier recovery with this reference, if this is the same recovery again."""
    if existing.amount != amount:
        raise DomainError(
            _(
                "Reference %(reference)s was already recorded: a recovery of %(amount)s on "
                "%(date)s. Check the reference."
            )
            % {
                "reference": existing.reference,
                "amount": f"{existing.amount:,.2f}",
                "date": f"{existing.received_on:%Y-%m-%d}",
            },
            code="reference_used",
        )
    existing.already_recorded = True
    return existing


def _check_date(account, received_on) -> None:
    if received_on is None:
        raise DomainError(_("Give the date the money was received."))
    if received_on > timezone.localdate():
        raise DomainError(_("The date received cannot be in the future."), code="future_date")
    if account.written_off_on and received_on < account.written_off_on:
        raise DomainError(
            _("Money received before the write-off (%(date)s) is a repayment, not a recovery.")
            % {"date": f"{account.written_off_on:%Y-%m-%d}"},
            code="before_write_off",
        )


def take_in(
    *, account, user, amount, received_on, reference, channel, source, note=""
) -> Repayment | Recovery:
    """Money from an insurer or a court on a locked account: a repayment through the loans
    service while the loan is on the book (at most what is due), else a recovery."""
    if account.status == AccountStatus.WRITTEN_OFF:
        return recover(
            account=account,
            user=user,
            amount=amount,
            received_on=received_on,
            source=source,
            reference=reference,
            note=note,
        )
    if received_on is None:
        raise DomainError(_("Give the date the money was received."))
    due = statement(account, on=received_on).due_now
    if amount > due and account.status in (AccountStatus.ACTIVE, AccountStatus.OVERDUE):
        raise DomainError(
            _(
                "%(amount)s is more than what is due on %(date)s (%(due)s). Post at most what "
                "is due; repaying the rest early is a separate request."
            )
            % {
                "amount": f"{amount:,.2f}",
                "date": f"{received_on:%Y-%m-%d}",
                "due": f"{due:,.2f}",
            },
            code="exceeds_due",
        )
    return post_repayment(
        user=user,
        account=account,
        amount=amount,
        paid_on=received_on,
        channel=channel,
        reference=reference,
    )
