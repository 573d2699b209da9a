"""Operations figures for the dashboard: the origination pipeline and its service levels,
loan officers against their yearly targets, collections outcomes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Avg,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast
from django.utils import timezone

from applications.models import LoanApplication, Status
from collection.models import (
    CaseStatus,
    CollectionCase,
    PromiseStatus,
    PromiseToPay,
    Recovery,
    Track,
)
from collection.sweep_cases import CURED
from loancenter.models import AuditEvent, Parameter, User
from loans.models import LoanAccount

from ..models import OfficerTarget, OfficerYearTotal
from .quality import ZERO, percent

FINISHED = (Status.DISBURSED, Status.REJECTED, Status.WITHDRAWN)

# -- origination pipeline ------------------------------------------------------------------------

# Service levels in days per origination state (``sla_days_<state>`` parameters override them).
SERVICE_LEVEL_DAYS = {
    "submitted": 2,
    "surveying": 5,
    "reviewing": 3,
    "approving": 2,
    "escalated": 5,
    "returned": 10,
    "approved": 5,
    "contracted": 5,
    "registering": 15,
    "ready": 2,
}
STAGE_WINDOW_DAYS = 90


def _application_events():
    # The content type's id, not a join on its names: a subquery per application stays one
    # index lookup on the audit trail.
    content_type = ContentType.objects.get_for_model(LoanApplication, for_concrete_model=False)
    return AuditEvent.objects.filter(content_type_id=content_type.pk)


def entered_current_state():
    """A subquery: when each application entered the state it is in (its last audit row that
    moved it there)."""
    return Subquery(
        _application_events()
        .filter(object_id=Cast(OuterRef("pk"), CharField()), to_state=OuterRef("status"))
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )


def service_levels() -> dict[str, int]:
    """Days allowed per state: the defaults, overridden by ``sla_days_<state>`` parameters."""
    keys = {f"sla_days_{state}": state for state in SERVICE_LEVEL_DAYS}
    levels = dict(SERVICE_LEVEL_DAYS)
    for key, value in Parameter.objects.filter(key__in=keys).values_list("key", "value"):
        levels[keys[key]] = int(value)
    return levels


@dataclass(frozen=True)
class Stage:
    status: str
    label: str
    count: int = 0
    amount: Decimal = ZERO
    average_days: Decimal | None = None
    service_level_days: int | None = None
    past_service_level: int = 0


def pipeline(now) -> list[Stage]:
    """Per origination state: applications and amount now in it, the average days spent in it
    by those that left it in the last 90 days, and how many are past its service level. Four
    queries whatever the number of applications."""
    # The pipeline is the applications still on their way: the finished ones (a whole book of
    # them) are neither counted nor listed, so the status index finds the few that are.
    stages = [(status, label) for status, label in Status.choices if status not in FINISHED]
    now_in = {
        row["status"]: row
        for row in LoanApplication.objects.filter(status__in=[status for status, _ in stages])
        .values("status")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by()
    }
    levels = service_levels()
    averages = average_days_in_state(now)
    late = past_service_level(now, levels)
    return [
        Stage(
            status=status,
            label=str(label),
            count=now_in.get(status, {}).get("n", 0),
            amount=now_in.get(status, {}).get("amount") or ZERO,
            average_days=averages.get(status),
            service_level_days=levels.get(status),
            past_service_level=late.get(status, 0),
        )
        for status, label in stages
    ]


def average_days_in_state(now) -> dict[str, Decimal]:
    """State → average days between entering it and leaving it, over the transitions out of
    it in the last 90 days (one aggregate query over the audit trail)."""
    entered = Subquery(
        _application_events()
        .filter(
            object_id=OuterRef("object_id"),
            to_state=OuterRef("from_state"),
            created_at__lte=OuterRef("created_at"),
        )
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    rows = (
        _application_events()
        .filter(created_at__gte=now - timedelta(days=STAGE_WINDOW_DAYS))
        .exclude(from_state="")
        .exclude(from_state=F("to_state"))
        .annotate(entered=entered)
        .filter(entered__isnull=False)
        .values("from_state")
        .annotate(
            spent=Avg(
                ExpressionWrapper(F("created_at") - F("entered"), output_field=DurationField())
            )
        )
        .order_by()
    )
    day = Decimal(86400)
    return {
        row["from_state"]: (Decimal(row["spent"].total_seconds()) / day).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )
        for row in rows
        if row["spent"] is not None
    }


def past_service_level(now, levels: dict[str, int]) -> dict[str, int]:
    """State → applications in it for longer than its service level (one query)."""
    late = Q(pk__in=[])
    for state, days in levels.items():
        late |= Q(status=state, entered__lt=now - timedelta(days=days))
    rows = (
        LoanApplication.objects.filter(status__in=list(levels))
        .annotate(entered=entered_current_state())
        .filter(late)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


# -- loan officers against their yearly targets --------------------------------------------------


@dataclass(frozen=True)
class OfficerProgress:
    officer_id: int
    name: str
    disbursed: Decimal
    loans: int
    target: Decimal | None
    target_loans: int | None

    @property
    def percent_reached(self) -> Decimal | None:
        return percent(self.disbursed, self.target) if self.target else None


def _disbursed_in(year: int):
    return LoanAccount.objects.filter(
        value_date__gte=date(year, 1, 1), value_date__lte=date(year, 12, 31)
    )


def count_officer_totals(business_date: date) -> int:
    """The nightly sweep's step: each officer's disbursements in the business date's year, up
    to now, replacing the year's earlier count."""
    year, until = business_date.year, timezone.now()
    rows = (
        _disbursed_in(year)
        .filter(disbursed_at__lt=until)
        .values("officer")
        .annotate(amount=Sum("principal"), n=Count("pk"))
        .order_by()
    )
    OfficerYearTotal.objects.filter(year=year).delete()
    totals = OfficerYearTotal.objects.bulk_create(
        OfficerYearTotal(
            year=year,
            officer_id=row["officer"],
            amount=row["amount"],
            loans=row["n"],
            counted_until=until,
        )
        for row in rows
    )
    return len(totals)


def officer_progress(year: int) -> list[OfficerProgress]:
    """Amount and loans disbursed in ``year`` per loan officer against their targets, best
    first; officers with a target and nothing disbursed are listed too. The sweep's count of
    the year plus the loans disbursed since it (all of the year's, if it has not counted)."""
    done = defaultdict(lambda: [ZERO, 0])
    stored = list(OfficerYearTotal.objects.filter(year=year))
    recent = _disbursed_in(year)
    if stored:
        recent = recent.filter(disbursed_at__gte=stored[0].counted_until)
    for total in stored:
        done[total.officer_id] = [total.amount, total.loans]
    for row in recent.values("officer").annotate(amount=Sum("principal"), n=Count("pk")).order_by():
        done[row["officer"]][0] += row["amount"]
        done[row["officer"]][1] += row["n"]
    targets = {t.officer_id: t for t in OfficerTarget.objects.filter(year=year)}
    names = {
        row["pk"]: _name(row)
        for row in User.objects.filter(pk__in=set(done) | set(targets)).values(
            "pk", "username", "first_name", "last_name"
        )
    }
    rows = [
        OfficerProgress(
            officer_id=pk,
            name=names.get(pk, str(pk)),
            disbursed=done.get(pk, (ZERO, 0))[0],
            loans=done.get(pk, (ZERO, 0))[1],
            target=targets[pk].amount if pk in targets else None,
            target_loans=targets[pk].accounts if pk in targets else None,
        )
        for pk in set(done) | set(targets)
    ]
    return sorted(rows, key=lambda row: (-(row.percent_reached or -1), -row.disbursed, row.name))


def _name(row) -> str:
    full = f"{row['last_name']}{row['first_name']}".strip()
    return full or row["username"]


# -- collections outcomes ------------------------------------------------------------------------


@dataclass(frozen=True)
class CollectionsOutcome:
    open_cases: list  # [{"bucket", "track", "track_label", "cases"}]
    cured: int
    promises_kept: int
    promises_broken: int
    recovered_after_write_off: Decimal
    recoveries: int

    @property
    def open_total(self) -> int:
        return sum(row["cases"] for row in self.open_cases)

    @property
    def promise_keeping_rate(self) -> Decimal | None:
        return percent(self.promises_kept, self.promises_kept + self.promises_broken)


def collections_outcome(start: date, end: date) -> CollectionsOutcome:
    """Open cases per bucket and track now; over ``start``–``end``: cases closed as cured,
    promises found kept or broken, money recovered on written-off loans. Four queries."""
    open_cases = [
        {**row, "track_label": str(Track(row["track"]).label)}
        for row in CollectionCase.objects.filter(status=CaseStatus.OPEN)
        .values("bucket", "track")
        .annotate(cases=Count("pk"))
        .order_by("bucket", "track")
    ]
    cured = CollectionCase.objects.filter(
        status=CaseStatus.CLOSED, close_reason=CURED, closed_on__range=(start, end)
    ).count()
    promises = dict(
        PromiseToPay.objects.filter(settled_on__range=(start, end))
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
        .order_by()
    )
    recovered = Recovery.objects.filter(
        received_on__range=(start, end), account__written_off_on__isnull=False
    ).aggregate(total=Sum("amount", default=ZERO), n=Count("pk"))
    return CollectionsOutcome(
        open_cases=open_cases,
        cured=cured,
        promises_kept=promises.get(PromiseStatus.KEPT, 0),
        promises_broken=promises.get(PromiseStatus.BROKEN, 0),
        recovered_after_write_off=recovered["total"] or ZERO,
        recoveries=recovered["n"],
    )
