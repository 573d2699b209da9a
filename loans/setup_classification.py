"""Navigation, audit labels and the warning-list receiver of classification and review flags.

Called from the end of ``LoansConfig.ready``.
"""

from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def register_classification():
    from applications.models import CreditWarning
    from loancenter import audit, navigation
    from loancenter.roles import AUDITOR, DIRECTOR

    from .services.classification import pending_classification_count
    from .warnings import flag_accounts_of_listed_customer

    navigation.register(
        navigation.NavItem(
            "classification",
            _("Classification changes"),
            "loans:classification_queue",
            roles=frozenset({DIRECTOR, AUDITOR}),
            order=58,
            badge=pending_classification_count,
            group="loans",
        )
    )
    audit.register_labels(
        {
            "request_classification": _("Classification change asked for"),
            "approve_classification": _("Classification change approved"),
            "reject_classification": _("Classification change rejected"),
            "reclassify": _("Reclassified"),
            "flag_for_review": _("Flagged for review"),
            "clear_review_flag": _("Review flag cleared"),
        }
    )
    post_save.connect(
        flag_accounts_of_listed_customer,
        sender=CreditWarning,
        dispatch_uid="loans.flag_accounts_of_listed_customer",
    )
