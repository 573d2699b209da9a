"""Reads for the director's dashboard: who may see it, the approvals waiting, and every figure
(from ``reports.figures``) with its chart. The page makes a fixed number of queries whatever
the size of the book: the figures come from snapshots and grouped aggregates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import LoanApplication, Status
from applications.selectors import POOLS
from loancenter.models import AuditEvent
from loancenter.roles import APPROVAL, AUDITOR, DIRECTOR, duties_conflicting_with, has_role
from loans.models import Classification

from . import charts, figures

DECIDING_STATES = (Status.APPROVING, Status.ESCALATED)
WAITING_LIMIT = 20
BUCKET_LABELS = {"": "正常", "M1": "M1", "M2": "M2", "M3": "M3", "M3+": "M3+"}


def reads_dashboard(user) -> bool:
    return user.is_superuser or has_role(user, DIRECTOR, AUDITOR)


def decides_from_dashboard(user) -> bool:
    """The auditor reads the dashboard; only a director decides from it."""
    return has_role(user, DIRECTOR)


@dataclass(frozen=True)
class Waiting:
    application: LoanApplication
    age_days: int


def _with_age(applications, now) -> list[Waiting]:
    rows = applications.annotate(entered=figures.entered_current_state()).select_related(
        "customer", "product", "officer"
    )
    result = []
    for application in rows.order_by("submitted_at", "pk")[:WAITING_LIMIT]:
        since = application.entered or application.submitted_at or application.created_at
        result.append(Waiting(application, max((now - since).days, 0)))
    return result


def approvals_waiting(user, now) -> list[Waiting]:
    """Applications this user may decide now: in the approving or escalated pool of one of
    their roles, and not ones where they did a duty that conflicts with approval."""
    pool = Q(pk__in=[])
    for role in (DIRECTOR, "approver", "head_office"):
        if has_role(user, role):
            pool |= POOLS[role]
    conflicting = AuditEvent.objects.filter(
        content_type__app_label="applications",
        content_type__model="loanapplication",
        object_id=Cast(OuterRef("pk"), CharField()),
        actor=user,
        duty__in=duties_conflicting_with(APPROVAL),
    )
    applications = LoanApplication.objects.filter(pool, status__in=DECIDING_STATES).exclude(
        Exists(conflicting)
    )
    return _with_age(applications, now)


def escalations(now) -> list[Waiting]:
    """Applications sent above an approver's authority, waiting at any level."""
    return _with_age(LoanApplication.objects.filter(status=Status.ESCALATED), now)


def dashboard(user, *, today: date | None = None, now=None) -> dict:
    """Everything the dashboard shows, with the charts drawn."""
    now = now or timezone.now()
    today = today or timezone.localdate()
    latest = figures.latest_snapshot_date(today)
    book = figures.book_on(latest)
    month_start = (latest or today).replace(day=1)
    span = figures.period(month_start, latest or today)
    trend = figures.trends(latest)
    officers = figures.officer_progress(today.year)
    outcome = figures.collections_outcome(today.replace(day=1), today)
    return {
        "may_decide": decides_from_dashboard(user),
        "waiting": approvals_waiting(user, now) if decides_from_dashboard(user) else [],
        "escalations": escalations(now),
        "pipeline": figures.pipeline(now),
        "latest": latest,
        "book": book,
        "span": span,
        "alerts": figures.alerts(book, span),
        "classes": _class_rows(book),
        "buckets": _bucket_rows(book),
        "trend": trend,
        "officers": officers,
        "outcome": outcome,
        "year": today.year,
        "month_start": today.replace(day=1),
        "today": today,
        "charts": _charts(book, trend, officers),
    }


def _class_rows(book) -> list[dict]:
    return [
        {"code": code, "label": label, **book.by_class.get(code, {})}
        for code, label in Classification.choices
    ]


def _bucket_rows(book) -> list[dict]:
    return [
        {"bucket": bucket, "label": BUCKET_LABELS[bucket], **book.by_bucket.get(bucket, {})}
        for bucket in figures.BUCKET_ORDER
    ]


def _charts(book, trend, officers) -> dict:
    classes = _class_rows(book)
    return {
        "class_principal": charts.bar_chart(
            _("Principal by five-level class"),
            [(str(row["label"]), row.get("principal")) for row in classes],
            unit="",
        ),
        "class_accounts": charts.bar_chart(
            _("Accounts by five-level class"),
            [(str(row["label"]), row.get("accounts")) for row in classes],
        ),
        "buckets": charts.bar_chart(
            _("Principal by overdue bucket"),
            [(row["label"], row.get("principal")) for row in _bucket_rows(book)],
        ),
        "trend": charts.line_chart(
            _("Overdue rate and NPL ratio, last 12 months"),
            {
                _("Overdue rate"): [(f"{p.on:%Y-%m}", p.overdue_rate) for p in trend],
                _("NPL ratio"): [(f"{p.on:%Y-%m}", p.npl_ratio) for p in trend],
            },
        ),
        "officers": charts.bar_chart(
            _("Share of yearly target reached"),
            [(row.name, row.percent_reached) for row in officers if row.target],
            unit="%",
        ),
    }
