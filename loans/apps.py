from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "loans"
    verbose_name = _("Loans and servicing")

    def ready(self):
        from applications import panels

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
