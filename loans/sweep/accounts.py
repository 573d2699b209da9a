"""Account status and five-level classification floors, moved set-based with their audit rows."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.utils.translation import gettext as _

from loancenter import audit

from .. import overdue
from ..models import (
    AccountStatus,
    ChangeOrigin,
    Classification,
    ClassificationChange,
    DecisionStatus,
    LoanAccount,
)

# The floors, worst first: (more than this many days past due, at least this class).
FLOORS = (
    (overdue.LOSS_AFTER_DAYS, Classification.LOSS),
    (overdue.DOUBTFUL_AFTER_DAYS, Classification.DOUBTFUL),
    (overdue.SUBSTANDARD_AFTER_DAYS, Classification.SUBSTANDARD),
    (overdue.TECHNICAL_DELAY_DAYS, Classification.SPECIAL_MENTION),
)
OPEN = (AccountStatus.ACTIVE, AccountStatus.OVERDUE)


def move_statuses(*, business_date: date, account_id: int | None = None) -> dict:
    """active → overdue when days past due > 0; overdue → active when they are back to 0."""
    accounts = LoanAccount.objects.all()
    if account_id is not None:
        accounts = accounts.filter(pk=account_id)
    fell = _move(
        accounts.filter(status=AccountStatus.ACTIVE, days_past_due__gt=0),
        AccountStatus.ACTIVE,
        AccountStatus.OVERDUE,
        action="mark_overdue",
        opinion=_("Overdue since an installment was not paid by its due date (%(date)s sweep).")
        % {"date": f"{business_date:%Y-%m-%d}"},
    )
    cured = _move(
        accounts.filter(status=AccountStatus.OVERDUE, days_past_due=0),
        AccountStatus.OVERDUE,
        AccountStatus.ACTIVE,
        action="cure",
        opinion=_("Arrears cleared; performing again (%(date)s).")
        % {"date": f"{business_date:%Y-%m-%d}"},
    )
    return {"fell_overdue": fell, "cured": cured}


def _move(queryset, from_state, to_state, *, action: str, opinion: str) -> int:
    rows = list(queryset.values_list("pk", "number"))
    if not rows:
        return 0
    # The state field is protected against assignment, not against a set-based UPDATE; the
    # audit rows below are what workflow.transition would have written one by one.
    LoanAccount.objects.filter(pk__in=[pk for pk, _number in rows]).update(status=to_state)
    audit.record_many(
        model=LoanAccount,
        rows=rows,
        action=action,
        from_state=from_state,
        to_state=to_state,
        opinion=opinion,
    )
    return len(rows)


def apply_floors(*, business_date: date) -> dict:
    """Raise every open account whose class is better than its days-past-due floor to the
    floor, recording the change and its reason. Nothing is ever lowered here: a better class
    needs the director (``loans.services.classification``). One read of the accounts past the
    first floor, then one write per floor reached."""
    lowest_days = min(days for days, _floor in FLOORS)
    candidates = LoanAccount.objects.filter(
        status__in=OPEN, days_past_due__gt=lowest_days
    ).exclude(classification=Classification.LOSS)
    below_floor = defaultdict(list)
    for row in candidates.values_list("pk", "number", "classification", "days_past_due"):
        floor = overdue.classification_floor(row[3])
        if overdue.ORDER.index(row[2]) < overdue.ORDER.index(floor):
            below_floor[floor].append(row)
    raised = {}
    for days, floor in FLOORS:
        if below_floor[floor]:
            raised[floor] = _raise_to(floor, days, below_floor[floor], business_date)
    return raised


def _raise_to(floor: str, days: int, rows: list, business_date: date) -> int:
    reason = _("More than %(days)s days past due: at least %(class)s.") % {
        "days": days,
        "class": Classification(floor).label,
    }
    ClassificationChange.objects.bulk_create(
        [
            ClassificationChange(
                account_id=pk,
                from_class=current,
                to_class=floor,
                origin=ChangeOrigin.FLOOR,
                reason=reason,
                days_past_due=dpd,
                effective_on=business_date,
                status=DecisionStatus.APPROVED,
            )
            for pk, _number, current, dpd in rows
        ],
        batch_size=2000,
    )
    LoanAccount.objects.filter(pk__in=[row[0] for row in rows]).update(classification=floor)
    audit.record_many(
        model=LoanAccount,
        rows=[(pk, number) for pk, number, *_rest in rows],
        action="classification_floor",
        to_state=floor,
        opinion=reason,
    )
    return len(rows)
