from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollateralConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "collateral"
    verbose_name = _("Collateral and mortgage registration")

    def ready(self):
        from applications import panels, rules
        from loancenter import audit, navigation
        from loancenter.roles import AUDITOR, DIRECTOR, DISBURSEMENT_SUPERVISOR, MORTGAGE_REGISTRAR

        from .panels import collateral_panel
        from .selectors import collateral_submission_check

        rules.register_check(collateral_submission_check)
        panels.register(
            panels.Panel("collateral", "collateral/panel.html", collateral_panel, order=40)
        )
        navigation.register(
            navigation.NavItem(
                "registrations",
                _("Mortgage registration"),
                "collateral:queue",
                roles=frozenset({MORTGAGE_REGISTRAR, DISBURSEMENT_SUPERVISOR, DIRECTOR, AUDITOR}),
                order=30,
                group="origination",
            )
        )
        audit.register_labels(
            {
                "add_collateral": _("Collateral recorded"),
                "remove_collateral": _("Collateral removed"),
                "record_policy": _("Insurance policy recorded"),
                "record_notarisation": _("Notarisation recorded"),
                "start_registration": _("Sent to mortgage registration"),
                "submit_registration": _("Registration submitted to the registry"),
                "complete_registration": _("Mortgage registered"),
                "hand_over_certificate": _("Certificate handed over"),
                "receive_certificate": _("Certificate received"),
                "mark_ready": _("Ready to disburse"),
                "registration_overdue": _("Registration overdue"),
            }
        )
