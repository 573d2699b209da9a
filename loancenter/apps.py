from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoanCenterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "loancenter"
    verbose_name = _("Loan Center")

    def ready(self):
        from . import navigation, signals
        from .roles import AUDITOR, DIRECTOR

        signals.connect()
        navigation.register(navigation.NavItem("home", _("My work"), "home", order=0))
        from .notifications import unread_count

        navigation.register(
            navigation.NavItem("inbox", _("Inbox"), "inbox", order=950, badge=unread_count)
        )
        navigation.register(
            navigation.NavItem(
                "audit_log",
                _("Audit trail"),
                "audit_log",
                roles=frozenset({AUDITOR, DIRECTOR}),
                order=900,
                group="reports",
            )
        )
        navigation.register(
            navigation.NavItem(
                "admin", _("Administration"), "admin:index", staff_only=True, order=1000
            )
        )
