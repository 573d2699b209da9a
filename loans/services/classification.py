"""Five-level classification by hand (RULES.md §5) and the review flag.

A worse class may be asked for at any time, a better one only once the arrears are cleared and
never better than the floor for the days past due; the director decides, not the one who asked.
The sweep writes the floor changes itself. The review flag (``needs_review``) is raised by the
credit warning list and by post-loan checks that find risk; a reviewer clears it with a note.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from loancenter import audit
from loancenter.errors import DomainError, PermissionRefused, SeparationOfDutiesError
from loancenter.notifications import notify, notify_role
from loancenter.roles import (
    ARCHIVIST,
    COLLECTIONS_OFFICER,
    DIRECTOR,
    LOAN_OFFICER,
    REVIEWER,
    has_role,
)
from loancenter.workflow import locked, require_role

from ..models import (
    ZERO,
    AccountStatus,
    ChangeOrigin,
    Classification,
    ClassificationChange,
    DecisionStatus,
    LoanAccount,
)
from ..overdue import ORDER, classification_floor

REQUESTING_ROLES = (REVIEWER, COLLECTIONS_OFFICER, ARCHIVIST, LOAN_OFFICER)
# Roles that may ask about any loan; a loan officer asks only about their own.
ASKS_ABOUT_ANY_LOAN = (REVIEWER, COLLECTIONS_OFFICER, ARCHIVIST)
OPEN_STATES = (AccountStatus.ACTIVE, AccountStatus.OVERDUE)
REASON_LENGTH = 200  # LoanAccount.review_reason


def is_worse(to_class: str, than: str) -> bool:
    return ORDER.index(to_class) > ORDER.index(than)


def class_label(code: str) -> str:
    return str(Classification(code).label)


# --- asking -----------------------------------------------------------------------------------


def may_request_classification(user, account: LoanAccount) -> bool:
    """Whether ``user`` may ask to reclassify ``account`` (the page shows the form by this)."""
    if has_role(user, *ASKS_ABOUT_ANY_LOAN):
        return True
    return has_role(user, LOAN_OFFICER) and account.officer_id == user.pk


def _refuse_better(account: LoanAccount, to_class: str) -> None:
    """Never better than the floor for the days past due, and only with the arrears cleared."""
    floor = classification_floor(account.days_past_due)
    if is_worse(floor, to_class):
        raise DomainError(
            _("At %(days)s days past due the class may not be better than %(floor)s.")
            % {"days": account.days_past_due, "floor": class_label(floor)}
        )
    if account.days_past_due > 0 or account.overdue_principal > ZERO:
        raise DomainError(
            _(
                "A better class is allowed only once the arrears are cleared "
                "(%(days)s days past due, overdue principal %(principal)s)."
            )
            % {"days": account.days_past_due, "principal": f"{account.overdue_principal:,.2f}"}
        )


def _check_request(account: LoanAccount, to_class: str) -> str:
    """The origin of the change asked for, or a refusal."""
    if account.status not in OPEN_STATES:
        raise DomainError(
            _("The loan is %(state)s; its class can no longer be changed.")
            % {"state": account.get_status_display()}
        )
    if to_class == account.classification:
        raise DomainError(
            _("The loan is already classed %(class)s.") % {"class": class_label(to_class)}
        )
    if account.classification_changes.filter(status=DecisionStatus.PENDING).exists():
        raise DomainError(_("Another classification change of this loan awaits the director."))
    if is_worse(to_class, account.classification):
        return ChangeOrigin.MANUAL_WORSE
    _refuse_better(account, to_class)
    return ChangeOrigin.MANUAL_BETTER


def request_classification(*, account, user, to_class: str, reason: str) -> ClassificationChange:
    """Ask the director to put the loan in another class, with the reason in writing."""
    role = require_role(user, *REQUESTING_ROLES)
    if to_class not in Classification.values:
        raise DomainError(_("Choose one of the five classes."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the change in writing."))
    with transaction.atomic():
        account = locked(account)
        if not may_request_classification(user, account):
            raise PermissionRefused(_("A loan officer may ask only about their own loans."))
        origin = _check_request(account, to_class)
        change = ClassificationChange.objects.create(
            account=account,
            from_class=account.classification,
            to_class=to_class,
            origin=origin,
            reason=reason,
            days_past_due=account.days_past_due,
            effective_on=timezone.localdate(),
            requested_by=user,
        )
        audit.record(
            actor=user,
            action="request_classification",
            obj=account,
            role=role,
            opinion=f"{class_label(change.from_class)} → {class_label(to_class)}: {reason}",
        )
        message = _("%(number)s: %(from)s → %(to)s asked for, awaiting your decision.") % {
            "number": account.number,
            "from": class_label(change.from_class),
            "to": class_label(to_class),
        }
        link = reverse("loans:classification_queue")
        transaction.on_commit(lambda: notify_role(DIRECTOR, message=message, link=link))
    return change


# --- deciding ---------------------------------------------------------------------------------


def _refuse_stale(change: ClassificationChange, account: LoanAccount) -> None:
    """The account must still be where the request found it, and still qualify."""
    if account.classification != change.from_class:
        raise DomainError(
            _(
                "The loan has been reclassified since the request (now %(class)s); "
                "reject this request and ask again."
            )
            % {"class": account.get_classification_display()}
        )
    if account.status not in OPEN_STATES:
        raise DomainError(
            _("The loan is %(state)s; its class can no longer be changed.")
            % {"state": account.get_status_display()}
        )
    if change.origin == ChangeOrigin.MANUAL_BETTER:
        _refuse_better(account, change.to_class)


def decide_classification(*, change, user, approve: bool, opinion: str) -> ClassificationChange:
    """The director approves or rejects a requested change; approval reclassifies the loan."""
    require_role(user, DIRECTOR)
    opinion = (opinion or "").strip()
    if not opinion:
        raise DomainError(_("A decision needs its reasons in writing."))
    with transaction.atomic():
        change = locked(change)
        account = locked(change.account)
        if change.status != DecisionStatus.PENDING:
            raise DomainError(
                _("This request is already decided: %(state)s.")
                % {"state": change.get_status_display()}
            )
        if change.requested_by_id == user.pk:
            raise SeparationOfDutiesError(
                _("Separation of duties: you asked for this change, so you may not decide it.")
            )
        if approve:
            _refuse_stale(change, account)
            account.classification = change.to_class
            account.save(update_fields=["classification"])
        change.status = DecisionStatus.APPROVED if approve else DecisionStatus.REJECTED
        change.decided_by, change.decided_at = user, timezone.now()
        change.decision_opinion = opinion
        change.save(update_fields=["status", "decided_by", "decided_at", "decision_opinion"])
        _record_decision(change, account, user, opinion)
    return change


def _record_decision(change, account, user, opinion) -> None:
    approved = change.status == DecisionStatus.APPROVED
    audit.record(
        actor=user,
        action="approve_classification" if approved else "reject_classification",
        obj=change,
        role=DIRECTOR,
        from_state=DecisionStatus.PENDING,
        to_state=change.status,
        opinion=opinion,
    )
    if approved:
        audit.record(
            actor=user,
            action="reclassify",
            obj=account,
            role=DIRECTOR,
            from_state=change.from_class,
            to_state=change.to_class,
            opinion=f"{change.reason} / {opinion}",
        )
    if change.requested_by_id:
        message = _("%(number)s: %(from)s → %(to)s %(decision)s by the director.") % {
            "number": account.number,
            "from": class_label(change.from_class),
            "to": class_label(change.to_class),
            "decision": change.get_status_display(),
        }
        link = reverse("loans:account_classification", args=[account.pk])
        requester = change.requested_by
        transaction.on_commit(lambda: notify(recipients=[requester], message=message, link=link))


# --- the review flag --------------------------------------------------------------------------


def flag_for_review(*, account: LoanAccount, reason: str, user=None, role: str = "") -> None:
    """Raise the review flag of an account the caller has locked, with an audit row, and tell
    the reviewers. The latest reason replaces an earlier one; the audit trail keeps both."""
    reason = reason[:REASON_LENGTH]
    account.needs_review, account.review_reason = True, reason
    account.save(update_fields=["needs_review", "review_reason"])
    audit.record(actor=user, action="flag_for_review", obj=account, role=role, opinion=reason)
    message = _("%(number)s flagged for review: %(reason)s") % {
        "number": account.number,
        "reason": reason,
    }
    link = reverse("loans:account_classification", args=[account.pk])
    transaction.on_commit(lambda: notify_role(REVIEWER, message=message, link=link))


def clear_review_flag(*, account, user, note: str) -> LoanAccount:
    """A reviewer has looked into the flag and clears it, saying what was found."""
    require_role(user, REVIEWER)
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say in a note what the review found."))
    with transaction.atomic():
        account = locked(account)
        if not account.needs_review:
            raise DomainError(_("This loan is not flagged for review."))
        reason = account.review_reason
        account.needs_review, account.review_reason = False, ""
        account.save(update_fields=["needs_review", "review_reason"])
        audit.record(
            actor=user,
            action="clear_review_flag",
            obj=account,
            role=REVIEWER,
            opinion=f"{reason} / {note}" if reason else note,
        )
    return account


# --- reads for the pages ----------------------------------------------------------------------


def pending_requests():
    return ClassificationChange.objects.filter(status=DecisionStatus.PENDING)


def pending_classification_count(user) -> int:
    """The director's nav badge: requests waiting for a decision."""
    if not has_role(user, DIRECTOR):
        return 0
    return pending_requests().count()


def history(account: LoanAccount):
    return account.classification_changes.select_related("requested_by", "decided_by").order_by(
        "-requested_at", "-pk"
    )
