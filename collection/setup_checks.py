"""Navigation, audit labels and sweep steps of post-loan checks and the warning list."""

from django.utils.translation import gettext_lazy as _


def register_checks():
    from loancenter import audit, navigation
    from loancenter.roles import AUDITOR, DIRECTOR, LOAN_OFFICER
    from loans.sweep.registry import SweepStep, register_step

    from .selectors_checks import overdue_check_count
    from .sweep_checks import ensure_checks

    register_step(SweepStep("post_loan_checks", ensure_checks, order=30))
    navigation.register(
        navigation.NavItem(
            "checks",
            _("Post-loan checks"),
            "collection:check_list",
            roles=frozenset({LOAN_OFFICER, DIRECTOR, AUDITOR}),
            order=55,
            badge=overdue_check_count,
            group="loans",
        )
    )
    audit.register_labels({"record_check": _("Post-loan check recorded")})
