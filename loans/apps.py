from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "loans"
    verbose_name = _("Loans and servicing")

    def ready(self):
        from applications import panels
        from loancenter import audit, navigation
        from loancenter.roles import (
            APPROVER,
            AUDITOR,
            COLLECTIONS_OFFICER,
            DIRECTOR,
            DISBURSEMENT_SUPERVISOR,
            LOAN_OFFICER,
            REVIEWER,
        )

        from .panels_contracts import contracts_panel
        from .panels_disbursement import disbursement_panel
        from .panels_servicing import account_panel

        panels.register(
            panels.Panel("contracts", "loans/panel_contracts.html", contracts_panel, order=60)
        )
        panels.register(
            panels.Panel(
                "disbursement", "loans/panel_disbursement.html", disbursement_panel, order=70
            )
        )
        panels.register(
            panels.Panel("account", "loans/panel_account.html", account_panel, order=80)
        )
        navigation.register(
            navigation.NavItem(
                "disbursement",
                _("Disbursement"),
                "loans:disbursement_queue",
                roles=frozenset({DISBURSEMENT_SUPERVISOR, DIRECTOR, AUDITOR}),
                order=40,
                group="origination",
            )
        )
        audit.register_labels({"disburse": _("Disbursed")})
        navigation.register(
            navigation.NavItem(
                "changes",
                _("Loan changes"),
                "loans:change_queue",
                roles=frozenset({REVIEWER, APPROVER, DIRECTOR, AUDITOR}),
                order=45,
                group="loans",
            )
        )
        audit.register_labels(
            {
                "request_change": _("Change requested"),
                "review_change": _("Change reviewed"),
                "approve_change": _("Change approved"),
            }
        )
        navigation.register(
            navigation.NavItem(
                "accounts",
                _("Loan accounts"),
                "loans:account_list",
                roles=frozenset(
                    {
                        LOAN_OFFICER,
                        REVIEWER,
                        DIRECTOR,
                        AUDITOR,
                        COLLECTIONS_OFFICER,
                        DISBURSEMENT_SUPERVISOR,
                    }
                ),
                order=50,
                group="loans",
            )
        )
        navigation.register(
            navigation.NavItem(
                "calculator",
                _("Repayment calculator"),
                "loans:calculator",
                order=90,
                group="loans",
            )
        )
        audit.register_labels({"post_repayment": _("Repayment posted"), "settle": _("Settled")})
        navigation.register(
            navigation.NavItem(
                "sweep",
                _("Overdue sweep"),
                "loans:sweep_runs",
                roles=frozenset({DIRECTOR, AUDITOR}),
                order=85,
                group="loans",
            )
        )
        audit.register_labels(
            {
                "mark_overdue": _("Fell overdue"),
                "cure": _("Performing again"),
                "classification_floor": _("Classification floor applied"),
                "write_off": _("Written off"),
            }
        )

        from .behaviour import refresh_overdue_customers
        from .sweep import SweepStep, register_step

        register_step(
            SweepStep(
                "customers_refreshed",
                lambda business_date: refresh_overdue_customers(business_date),
                order=5,
            )
        )

        from loancenter import demo

        from .demo import seed_servicing_demo

        demo.register("servicing", seed_servicing_demo, order=20)

        from .setup_classification import register_classification

        register_classification()
