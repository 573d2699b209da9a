from collections import defaultdict

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from loancenter.notifications import notify

from .selectors_checks import overdue_checks

LISTED = 10  # checks named in one note; the link shows them all


@shared_task(name="collection.remind_overdue_checks")
def remind_overdue_checks() -> int:
    """One inbox note per loan officer listing their overdue post-loan checks, once a day per
    check. Returns the number of notes sent."""
    today = timezone.localdate()
    with transaction.atomic():
        due = (
            overdue_checks(today)
            .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
            .select_for_update(of=("self",))
            .values_list("pk", "account__officer_id", "account__number", "sequence", "due_on")
            .order_by("account__officer_id", "due_on", "pk")
        )
        by_officer = defaultdict(list)
        for pk, officer_id, number, sequence, due_on in due:
            by_officer[officer_id].append((pk, f"{number} #{sequence} ({due_on:%Y-%m-%d})"))
        if not by_officer:
            return 0
        officers = get_user_model().objects.in_bulk(list(by_officer))
        link = reverse("collection:check_list") + "?show=overdue"
        for officer_id, checks in by_officer.items():
            notify(recipients=[officers[officer_id]], message=_message(checks), link=link)
        ids = [pk for checks in by_officer.values() for pk, _label in checks]
        overdue_checks(today).filter(pk__in=ids).update(reminded_on=today)
    return len(by_officer)


def _message(checks) -> str:
    names = "、".join(label for _pk, label in checks[:LISTED])
    if len(checks) > LISTED:
        names += "…"
    return ngettext(
        "%(count)s post-loan check is overdue: %(checks)s",
        "%(count)s post-loan checks are overdue: %(checks)s",
        len(checks),
    ) % {"count": len(checks), "checks": names}
