from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from .models import AuditEvent


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(*, filters: dict):
    events = AuditEvent.objects.select_related("actor", "content_type")
    if q := filters.get("q"):
        events = events.filter(
            Q(actor_name__icontains=q) | Q(object_repr__icontains=q) | Q(action__icontains=q)
        )
    if role := filters.get("role"):
        events = events.filter(role=role)
    if start := filters.get("date_from"):
        events = events.filter(created_at__gte=_day_start(start))
    if end := filters.get("date_to"):
        events = events.filter(created_at__lt=_day_start(end + timedelta(days=1)))
    return events.order_by("-created_at", "-id")
