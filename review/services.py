"""Review (审查) and approval within authority (授权审批)."""

from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from applications.models import LoanApplication, Status
from collateral.selectors import ltv_problems
from loancenter.errors import DomainError, PermissionRefused, RuleViolations
from loancenter.roles import APPROVAL, REVIEW, REVIEWER, assert_separate_duties, role_label
from loancenter.workflow import locked, refuse_stale_state, require_role, transition, validated

from . import scoring
from .authority import NEXT_LEVEL, acting_role_for, limit_for
from .models import ApplicationScore, ApprovalDecision, ReviewOpinion

REVIEW_FIELDS = ("checklist", *ReviewOpinion.EDITABLE_FIELDS)
DECISION_FIELDS = ApprovalDecision.EDITABLE_FIELDS


def _grant_view(user, application):
    assign_perm("applications.view_loanapplication", user, application)


def review_application(*, user, application, data: dict) -> ReviewOpinion:
    """The reviewer's opinion: agree or disagree sends it to approval, return to the officer."""
    require_role(user, REVIEWER)
    if not data.get("text", "").strip():
        raise DomainError(_("The review opinion needs its reasons in writing."))
    with transaction.atomic():
        application = locked(application)
        if application.status != Status.REVIEWING:
            refuse_stale_state(application, action_label=_("reviewed"))
        assert_separate_duties(obj=application, user=user, duty=REVIEW)
        opinion = ReviewOpinion(
            application=application,
            reviewer=user,
            **{field: data[field] for field in REVIEW_FIELDS if field in data},
        )
        validated(opinion, exclude=["application", "reviewer"])
        if opinion.decision == ReviewOpinion.AGREE:
            _refuse_ltv(application, opinion.proposed_amount)
        _score_the_proposal(application, opinion)
        opinion.save()
        method = "return_to_officer" if opinion.decision == ReviewOpinion.RETURN else "pass_review"
        transition(
            application,
            method,
            user=user,
            action=f"review_{opinion.decision}",
            action_label=_("reviewed"),
            role=REVIEWER,
            duty=REVIEW,
            opinion=opinion.text,
        )
        _grant_view(user, application)
    return opinion


def decide_application(*, user, application, data: dict) -> ApprovalDecision:
    """Approve within authority (or escalate above it), reject, or return for more information.

    An approval above the acting person's limit is recorded as their opinion and the
    application goes up one level: approver → director → head office.
    """
    if not data.get("reasons", "").strip():
        raise DomainError(_("A decision needs its reasons in writing."))
    with transaction.atomic():
        application = locked(application)
        if application.status not in (Status.APPROVING, Status.ESCALATED):
            refuse_stale_state(application, action_label=_("decided"))
        role = acting_role_for(user, application)
        if role is None:
            raise PermissionRefused(_("This application is not waiting for your decision."))
        assert_separate_duties(obj=application, user=user, duty=APPROVAL)
        decision = ApprovalDecision(
            application=application,
            decided_by=user,
            acting_role=role,
            **{field: data[field] for field in DECISION_FIELDS if field in data},
        )
        if decision.decision == ApprovalDecision.APPROVE:
            _refuse_ltv(application, decision.amount)
        _apply_authority(decision, application, user, role)
        validated(decision, exclude=["application", "decided_by"]).save()
        _move(application, decision, user, role)
        _grant_view(user, application)
    return decision


def _score_the_proposal(application, opinion):
    """Rescore when the reviewer changes amount or term; a departure from the score's
    suggestion needs a written reason (RULES: the scorecard guides, people decide)."""
    changed = (opinion.proposed_amount, opinion.proposed_term_months) != (
        application.amount,
        application.term_months,
    )
    if changed:
        scoring.score_application(
            application=application,
            trigger=ApplicationScore.REVIEW,
            amount=opinion.proposed_amount,
            term_months=opinion.proposed_term_months,
        )
    score = scoring.latest_score(application)
    if score is None or opinion.decision == ReviewOpinion.RETURN:
        return
    spread_bp = int((opinion.proposed_rate - application.lpr_rate) * 100)
    decision = "approve" if opinion.decision == ReviewOpinion.AGREE else "decline"
    reasons = scoring.departures(
        score, decision=decision, amount=opinion.proposed_amount, spread_bp=spread_bp
    )
    if reasons and not opinion.departure_reason.strip():
        raise RuleViolations(
            [*reasons, _("Give a written reason for departing from the score's suggestion.")]
        )


def _refuse_ltv(application, amount):
    problems = ltv_problems(application, amount)
    if problems:
        raise RuleViolations(problems)


def _apply_authority(decision, application, user, role):
    if decision.decision != ApprovalDecision.APPROVE:
        return
    limit = limit_for(user, application.product, role)
    decision.authority_limit = limit
    decision.limit_amount = limit.max_amount if limit else None
    if limit is not None and decision.amount <= limit.max_amount:
        return
    if NEXT_LEVEL[role] is None:
        raise DomainError(
            _("%(amount)s is above every authority limit; it cannot be approved.")
            % {"amount": f"{decision.amount:,.2f}"}
        )
    decision.decision = ApprovalDecision.ESCALATE


def _move(application, decision, user, role):
    common = {"user": user, "role": role, "duty": APPROVAL}
    if decision.decision == ApprovalDecision.ESCALATE:
        level = NEXT_LEVEL[role]
        transition(
            application,
            "escalate",
            level,
            action="escalate",
            action_label=_("escalated"),
            **common,
            opinion=_("Above %(role)s authority (%(limit)s); sent to %(level)s. %(reasons)s")
            % {
                "role": role_label(role),
                "limit": f"{decision.limit_amount:,.2f}" if decision.limit_amount else "0.00",
                "level": level.label,
                "reasons": decision.reasons,
            },
        )
        return
    method = {
        ApprovalDecision.APPROVE: "approve",
        ApprovalDecision.REJECT: "reject",
        ApprovalDecision.RETURN: "return_to_officer",
    }[decision.decision]
    transition(
        application,
        method,
        action=method,
        action_label=_("decided"),
        opinion=decision.reasons,
        **common,
    )


def final_decision(application: LoanApplication) -> ApprovalDecision | None:
    return (
        application.approval_decisions.filter(decision=ApprovalDecision.APPROVE)
        .select_related("decided_by", "authority_limit")
        .last()
    )
