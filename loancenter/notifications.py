"""The inbox: reminders for people, by name or by role."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import Notification


def notify(*, recipients, message: str, link: str = "") -> int:
    rows = [Notification(recipient=user, message=message[:300], link=link) for user in recipients]
    Notification.objects.bulk_create(rows)
    return len(rows)


def notify_role(role: str, *, message: str, link: str = "") -> int:
    users = get_user_model().objects.filter(groups__name=role, is_active=True)
    return notify(recipients=users, message=message, link=link)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user) -> None:
    Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
