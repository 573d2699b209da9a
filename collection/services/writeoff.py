"""Write-off (核销, 《金融企业呆账核销管理办法》): the collections officer asks with evidence, the
reviewer reviews the legal papers, the director approves within the limit (head office above
it), and the loan is written off — the file is kept and recovery goes on (账销案存)."""

from __future__ import annotations

from uuid import uuid4

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.documents import inspect_upload
from loancenter import audit, notifications, workflow
from loancenter.errors import DomainError, RuleViolations, SeparationOfDutiesError
from loancenter.parameters import parameter
from loancenter.roles import COLLECTIONS_OFFICER, DIRECTOR, HEAD_OFFICE, REVIEWER
from loans.models import AccountStatus

from ..models import (
    EvidenceKind,
    Track,
    WriteOffEvidence,
    WriteOffGround,
    WriteOffRequest,
    WriteOffStatus,
)
from .access import require_open, require_past_due

DIRECTOR_LIMIT_KEY = "write_off_director_limit"
DIRECTOR_LIMIT_DEFAULT = "500000.00"
OPEN_STATES = (
    WriteOffStatus.PENDING_REVIEW,
    WriteOffStatus.PENDING_APPROVAL,
    WriteOffStatus.ESCALATED,
)
# Per ground, the evidence it needs: one kind out of each group.
REQUIRED_EVIDENCE = {
    WriteOffGround.DEAD_OR_MISSING: (
        (EvidenceKind.DEATH_CERTIFICATE, EvidenceKind.MISSING_DECLARATION),
        (EvidenceKind.PURSUIT_RECORD,),
    ),
    WriteOffGround.ENFORCEMENT_FAILED: (
        (EvidenceKind.JUDGMENT,),
        (EvidenceKind.ENFORCEMENT_RULING,),
    ),
    WriteOffGround.ENFORCEMENT_ENDED: (
        (EvidenceKind.JUDGMENT,),
        (EvidenceKind.ENFORCEMENT_RULING,),
    ),
}


def director_limit():
    return parameter(DIRECTOR_LIMIT_KEY, DIRECTOR_LIMIT_DEFAULT)


def missing_evidence(ground: str, kinds) -> list[str]:
    """A message for each kind of evidence ``ground`` needs and ``kinds`` lacks."""
    labels = dict(EvidenceKind.choices)
    return [
        _("Attach the evidence: %(kinds)s.")
        % {"kinds": _(" or ").join(str(labels[k]) for k in group)}
        for group in REQUIRED_EVIDENCE.get(ground, ())
        if not set(group) & set(kinds)
    ]


def request_write_off(*, case, user, ground: str, reason: str, evidence) -> WriteOffRequest:
    """``evidence``: a list of (kind, uploaded file); files are judged by their content."""
    workflow.require_role(user, COLLECTIONS_OFFICER)
    reason = (reason or "").strip()
    files = _inspected(evidence)
    with transaction.atomic():
        case = workflow.locked(case)
        require_open(case)
        account = workflow.locked(case.account)
        _check_account(account)
        problems = _problems(ground, reason, [kind for kind, _file, _type in files])
        if problems:
            raise RuleViolations(problems)
        request = WriteOffRequest.objects.create(
            case=case,
            account=account,
            ground=ground,
            reason=reason,
            principal=account.principal_outstanding,
            interest=account.overdue_interest + account.penalty_outstanding,
            requested_by=user,
        )
        _store(request, files, user)
        audit.record(
            actor=user,
            action="request_write_off",
            obj=request,
            role=COLLECTIONS_OFFICER,
            to_state=request.status,
            opinion=f"{request.get_ground_display()}: {reason}",
        )
        _notify_role_later(
            REVIEWER, request, _("A write-off of loan %(number)s awaits your review.")
        )
    return request


def _problems(ground: str, reason: str, kinds: list[str]) -> list[str]:
    problems = [] if ground in WriteOffGround.values else [_("Choose the ground for writing off.")]
    if not reason:
        problems.append(_("Give the reasons for writing off."))
    if set(kinds) - set(EvidenceKind.values):
        problems.append(_("Unknown kind of evidence."))
    return problems + missing_evidence(ground, kinds)


def _store(request, files, user) -> None:
    """The evidence files under random names, like application documents."""
    for kind, uploaded, content_type in files:
        item = WriteOffEvidence(
            request=request,
            kind=kind,
            original_name=uploaded.name[:200],
            content_type=content_type,
            uploaded_by=user,
        )
        item.file.save(uuid4().hex, uploaded, save=False)
        item.save()


def _inspected(evidence) -> list[tuple]:
    files = []
    for kind, uploaded in evidence or ():
        try:
            content_type, _sha256 = inspect_upload(uploaded)
        except DomainError as error:
            raise DomainError(f"{uploaded.name}: {error.message}", code=error.code) from None
        files.append((kind, uploaded, content_type))
    return files


def _check_account(account) -> None:
    if account.status not in (AccountStatus.ACTIVE, AccountStatus.OVERDUE):
        raise DomainError(
            _("Loan %(number)s is %(state)s; it cannot be written off.")
            % {"number": account.number, "state": account.get_status_display()},
            code="not_writable",
        )
    require_past_due(
        account, _("A loan is written off only past 90 days overdue; this loan is %(days)s days.")
    )
    pending = account.write_offs.filter(status__in=OPEN_STATES).first()
    if pending is not None:
        raise DomainError(
            _("A write-off of this loan is already %(state)s.")
            % {"state": pending.get_status_display()},
            code="write_off_open",
        )


def review_write_off(*, request, user, agree: bool, opinion: str) -> WriteOffRequest:
    """审查: the reviewer checks the legal papers; disagreeing rejects the request."""
    workflow.require_role(user, REVIEWER)
    opinion = _required_opinion(opinion, _("The review opinion needs its reasons in writing."))
    with transaction.atomic():
        request = workflow.locked(request)
        if request.requested_by_id == user.pk:
            raise SeparationOfDutiesError(
                _("Separation of duties: the one who asked for the write-off may not review it.")
            )
        request.reviewed_by, request.review_opinion = user, opinion
        workflow.transition(
            request,
            "pass_review" if agree else "reject",
            user=user,
            action="review_write_off",
            action_label=_("reviewed"),
            role=REVIEWER,
            opinion=opinion,
        )
        if agree:
            _notify_role_later(
                DIRECTOR, request, _("A write-off of loan %(number)s awaits your decision.")
            )
        else:
            _notify_requester_later(request)
    return request


def decide_write_off(*, request, user, approve: bool, opinion: str) -> WriteOffRequest:
    """The director decides within ``write_off_director_limit``; above it the director's
    approval sends the request to head office, which decides."""
    opinion = _required_opinion(opinion, _("A decision needs its reasons in writing."))
    with transaction.atomic():
        request = workflow.locked(request)
        if request.status == WriteOffStatus.PENDING_APPROVAL:
            role = workflow.require_role(user, DIRECTOR)
        elif request.status == WriteOffStatus.ESCALATED:
            role = workflow.require_role(user, HEAD_OFFICE)
        else:
            workflow.refuse_stale_state(request, action_label=_("decided"))
        _check_decider(request, user)
        method = _decision(request, role=role, approve=approve)
        if method != "escalate":
            request.decided_by, request.decision_opinion = user, opinion
        workflow.transition(
            request,
            method,
            user=user,
            action=f"{method}_write_off",
            action_label=_("decided"),
            role=role,
            opinion=opinion,
        )
        if method == "approve":
            _write_off(request, user=user, role=role, opinion=opinion)
        if method == "escalate":
            _notify_role_later(
                HEAD_OFFICE,
                request,
                _(
                    "A write-off of loan %(number)s above the director's limit awaits your "
                    "decision."
                ),
            )
        else:
            _notify_requester_later(request)
    return request


def _decision(request, *, role: str, approve: bool) -> str:
    """The request's transition: the director's approval above the limit goes up."""
    if not approve:
        return "reject"
    if role == DIRECTOR and request.principal > director_limit():
        return "escalate"
    return "approve"


def _check_decider(request, user) -> None:
    escalated_by = audit.events_for(request).filter(action="escalate_write_off")
    if (
        user.pk in (request.requested_by_id, request.reviewed_by_id)
        or escalated_by.filter(actor=user).exists()
    ):
        raise SeparationOfDutiesError(
            _(
                "Separation of duties: whoever asked for, reviewed or sent up this write-off "
                "may not also decide it."
            )
        )


def _write_off(request, *, user, role: str, opinion: str) -> None:
    case = workflow.locked(request.case)
    if not case.is_open:
        raise DomainError(
            _(
                "The case was closed (the arrears were cleared); this write-off can only be "
                "rejected."
            ),
            code="case_closed",
        )
    account = workflow.locked(request.account)
    workflow.transition(
        account,
        "write_off",
        timezone.localdate(),
        user=user,
        action="write_off",
        action_label=_("written off"),
        role=role,
        opinion=opinion,
    )
    case.track = Track.WRITTEN_OFF
    case.save(update_fields=["track"])


def _required_opinion(opinion, refusal) -> str:
    opinion = (opinion or "").strip()
    if not opinion:
        raise DomainError(refusal)
    return opinion


def _link(request) -> str:
    return reverse("collection:writeoff_detail", args=[request.pk])


def _notify_role_later(role: str, request, message: str) -> None:
    text = message % {"number": request.account.number}
    link = _link(request)
    transaction.on_commit(lambda: notifications.notify_role(role, message=text, link=link))


def _notify_requester_later(request) -> None:
    text = _("The write-off of loan %(number)s was %(state)s.") % {
        "number": request.account.number,
        "state": request.get_status_display(),
    }
    recipients, link = [request.requested_by], _link(request)
    transaction.on_commit(
        lambda: notifications.notify(recipients=recipients, message=text, link=link)
    )
