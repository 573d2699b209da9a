from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "collection"
    verbose_name = _("Collections")

    def ready(self):
        from .setup_cases import register_cases
        from .setup_checks import register_checks

        register_cases()
        register_checks()

        from loancenter import demo

        from .demo import seed_post_loan_demo

        demo.register("post_loan", seed_post_loan_demo, order=30)
