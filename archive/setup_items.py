"""Navigation, audit labels, signal receivers and the application-page panel of the items
work; ``register_items`` runs from ``ArchiveConfig.ready``."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "archive_dossier_opened": _("Dossier opened"),
    "archive_expected": _("Archive item expected"),
    "archive_received": _("Archive item received"),
    "archive_moved": _("Archive item moved"),
}


def register_items():
    from django.db.models.signals import post_save

    from applications import panels
    from loancenter import audit, navigation
    from loancenter.models import AuditEvent
    from loancenter.roles import ARCHIVIST, AUDITOR, DIRECTOR

    from .intake import on_audit_event
    from .selectors import expected_count

    post_save.connect(on_audit_event, sender=AuditEvent, dispatch_uid="archive_intake")
    navigation.register(
        navigation.NavItem(
            "archive",
            _("Archive"),
            "archive:search",
            roles=frozenset({ARCHIVIST, DIRECTOR, AUDITOR}),
            order=60,
            badge=lambda user: (expected_count(user) or None) if _is_archivist(user) else None,
            group="archive",
        )
    )
    panels.register(
        panels.Panel(
            "archive_items", "archive/items/_application_panel.html", archive_panel, order=95
        )
    )
    audit.register_labels(AUDIT_LABELS)


def _is_archivist(user) -> bool:
    from loancenter.roles import ARCHIVIST, has_role

    return has_role(user, ARCHIVIST)


def archive_panel(user, application):
    """The papers of the application in the archive, for anyone who may see the application."""
    from .selectors import application_items

    items = application_items(application)
    if not items:
        return None
    return {"items": items}
