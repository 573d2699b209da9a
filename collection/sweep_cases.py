"""The nightly sweep's collection steps (registered in setup_cases).

``sync_cases`` makes the open cases follow the accounts the sweep has just brought up to date:
an overdue account without a case gets one, a case follows its account's bucket (and changes
hands when its track changes), a case whose account is current or settled is closed, and a
written-off account's case stays open for recovery. ``detect_promises`` finds the promises
that fell due kept or broken. Both are set-based (a handful of statements whatever the number
of accounts) and change nothing when run again for the same business date.
"""

from __future__ import annotations

import heapq
from collections import Counter
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from collateral.models import InsurancePolicy
from loancenter import audit
from loancenter.models import Notification
from loancenter.money import to_fen
from loancenter.roles import COLLECTIONS_OFFICER
from loans.models import AccountStatus, LoanAccount, Repayment

from .models import (
    ZERO,
    CaseStatus,
    CollectionCase,
    PromiseStatus,
    PromiseToPay,
    Recovery,
    Track,
)

CURED, SETTLED = "cured", "settled"
CLOSE_REASONS = {
    CURED: gettext_lazy("Cured: the arrears were paid"),
    SETTLED: gettext_lazy("Settled"),
}
AMOUNT = DecimalField(max_digits=16, decimal_places=2)


def close_reason_label(code: str) -> str:
    return str(CLOSE_REASONS.get(code, code))


def track_for(bucket: str, insured: bool) -> str:
    """M1 → the loan officer; M2, M3 → collections; M3+ → an insurance claim for an insured
    loan, else legal action (RULES.md §5)."""
    if bucket in ("M2", "M3"):
        return Track.COLLECTIONS
    if bucket == "M3+":
        return Track.INSURANCE if insured else Track.LEGAL
    return Track.OFFICER


class Balancer:
    """Gives new work to the least-loaded active collections officer (open cases; ties by pk).
    The loads are counted once; each assignment raises the officer's load by one."""

    def __init__(self):
        officers = (
            get_user_model()
            .objects.filter(groups__name=COLLECTIONS_OFFICER, is_active=True)
            .annotate(
                load=Count(
                    "collection_cases",
                    filter=Q(collection_cases__status=CaseStatus.OPEN),
                    distinct=True,
                )
            )
            .values_list("load", "pk")
        )
        self.heap = list(officers)
        heapq.heapify(self.heap)
        self.officers = {pk for _load, pk in self.heap}

    def take(self) -> int | None:
        if not self.heap:
            return None
        load, pk = heapq.heappop(self.heap)
        heapq.heappush(self.heap, (load + 1, pk))
        return pk


def _insured(application: str):
    """Whether the loan's application has an insurance policy (``application``: the path to it
    from the rows being annotated)."""
    return Exists(InsurancePolicy.objects.filter(application=OuterRef(application)))


def sync_cases(business_date: date) -> dict:
    closed = _close_cases(business_date)
    written_off = (
        CollectionCase.objects.filter(
            status=CaseStatus.OPEN, account__status=AccountStatus.WRITTEN_OFF
        )
        .exclude(track=Track.WRITTEN_OFF)
        .update(track=Track.WRITTEN_OFF)
    )
    balancer = Balancer()
    moved, moved_to = _move_cases(balancer)
    opened, opened_to = _open_cases(business_date, balancer)
    _notify_assignees(opened_to + moved_to, business_date)
    return {
        "cases_opened": opened,
        "cases_moved": moved,
        "cases_closed": closed,
        "cases_written_off": written_off,
    }


def _close_cases(business_date: date) -> int:
    rows = list(
        CollectionCase.objects.filter(
            status=CaseStatus.OPEN,
            account__status__in=[AccountStatus.ACTIVE, AccountStatus.SETTLED],
        ).values_list("pk", "bucket", "account__status", "account__number")
    )
    for reason, status in ((CURED, AccountStatus.ACTIVE), (SETTLED, AccountStatus.SETTLED)):
        group = [(pk, f"{number} {bucket}") for pk, bucket, of, number in rows if of == status]
        if not group:
            continue
        CollectionCase.objects.filter(pk__in=[pk for pk, _text in group]).update(
            status=CaseStatus.CLOSED, closed_on=business_date, close_reason=reason
        )
        _audit(group, "close_case", from_state=CaseStatus.OPEN, to_state=CaseStatus.CLOSED,
               opinion=close_reason_label(reason))  # fmt: skip
    return len(rows)


def _audit(rows, action: str, **fields) -> None:
    """The system's audit rows for cases, one INSERT (``rows``: (pk, repr[, opinion]))."""
    audit.record_many(model=CollectionCase, rows=rows, action=action, **fields)


def _move_cases(balancer: Balancer) -> tuple[int, Counter]:
    """Open cases whose overdue account changed bucket: the new bucket, and a new track and
    assignee when the track changes (to a collections officer, the current one is kept)."""
    rows = (
        CollectionCase.objects.filter(status=CaseStatus.OPEN, account__status=AccountStatus.OVERDUE)
        .exclude(bucket=F("account__bucket"))
        .annotate(insured=_insured("account__application"))
        .order_by("-account__days_past_due", "pk")
        .values_list(
            "pk",
            "bucket",
            "track",
            "assignee_id",
            "account__bucket",
            "account__officer_id",
            "insured",
            "account__number",
        )
    )
    changed, events, moved_to = [], [], Counter()  # events: (pk, repr, opinion)
    for pk, old_bucket, old_track, assignee, bucket, officer, insured, number in rows:
        track = track_for(bucket, insured)
        if track != old_track:
            if track == Track.OFFICER:
                assignee = officer
            elif assignee not in balancer.officers:
                assignee = balancer.take()
            moved_to[assignee] += 1
        changed.append(CollectionCase(pk=pk, bucket=bucket, track=track, assignee_id=assignee))
        events.append((pk, f"{number} {bucket}", f"{old_bucket or '—'} → {bucket}"))
    CollectionCase.objects.bulk_update(changed, ["bucket", "track", "assignee"], batch_size=500)
    _audit(events, "move_case")
    return len(events), moved_to


def _open_cases(business_date: date, balancer: Balancer) -> tuple[int, Counter]:
    """A case for each overdue account without one: M1 to the loan officer, later buckets
    spread over the collections officers, the most overdue accounts first."""
    has_case = CollectionCase.objects.filter(account=OuterRef("pk"), status=CaseStatus.OPEN)
    rows = (
        LoanAccount.objects.filter(status=AccountStatus.OVERDUE)
        .exclude(Exists(has_case))
        .annotate(insured=_insured("application_id"))
        .order_by("-days_past_due", "pk")
        .values_list("pk", "bucket", "officer_id", "insured", "number")
    )
    cases, numbers = [], []
    for pk, bucket, officer, insured, number in rows:
        track = track_for(bucket, insured)
        assignee = officer if track == Track.OFFICER else balancer.take()
        cases.append(
            CollectionCase(
                account_id=pk,
                bucket=bucket,
                track=track,
                assignee_id=assignee,
                opened_on=business_date,
            )
        )
        numbers.append(number)
    CollectionCase.objects.bulk_create(cases, batch_size=500)
    _audit(
        [
            (case.pk, f"{number} {case.bucket}", case.get_track_display())
            for case, number in zip(cases, numbers, strict=True)
        ],
        "open_case",
        to_state=CaseStatus.OPEN,
    )
    return len(cases), Counter(case.assignee_id for case in cases)


def _notify_assignees(handed: Counter, business_date: date) -> None:
    link = reverse("collection:case_list")
    Notification.objects.bulk_create(
        Notification(
            recipient_id=user_pk,
            message=ngettext(
                "%(count)s new collection case for you (business date %(date)s).",
                "%(count)s new collection cases for you (business date %(date)s).",
                count,
            )
            % {"count": count, "date": f"{business_date:%Y-%m-%d}"},
            link=link,
        )
        for user_pk, count in sorted(handed.items())
        if user_pk is not None
    )


def detect_promises(business_date: date) -> dict:
    """Pending promises due before ``business_date``: kept when the repayments (and, after a
    write-off, the recoveries) from the day of the promise to the day promised reach the
    amount; broken otherwise, and the case's assignee is told."""
    repaid = _paid_in_time(Repayment, "paid_on")
    recovered = _paid_in_time(Recovery, "received_on")
    rows = (
        PromiseToPay.objects.filter(status=PromiseStatus.PENDING, promised_on__lt=business_date)
        .annotate(
            repaid=repaid,
            recovered=recovered,
        )
        .values_list(
            "pk",
            "amount",
            "repaid",
            "recovered",
            "promised_on",
            "case_id",
            "case__assignee_id",
            "case__account__number",
        )
    )
    kept, broken = [], []
    for pk, amount, repaid_sum, recovered_sum, *rest in rows:
        paid = to_fen(repaid_sum or ZERO) + to_fen(recovered_sum or ZERO)
        (kept if paid >= amount else broken).append((pk, amount, *rest))
    for found, status in ((kept, PromiseStatus.KEPT), (broken, PromiseStatus.BROKEN)):
        if found:
            PromiseToPay.objects.filter(pk__in=[row[0] for row in found]).update(
                status=status, settled_on=business_date
            )
    _notify_broken(broken)
    return {"promises_kept": len(kept), "promises_broken": len(broken)}


def _paid_in_time(model, day: str):
    """The sum of ``model`` rows on the promise's account dated from the promise to the day
    promised, as a subquery of the promise (0 when there are none)."""
    total = (
        model.objects.filter(
            account=OuterRef("case__account"),
            **{f"{day}__gte": OuterRef("made_on"), f"{day}__lte": OuterRef("promised_on")},
        )
        .order_by()
        .values("account")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=AMOUNT), Value(ZERO), output_field=AMOUNT)


def _notify_broken(broken) -> None:
    Notification.objects.bulk_create(
        Notification(
            recipient_id=assignee,
            message=_("Promise to pay %(amount)s by %(date)s on loan %(number)s was broken.")
            % {"amount": f"{amount:,.2f}", "date": f"{promised_on:%Y-%m-%d}", "number": number},
            link=reverse("collection:case_detail", args=[case_pk]),
        )
        for _pk, amount, promised_on, case_pk, assignee, number in broken
        if assignee is not None
    )
