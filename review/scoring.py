"""Credit scoring (信用评估模型和评分系统): the active scorecard applied to an application.

Public API (other modules code against it):

- ``characteristic_values(application, *, amount, term_months) -> dict[str, object]``: the value
  of every ``Characteristic`` for this application at this amount and term (None if unknown).
- ``score_application(*, application, trigger, amount=None, term_months=None, scorecard=None)
  -> ApplicationScore | None``: scores with ``scorecard`` (default: the active one; None when
  no scorecard is active), stores and returns the row with the breakdown.
- ``grade_for(scorecard, total) -> GradeBand``: the band a total falls in.
- ``departures(score, *, decision, amount, spread_bp) -> list[str]``: how a reviewer's
  proposal departs from the score's suggestion (each a message); empty when it follows it.
- ``latest_score(application) -> ApplicationScore | None``.

The breakdown is stored as a list of ``{"code", "value", "points"}`` in the scorecard's row
order: ``code`` is the ``Characteristic`` (a display translates it), ``value`` the scored
value as a string (None when unknown) and ``points`` an int. A value that no bin matches is
scored like an unknown one (the row's ``missing_points``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from applications import identity
from applications.models import CreditWarning, LoanApplication
from collateral.selectors import loan_to_value
from loancenter.errors import DomainError
from loancenter.money import to_fen
from loancenter.repayment import build_schedule

from .models import ApplicationScore, Characteristic, GradeBand, Scorecard, SuggestedDecision

# Decisions that lend: a reviewer's "agree", an approver's "approve" or "approve and escalate".
LENDING_DECISIONS = frozenset({"agree", "approve", "escalate"})
PERCENT = Decimal("0.01")


def characteristic_values(
    application: LoanApplication, *, amount, term_months
) -> dict[str, object]:
    customer = application.customer
    today = timezone.localdate()
    income = to_fen(customer.monthly_income or 0)  # unknown when not recorded (zero)
    income = income if income > 0 else None
    return {
        Characteristic.AGE: identity.age_on(customer.birth_date, today),
        Characteristic.MONTHLY_INCOME: income,
        Characteristic.PAYMENT_TO_INCOME: _payment_to_income(
            application, income, to_fen(amount), int(term_months), today
        ),
        Characteristic.EMPLOYMENT_YEARS: customer.employment_years,
        Characteristic.MARITAL_STATUS: customer.marital_status or None,
        Characteristic.HOUSING_STATUS: customer.housing_status or None,
        Characteristic.OVERDUE_HISTORY: customer.worst_days_past_due,
        Characteristic.SECURITY_TYPE: application.security_type or None,
        Characteristic.LOAN_TO_VALUE: loan_to_value(application, to_fen(amount)),
        # every entry ever made for this ID number counts, lifted or not
        Characteristic.WARNING_HITS: CreditWarning.objects.filter(
            id_number=customer.id_number
        ).count(),
    }


@dataclass(frozen=True)
class Evaluation:
    """A score computed but not stored: total, band, suggested maximum and the breakdown."""

    scorecard: Scorecard
    total: int
    band: GradeBand
    max_amount: Decimal
    breakdown: list


def evaluate(scorecard, application, *, amount, term_months) -> Evaluation:
    """Apply ``scorecard`` to the application at this amount and term, storing nothing."""
    values = characteristic_values(application, amount=amount, term_months=term_months)
    breakdown = [
        {
            "code": row.characteristic,
            "value": None
            if values.get(row.characteristic) is None
            else str(values[row.characteristic]),
            "points": _points(row, values.get(row.characteristic)),
        }
        for row in scorecard.rows.order_by("pk")
    ]
    total = sum(item["points"] for item in breakdown)
    band = grade_for(scorecard, total)
    income = application.customer.monthly_income or Decimal("0")
    return Evaluation(
        scorecard, total, band, to_fen(band.max_income_multiple * income * 12), breakdown
    )


def score_application(
    *, application, trigger, amount=None, term_months=None, scorecard=None
) -> ApplicationScore | None:
    if scorecard is None:
        scorecard = Scorecard.objects.filter(is_active=True).first()
        if scorecard is None:
            return None
    amount = to_fen(application.amount if amount is None else amount)
    term_months = application.term_months if term_months is None else int(term_months)
    result = evaluate(scorecard, application, amount=amount, term_months=term_months)
    return ApplicationScore.objects.create(
        application=application,
        scorecard=scorecard,
        trigger=trigger,
        amount=amount,
        term_months=term_months,
        total=result.total,
        grade=result.band.grade,
        decision=result.band.decision,
        max_amount=result.max_amount,
        spread_bp=result.band.spread_bp,
        breakdown=result.breakdown,
    )


def grade_for(scorecard, total) -> GradeBand:
    """The highest band whose minimum the total reaches; below every band, the lowest one."""
    bands = list(scorecard.grades.order_by("-min_score"))
    if not bands:
        raise DomainError(
            _("The scorecard %(scorecard)s has no grade bands.") % {"scorecard": scorecard}
        )
    for band in bands:
        if total >= band.min_score:
            return band
    return bands[-1]


def departures(score, *, decision, amount, spread_bp) -> list[str]:
    """Only a proposal that lends can depart: declining or returning follows any score."""
    if score is None or decision not in LENDING_DECISIONS:
        return []
    messages = []
    if score.decision == SuggestedDecision.DECLINE:
        messages.append(
            _("The score suggests declining (grade %(grade)s, %(total)s points).")
            % {"grade": score.grade, "total": score.total}
        )
    if amount is not None and Decimal(amount) > score.max_amount:
        messages.append(
            _("The amount %(amount)s exceeds the score's suggested maximum of %(maximum)s.")
            % {"amount": f"{Decimal(amount):,.2f}", "maximum": f"{score.max_amount:,.2f}"}
        )
    if spread_bp is not None and int(spread_bp) < score.spread_bp:
        messages.append(
            _(
                "The spread of %(spread)s bp is below the %(suggested)s bp the score suggests "
                "for grade %(grade)s."
            )
            % {"spread": int(spread_bp), "suggested": score.spread_bp, "grade": score.grade}
        )
    return messages


def latest_score(application) -> ApplicationScore | None:
    return (
        ApplicationScore.objects.filter(application=application)
        .select_related("scorecard")
        .order_by("-created_at", "-pk")
        .first()
    )


def _payment_to_income(application, income, amount, term_months, today) -> Decimal | None:
    """The largest monthly payment at this amount and term, as a percentage of income."""
    if income is None or not amount or amount <= 0 or term_months <= 0:
        return None
    schedule = build_schedule(
        principal=amount,
        annual_rate=application.annual_rate,
        months=term_months,
        method=application.repayment_method,
        value_date=today,
    )
    return (schedule.max_payment * 100 / income).quantize(PERCENT, rounding=ROUND_HALF_UP)


def _points(row, value) -> int:
    """The first bin that matches gives the points; unknown or unmatched: ``missing_points``."""
    if value is None:
        return row.missing_points
    for item in row.bins or []:
        if _matches(item, value):
            return int(item["points"])
    return row.missing_points


def _matches(item: dict, value) -> bool:
    if "value" in item:
        return str(item["value"]) == str(value)
    number = _number(value)
    if number is None:
        return False
    low, high = _number(item.get("min")), _number(item.get("max"))
    return (low is None or number >= low) and (high is None or number < high)


def _number(value) -> Decimal | None:
    """Decimal from an int, a Decimal, a string or a JSON float (through its shortest repr)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
