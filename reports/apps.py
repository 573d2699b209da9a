from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from loancenter import audit, navigation
        from loancenter.roles import AUDITOR, DIRECTOR, REVIEWER

        from .selectors import pending_rating_count

        navigation.register(
            navigation.NavItem(
                "ratings",
                _("Credit grades"),
                "reports:rating_queue",
                roles=frozenset({REVIEWER, DIRECTOR, AUDITOR}),
                order=60,
                badge=pending_rating_count,
                group="reports",
            )
        )
        navigation.register(
            navigation.NavItem(
                "validation",
                _("Scorecard validation"),
                "reports:validation_report",
                roles=frozenset({DIRECTOR, REVIEWER, AUDITOR}),
                order=85,
                group="reports",
            )
        )
        from .views_reports import register_runs

        register_runs()

        from loans.sweep import SweepStep, register_step

        from .figures import count_officer_totals

        register_step(SweepStep("officer_totals", count_officer_totals, order=50))
        navigation.register(
            navigation.NavItem(
                "dashboard",
                _("Dashboard"),
                "reports:dashboard",
                roles=frozenset({DIRECTOR, AUDITOR}),
                order=5,
            )
        )
        audit.register_labels(
            {
                "propose_rating": _("Credit grade proposed"),
                "confirm_rating": _("Credit grade confirmed"),
                "reject_rating": _("Credit grade not confirmed"),
                "supersede_rating": _("Credit grade proposal superseded"),
            }
        )
