"""Re-rating (重新评级): a customer's internal credit grade and limit recomputed from their
current data and repayment behaviour, proposed to a reviewer, who confirms it before limits or
pricing change.

- ``rerate_customer(customer, *, on=None, notify=True) -> CreditRating | None``: refreshes the
  behaviour, scores the customer's latest loan with the active scorecard without storing an
  ApplicationScore, and proposes a rating when the grade differs from the current confirmed
  one (or there is none). None when nothing is proposed.
- ``confirm_rating(*, user, rating, agree, reason)``: the reviewer's decision.
- ``current_rating(customer) -> CreditRating | None``: the latest confirmed rating.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.models import Customer, LoanApplication
from loancenter import audit, notifications
from loancenter.errors import DomainError, InvalidTransition
from loancenter.roles import REVIEWER
from loancenter.workflow import locked, require_role
from loans.behaviour import refresh_behaviour
from review import scoring
from review.models import GradeBand, Scorecard

from .models import CreditRating, RatingStatus

# What a re-rating came to (the job counts them).
PROPOSED, UNCHANGED, PENDING, UNSCORED = "proposed", "unchanged", "pending", "unscored"


@dataclass(frozen=True)
class Evaluation:
    """A score computed without being stored."""

    scorecard: Scorecard
    application: LoanApplication
    total: int
    band: GradeBand
    limit: Decimal
    breakdown: list


def current_rating(customer) -> CreditRating | None:
    """The customer's latest confirmed rating; older confirmed ones are history."""
    return (
        CreditRating.objects.filter(customer=customer, status=RatingStatus.CONFIRMED)
        .select_related("scorecard", "decided_by")
        .order_by("-decided_at", "-pk")
        .first()
    )


def rerate_customer(customer, *, on: date | None = None, notify: bool = True):
    """Propose a new rating when the customer's grade has changed; None otherwise.

    ``notify=False`` leaves telling the reviewers to the caller (the monthly job sends one
    summary instead of a message per customer).
    """
    return rerate(customer, on=on, notify=notify)[1]


def rerate(customer, *, on=None, notify=True) -> tuple[str, CreditRating | None]:
    """What re-rating came to (PROPOSED, UNCHANGED, PENDING or UNSCORED), and the proposal."""
    with transaction.atomic():
        customer = locked(customer)  # one re-rating of a customer at a time
        refresh_behaviour(customer, on)
        evaluation = evaluate(customer)
        if evaluation is None:
            return UNSCORED, None
        current = current_rating(customer)
        pending = (
            CreditRating.objects.select_for_update()
            .filter(customer=customer, status=RatingStatus.PROPOSED)
            .first()
        )
        grade = evaluation.band.grade
        if pending is not None and pending.grade == grade:
            return PENDING, None
        if pending is not None:
            _supersede(pending, customer)
        if current is not None and current.grade == grade:
            return UNCHANGED, None
        rating = _propose(customer, evaluation, current)
        if notify:
            transaction.on_commit(lambda: _notify_reviewers(rating))
    return PROPOSED, rating


def evaluate(customer) -> Evaluation | None:
    """The customer's latest loan scored now with the active scorecard, nothing stored.
    None when there is no scorecard in use or the customer has no application."""
    scorecard = Scorecard.objects.filter(is_active=True).first()
    application = rated_application(customer)
    if scorecard is None or application is None:
        return None
    account = getattr(application, "account", None)
    amount = account.principal if account else application.amount
    term_months = account.term_months if account else application.term_months
    result = scoring.evaluate(scorecard, application, amount=amount, term_months=term_months)
    return Evaluation(
        scorecard=scorecard,
        application=application,
        total=result.total,
        band=result.band,
        limit=result.max_amount,
        breakdown=result.breakdown,
    )


def rated_application(customer) -> LoanApplication | None:
    """The application behind the customer's latest disbursed loan, else their latest one."""
    applications = LoanApplication.objects.filter(customer=customer).select_related("customer")
    disbursed = (
        applications.filter(account__isnull=False)
        .select_related("account")
        .order_by("-account__value_date", "-account__pk")
        .first()
    )
    return disbursed or applications.order_by("-created_at", "-pk").first()


def _propose(customer: Customer, evaluation: Evaluation, current) -> CreditRating:
    rating = CreditRating.objects.create(
        customer=customer,
        application=evaluation.application,
        scorecard=evaluation.scorecard,
        grade=evaluation.band.grade,
        previous_grade=current.grade if current else "",
        score=evaluation.total,
        limit=evaluation.limit,
        breakdown=evaluation.breakdown,
    )
    audit.record(
        actor=None,
        action="propose_rating",
        obj=customer,
        from_state=rating.previous_grade,
        to_state=rating.grade,
        opinion=_("Score %(score)s, limit %(limit)s (%(scorecard)s)")
        % {"score": rating.score, "limit": f"{rating.limit:,.2f}", "scorecard": rating.scorecard},
    )
    return rating


def _supersede(pending: CreditRating, customer: Customer) -> None:
    pending.supersede()
    pending.save()
    audit.record(
        actor=None,
        action="supersede_rating",
        obj=customer,
        from_state=pending.previous_grade,
        to_state=pending.grade,
        opinion=_("Superseded by a later re-rating before anyone confirmed it."),
    )


def _notify_reviewers(rating: CreditRating) -> None:
    notifications.notify_role(
        REVIEWER,
        message=_("Credit grade of %(customer)s: %(before)s → %(after)s; please confirm.")
        % {
            "customer": rating.customer,
            "before": rating.previous_grade or _("none"),
            "after": rating.grade,
        },
        link=reverse("reports:rating_decide", args=[rating.pk]),
    )


def confirm_rating(*, user, rating, agree: bool, reason: str = "") -> CreditRating:
    """The reviewer confirms the proposed grade (it becomes current) or refuses it (the current
    one stays). A refusal needs a reason."""
    role = require_role(user, REVIEWER)
    reason = (reason or "").strip()
    if not agree and not reason:
        raise DomainError(_("Give the reason for not confirming the new grade."), code="reason")
    with transaction.atomic():
        rating = locked(rating)
        if rating.status != RatingStatus.PROPOSED:
            raise InvalidTransition(
                _("This rating is %(status)s; it can no longer be decided.")
                % {"status": rating.get_status_display()}
            )
        (rating.confirm if agree else rating.reject)(user=user, reason=reason)
        rating.save()
        customer = rating.customer
        audit.record(
            actor=user,
            action="confirm_rating" if agree else "reject_rating",
            obj=customer,
            role=role,
            from_state=rating.previous_grade,
            to_state=rating.grade,
            opinion=reason,
        )
        if agree:
            transaction.on_commit(lambda: _tell_officer(rating))
    return rating


def _tell_officer(rating: CreditRating) -> None:
    customer = rating.customer
    notifications.notify(
        recipients=[customer.officer],
        message=_("Credit grade of %(customer)s is now %(grade)s, limit %(limit)s.")
        % {"customer": customer, "grade": rating.grade, "limit": f"{rating.limit:,.2f}"},
        link=reverse("reports:credit_file", args=[customer.pk]),
    )
