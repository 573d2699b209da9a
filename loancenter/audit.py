"""Writing and reading the audit trail."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .models import AuditEvent
from .request_context import current_ip


def record(
    *,
    actor,
    action: str,
    obj=None,
    role: str = "",
    duty: str = "",
    from_state: str = "",
    to_state: str = "",
    opinion: str = "",
) -> AuditEvent:
    """Append one audit row. Must run inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must run inside the service's transaction")
    event = AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_actor_name(actor),
        role=role,
        duty=duty,
        action=action,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        opinion=opinion or "",
        ip_address=current_ip(),
    )
    if obj is not None:
        event.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        event.object_id = str(obj.pk)
        event.object_repr = str(obj)[:200]
    event.save()
    return event


def record_many(
    *,
    model,
    rows,
    action: str,
    actor=None,
    role: str = "",
    from_state: str = "",
    to_state: str = "",
    opinion: str = "",
) -> int:
    """Append one audit row per (pk, repr) in ``rows``, in one INSERT: for set-based changes
    such as the nightly sweep, which moves many objects of ``model`` the same way at once. A row
    may carry its own opinion as a third item: (pk, repr, opinion)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many() must run inside the change's transaction")
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    events = [
        AuditEvent(
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=_actor_name(actor),
            role=role,
            action=action,
            content_type=content_type,
            object_id=str(pk),
            object_repr=str(text)[:200],
            from_state=from_state,
            to_state=to_state,
            opinion=own[0] if own else opinion,
            ip_address=current_ip(),
        )
        for pk, text, *own in rows
    ]
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    return len(events)


def _actor_name(actor) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return "system"
    name = actor.get_full_name()
    return f"{name} ({actor.username})" if name else actor.username


def events_for(obj):
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return (
        AuditEvent.objects.filter(content_type=content_type, object_id=str(obj.pk))
        .select_related("actor")
        .order_by("created_at", "id")
    )


def duties_done_by(*, obj, user) -> set[str]:
    """The per-object duties (investigation, review, ...) ``user`` has done on ``obj``."""
    return set(
        events_for(obj)
        .filter(actor=user)
        .exclude(duty="")
        .order_by()
        .values_list("duty", flat=True)
        .distinct()
    )


# Human labels for action and state codes, registered by each app for the timelines.
_labels: dict[str, str] = {}


def register_labels(labels: dict) -> None:
    _labels.update(labels)


def label(code: str) -> str:
    return str(_labels.get(code, code))
