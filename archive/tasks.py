from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from loancenter import audit
from loancenter.notifications import notify, notify_role
from loancenter.roles import ARCHIVIST
from loancenter.workflow import locked

from .models import BorrowStatus
from .services.borrowing import late_borrowings


@shared_task(name="archive.remind_overdue_returns")
def remind_overdue_returns() -> int:
    """Remind each borrower of a late return, and the archivists, at most once a day each."""
    today = timezone.localdate()
    reminded = 0
    late = late_borrowings(today).exclude(reminded_on=today).order_by("return_by", "pk")
    for borrow in late.select_related("item", "requested_by"):
        with transaction.atomic():
            current = locked(borrow)
            if current.status != BorrowStatus.OUT or current.reminded_on == today:
                continue  # returned or reminded meanwhile
            _remind(borrow, today)
            current.reminded_on = today
            current.save(update_fields=["reminded_on"])
        reminded += 1
    return reminded


def _remind(borrow, today) -> None:
    values = {
        "item": borrow.item,
        "name": borrow.requested_by.display_name,
        "due": f"{borrow.return_by:%Y-%m-%d}",
        "days": (today - borrow.return_by).days,
    }
    link = reverse("archive:borrow_detail", args=[borrow.pk])
    to_borrower = _("Please return %(item)s to the archive: it was due on %(due)s.") % values
    notify(recipients=[borrow.requested_by], message=to_borrower, link=link)
    to_archive = (
        _("%(name)s has not returned %(item)s, due on %(due)s (%(days)s days late).") % values
    )
    notify_role(ARCHIVIST, message=to_archive, link=link)
    audit.record(actor=None, action="archive_return_overdue", obj=borrow.item, opinion=to_archive)
