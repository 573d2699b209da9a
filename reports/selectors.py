"""Reads for the credit file (资信档案), the rating queue and the scorecard validation report.
Each page makes a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from applications.catalog import HousingStatus, MaritalStatus, SecurityType
from applications.models import Customer, LoanApplication
from applications.selectors import customer_for, visible_applications
from loancenter import audit
from loancenter.roles import AUDITOR, DIRECTOR, REVIEWER, has_role
from loans.behaviour import Behaviour, account_behaviour, ever_days_past_due
from loans.models import LoanAccount
from loans.selectors_accounts import may_see_account, visible_accounts
from review.models import ApplicationScore, Characteristic, GradeBand, Scorecard

from .models import CreditRating, RatingStatus

BAD_DAYS = 90  # "bad": ever 90 or more days past due
PERCENT = Decimal("0.01")
RATING_ROLES = (REVIEWER, DIRECTOR, AUDITOR)
VALIDATION_ROLES = (DIRECTOR, REVIEWER, AUDITOR)
UNSCORED = ""


def reads_ratings(user) -> bool:
    return user.is_superuser or has_role(user, *RATING_ROLES)


def reads_validation(user) -> bool:
    return user.is_superuser or has_role(user, *VALIDATION_ROLES)


# --- credit file ------------------------------------------------------------------------------


def credit_file_customer(user, pk) -> Customer:
    """The customer, for those who may see them or one of their loan accounts (the reviewer
    who confirms a grade sees every account); 404 for anyone else."""
    try:
        customer = customer_for(user, pk)
    except Http404:
        accounts = visible_accounts(user).filter(customer_id=pk)
        customer = Customer.objects.select_related("officer").filter(pk=pk).first()
        if customer is None or not accounts.exists():
            raise
        customer.page_visible = False  # the customer page itself would answer 404
    else:
        customer.page_visible = True
    return customer


def credit_file(user, customer, *, on: date | None = None) -> dict:
    """Everything the credit file shows, as template context."""
    on = on or timezone.localdate()
    applications = list(
        LoanApplication.objects.filter(customer=customer)
        .select_related("product")
        .order_by("-created_at", "-pk")
    )
    visible = set(visible_applications(user).filter(customer=customer).values_list("pk", flat=True))
    for application in applications:
        application.visible = application.pk in visible
    accounts = list(
        LoanAccount.objects.filter(customer=customer)
        .select_related("product", "application")
        .order_by("-value_date", "-pk")
    )
    behaviour = account_behaviour(accounts, on)
    for account in accounts:
        account.behaviour = behaviour.get(account.pk, Behaviour())
        account.visible = may_see_account(user, account)
    ratings = list(
        CreditRating.objects.filter(customer=customer)
        .select_related("scorecard", "decided_by")
        .order_by("-computed_at", "-pk")
    )
    confirmed = [rating for rating in ratings if rating.status == RatingStatus.CONFIRMED]
    current = max(confirmed, key=lambda r: (r.decided_at, r.pk), default=None)
    scores = list(
        ApplicationScore.objects.filter(application__customer=customer)
        .select_related("application", "scorecard")
        .order_by("created_at", "pk")
    )
    return {
        "customer": customer,
        "events": customer_events(customer),
        "applications": applications,
        "accounts": accounts,
        "scores": scores,
        "latest_score": scores[-1] if scores else None,
        "current_rating": current,
        "pending_ratings": [r for r in ratings if r.status == RatingStatus.PROPOSED],
        "ratings": ratings,
        "on": on,
    }


def customer_events(customer) -> list:
    """The audit trail of the customer; a data change names the fields it changed."""
    events = list(audit.events_for(customer))
    labels = {f.name: str(f.verbose_name) for f in Customer._meta.fields}
    for event in events:
        if event.action == "update_customer" and event.opinion:
            codes = [code.strip() for code in event.opinion.split(",")]
            event.opinion = "、".join(labels.get(code, code) for code in codes)
    return events


# --- rating queue -----------------------------------------------------------------------------


def rating_queue(*, scope: str = "pending") -> QuerySet[CreditRating]:
    ratings = CreditRating.objects.select_related("customer", "scorecard", "decided_by")
    if scope != "all":
        return ratings.filter(status=RatingStatus.PROPOSED).order_by("computed_at", "pk")
    return ratings.order_by("-computed_at", "-pk")


def pending_rating_count(user) -> int:
    if not has_role(user, REVIEWER):
        return 0
    return CreditRating.objects.filter(status=RatingStatus.PROPOSED).count()


def rating_for(user, pk) -> CreditRating:
    rating = (
        CreditRating.objects.select_related("customer__officer", "scorecard", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if rating is None or not reads_ratings(user):
        raise Http404
    return rating


CATEGORY_LABELS = {
    Characteristic.MARITAL_STATUS: dict(MaritalStatus.choices),
    Characteristic.HOUSING_STATUS: dict(HousingStatus.choices),
    Characteristic.SECURITY_TYPE: dict(SecurityType.choices),
}


def breakdown_labels(breakdown) -> list[dict]:
    """A stored breakdown with each characteristic's translated name and category value."""
    names = dict(Characteristic.choices)
    rows = []
    for item in breakdown:
        code, value = item.get("code"), item.get("value")
        shown = CATEGORY_LABELS.get(code, {}).get(value, value)
        rows.append({**item, "label": names.get(code, code), "shown": shown})
    return rows


# --- validation report ------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeRow:
    grade: str  # UNSCORED for loans without a score
    loans: int
    share: Decimal  # percent of all loans, two decimals
    bad: int
    bad_rate: Decimal | None  # percent of the grade's loans; None when it has none


@dataclass(frozen=True)
class ValidationReport:
    on: date
    scorecard: Scorecard | None  # None: the latest score of each loan, whatever its version
    rows: list[GradeRow] = field(default_factory=list)
    total: GradeRow | None = None


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT, rounding=ROUND_HALF_UP)


def validation_report(*, on: date | None = None, scorecard: Scorecard | None = None):
    """Per grade (from each disbursed loan's latest application score): loans, share, bad
    loans (some installment ever ``BAD_DAYS`` or more past due) and the bad rate."""
    on = on or timezone.localdate()
    latest = ApplicationScore.objects.filter(application=OuterRef("application")).order_by(
        "-created_at", "-pk"
    )
    accounts = LoanAccount.objects.annotate(
        grade=Subquery(latest.values("grade")[:1]),
        bad=ever_days_past_due(BAD_DAYS, on),
    )
    if scorecard is not None:
        accounts = accounts.annotate(scored_with=Subquery(latest.values("scorecard")[:1])).filter(
            scored_with=scorecard.pk
        )
    counts = (
        accounts.order_by()
        .values("grade")
        .annotate(loans=Count("pk"), bad_loans=Count("pk", filter=Q(bad=True)))
    )
    tally = {row["grade"] or UNSCORED: (row["loans"], row["bad_loans"]) for row in counts}
    total_loans = sum(loans for loans, _bad in tally.values())
    total_bad = sum(bad for _loans, bad in tally.values())

    def row(grade, loans, bad):
        return GradeRow(
            grade, loans, _percent(loans, total_loans) or Decimal("0.00"), bad, _percent(bad, loans)
        )

    rows = [row(grade, *tally[grade]) for grade in _grade_order(tally, scorecard)]
    return ValidationReport(
        on=on, scorecard=scorecard, rows=rows, total=row("", total_loans, total_bad)
    )


def _grade_order(tally: dict, scorecard) -> list[str]:
    """Best grade first, by the bands' minimum scores; loans without a score last."""
    bands = GradeBand.objects.all()
    if scorecard is not None:
        bands = bands.filter(scorecard=scorecard)
    rank = dict(bands.values("grade").annotate(top=Max("min_score")).values_list("grade", "top"))
    graded = [grade for grade in tally if grade != UNSCORED]
    graded.sort(key=lambda grade: (-rank.get(grade, float("-inf")), grade))
    return graded + ([UNSCORED] if UNSCORED in tally else [])


def scorecards() -> QuerySet[Scorecard]:
    return Scorecard.objects.order_by("-version")
