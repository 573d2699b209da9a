"""The credit warning list (客户信用预警) reaches loans already made.

When an entry is saved (in the admin or by code), every open loan of that identity number is
flagged for review — one UPDATE and one bulk INSERT of audit rows, whatever the number of
loans — and the loans' officers and the reviewers get an inbox note. A loan already flagged
for the same warning is left alone, so saving the entry again changes nothing.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.identity import mask_id_number
from loancenter import audit
from loancenter.notifications import notify, notify_role
from loancenter.roles import REVIEWER

from .models import AccountStatus, LoanAccount
from .services.classification import REASON_LENGTH

OPEN_STATES = (AccountStatus.ACTIVE, AccountStatus.OVERDUE)


def warning_reason(warning) -> str:
    text = _("On the credit warning list since %(since)s: %(reason)s") % {
        "since": f"{warning.since:%Y-%m-%d}",
        "reason": warning.reason,
    }
    return text[:REASON_LENGTH]


def is_in_force(warning, on) -> bool:
    return warning.since <= on and (warning.lifted_on is None or warning.lifted_on > on)


def flag_accounts_of_listed_customer(sender, instance, raw=False, **kwargs):
    """post_save receiver of ``applications.CreditWarning``."""
    if raw or not is_in_force(instance, timezone.localdate()):
        return
    reason = warning_reason(instance)
    with transaction.atomic():
        accounts = (
            LoanAccount.objects.select_for_update(of=("self",))
            .filter(customer__id_number=instance.id_number, status__in=OPEN_STATES)
            .exclude(needs_review=True, review_reason=reason)
        )
        rows = list(accounts.values_list("pk", "number", "officer_id"))
        if not rows:
            return
        LoanAccount.objects.filter(pk__in=[pk for pk, _n, _o in rows]).update(
            needs_review=True, review_reason=reason
        )
        _audit(rows, reason)
        transaction.on_commit(lambda: _notify(rows, reason, instance))


def _audit(rows, reason) -> None:
    audit.record_many(
        model=LoanAccount,
        rows=[(pk, number) for pk, number, _officer in rows],
        action="flag_for_review",
        opinion=reason,
    )


def _notify(rows, reason, warning) -> None:
    by_officer = defaultdict(list)
    for pk, number, officer_id in rows:
        by_officer[officer_id].append((pk, number))
    officers = get_user_model().objects.in_bulk(list(by_officer))
    for officer_id, accounts in by_officer.items():
        message = _("Your loans %(numbers)s are flagged for review. %(reason)s") % {
            "numbers": "、".join(number for _pk, number in accounts),
            "reason": reason,
        }
        link = reverse("loans:account_classification", args=[accounts[0][0]])
        notify(recipients=[officers[officer_id]], message=message, link=link)
    message = ngettext(
        "%(count)s open loan of %(id)s is flagged for review: the customer is on the credit "
        "warning list.",
        "%(count)s open loans of %(id)s are flagged for review: the customer is on the credit "
        "warning list.",
        len(rows),
    ) % {"count": len(rows), "id": mask_id_number(warning.id_number)}
    link = reverse("loans:account_classification", args=[rows[0][0]])
    notify_role(REVIEWER, message=message, link=link)
