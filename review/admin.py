from django.contrib import admin

from .models import AuthorityLimit


@admin.register(AuthorityLimit)
class AuthorityLimitAdmin(admin.ModelAdmin):
    """Limits are checked against their delegator's in AuthorityLimit.clean()."""

    list_display = (
        "__str__",
        "user",
        "group",
        "product",
        "max_amount",
        "delegated_from",
        "is_active",
    )
    list_filter = ("is_active", "group", "product")
    raw_id_fields = ("user",)
    list_select_related = ("user", "group", "product", "delegated_from")


from . import admin_scoring  # noqa: E402, F401
