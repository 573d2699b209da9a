"""Writing an item's custody history: one CustodyEvent per thing that happens to it, in the same
transaction as the change, plus the audit row every state change writes."""

from __future__ import annotations

from loancenter import audit

from .models import ArchiveItem, CustodyEvent


def record_event(
    item: ArchiveItem,
    kind: str,
    *,
    by=None,
    second_by=None,
    note: str = "",
    role: str = "",
    from_state: str = "",
) -> CustodyEvent:
    """Append ``kind`` to ``item``'s history and the audit trail (inside the caller's
    transaction). ``from_state`` is the item's status before a transition, when there was one."""
    event = CustodyEvent.objects.create(
        item=item,
        kind=kind,
        by=by if getattr(by, "pk", None) else None,
        second_by=second_by,
        location=item.location,
        note=note,
    )
    audit.record(
        actor=by,
        action=f"archive_{kind}",
        obj=item,
        role=role,
        from_state=from_state,
        to_state=item.status if from_state else "",
        opinion=note,
    )
    return event
