from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loancenter import audit
from loancenter.notifications import notify_role
from loancenter.roles import MORTGAGE_REGISTRAR

from .selectors import overdue_registrations


@shared_task(name="collateral.remind_overdue_registrations")
def remind_overdue_registrations() -> int:
    """Remind the registrars of registrations past their due date, once a day each."""
    today = timezone.localdate()
    reminded = 0
    for registration in overdue_registrations(today):
        if registration.reminded_at and timezone.localdate(registration.reminded_at) == today:
            continue
        with transaction.atomic():
            message = _(
                "Mortgage registration of %(number)s (%(certificate)s) was due on %(due)s."
            ) % {
                "number": registration.application.number,
                "certificate": registration.collateral.certificate_number,
                "due": f"{registration.due_by:%Y-%m-%d}",
            }
            notify_role(
                MORTGAGE_REGISTRAR,
                message=message,
                link=f"/applications/{registration.application_id}/",
            )
            audit.record(
                actor=None,
                action="registration_overdue",
                obj=registration.application,
                opinion=message,
            )
            registration.reminded_at = timezone.now()
            registration.save(update_fields=["reminded_at"])
        reminded += 1
    return reminded
