"""The audit trail's columns, for its CSV and XLSX exports."""

from django.utils.translation import gettext_lazy as _

from .exports import DATETIME, Column

AUDIT_EVENTS = [
    Column(_("Time"), "created_at", DATETIME),
    Column(_("Actor"), "actor_name"),
    Column(_("Acting role"), "role"),
    Column(_("Action"), "action"),
    Column(_("Object"), "object_repr"),
    Column(_("From"), "from_state"),
    Column(_("To"), "to_state"),
    Column(_("Opinion"), "opinion"),
    Column(_("IP address"), "ip_address"),
]
