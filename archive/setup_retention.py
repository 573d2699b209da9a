"""Navigation, audit labels and the sweep step of the retention work."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "prepare_destruction": _("Destruction list prepared"),
    "submit_destruction": _("Destruction list sent to the director"),
    "approve_destruction": _("Destruction approved"),
    "reject_destruction": _("Destruction rejected"),
    "witness_check": _("Checked by the witness"),
    "complete_destruction": _("Destruction carried out"),
    "archive_destroyed": _("Archive item destroyed"),
}


def register_retention():
    from loancenter import audit, navigation
    from loancenter.roles import ARCHIVIST, AUDITOR, DIRECTOR
    from loans.sweep.registry import SweepStep, register_step

    from .panels import ItemPanel, register
    from .retention import destruction_badge, item_panel, set_retention

    register_step(SweepStep("archive_retention", set_retention, order=40))
    navigation.register(
        navigation.NavItem(
            "archive_destruction",
            _("Destruction"),
            "archive:destruction_list",
            roles=frozenset({ARCHIVIST, DIRECTOR, AUDITOR}),
            order=64,
            badge=destruction_badge,
            group="archive",
        )
    )
    register(ItemPanel("retention", "archive/retention/_item_panel.html", item_panel, order=40))
    audit.register_labels(AUDIT_LABELS)
