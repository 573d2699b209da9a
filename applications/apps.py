from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "applications"
    verbose_name = _("Intake and survey")

    def ready(self):
        from loancenter import audit, navigation
        from loancenter.roles import (
            APPROVER,
            AUDITOR,
            DIRECTOR,
            HEAD_OFFICE,
            INVESTIGATOR,
            LOAN_OFFICER,
            REVIEWER,
        )

        from .models import Status
        from .selectors import todo_count

        audit.register_labels(dict(Status.choices))
        audit.register_labels(
            {
                "create": _("Created"),
                "update": _("Changed"),
                "add_guarantor": _("Guarantor added"),
                "remove_guarantor": _("Guarantor removed"),
                "upload_document": _("Document uploaded"),
                "submit": _("Submitted"),
                "resubmit_for_review": _("Resubmitted to review"),
                "withdraw": _("Withdrawn"),
                "claim_survey": _("Taken for survey"),
                "confirm_survey": _("Survey confirmed"),
                "complete_survey": _("Survey complete, sent to review"),
                "create_customer": _("Customer recorded"),
                "update_customer": _("Customer changed"),
            }
        )

        workers = frozenset(
            {LOAN_OFFICER, INVESTIGATOR, REVIEWER, APPROVER, DIRECTOR, HEAD_OFFICE, AUDITOR}
        )
        navigation.register(
            navigation.NavItem(
                "queue",
                _("My queue"),
                "applications:queue",
                roles=workers,
                order=10,
                badge=todo_count,
            )
        )
        navigation.register(
            navigation.NavItem(
                "customers",
                _("Customers"),
                "applications:customer_list",
                roles=frozenset({LOAN_OFFICER, DIRECTOR, AUDITOR}),
                order=20,
                group="origination",
            )
        )
