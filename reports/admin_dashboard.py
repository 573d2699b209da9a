"""Admin for what head office sets for the dashboard: the alert levels and officers' targets."""

from django.contrib import admin

from .models import AlertLevel, OfficerTarget


@admin.register(AlertLevel)
class AlertLevelAdmin(admin.ModelAdmin):
    list_display = ("figure", "alert_percent", "higher_is_worse", "warning_margin_percent")
    list_editable = ("alert_percent", "warning_margin_percent")

    def has_delete_permission(self, request, obj=None):
        return False  # every figure keeps a level; change it instead


@admin.register(OfficerTarget)
class OfficerTargetAdmin(admin.ModelAdmin):
    list_display = ("officer", "year", "amount", "accounts")
    list_filter = ("year",)
    search_fields = ("officer__username", "officer__first_name", "officer__last_name")
    autocomplete_fields = ("officer",)
    list_select_related = ("officer",)
