from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollateralConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "collateral"
    verbose_name = _("Collateral and mortgage registration")
