from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "review"
    verbose_name = _("Review and approval")

    def ready(self):
        from applications import panels
        from applications.events import survey_completed
        from loancenter import audit

        from .selectors import review_panel

        survey_completed.connect(_score_at_survey, dispatch_uid="review_score_at_survey")

        audit.register_labels(
            {
                "review_agree": _("Review: agree"),
                "review_disagree": _("Review: disagree"),
                "review_return": _("Review: returned for more information"),
                "approve": _("Approved"),
                "reject": _("Rejected"),
                "escalate": _("Escalated above authority"),
                "return_to_officer": _("Returned for more information"),
            }
        )

        panels.register(panels.Panel("review", "review/panel.html", review_panel, order=50))

        from loancenter import demo

        from .demo import seed_origination_demo

        demo.register("origination", seed_origination_demo, order=10)


def _score_at_survey(sender, application, **kwargs):
    from .models import ApplicationScore
    from .scoring import score_application

    score_application(application=application, trigger=ApplicationScore.SURVEY)
