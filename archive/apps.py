from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "archive"
    verbose_name = _("Archive")

    def ready(self):
        from .setup_custody import register_custody
        from .setup_items import register_items
        from .setup_retention import register_retention

        register_items()
        register_custody()
        register_retention()

        from loancenter import demo

        from .demo import seed_archive_demo

        demo.register("archive", seed_archive_demo, order=40)
