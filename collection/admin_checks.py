"""Admin for post-loan check schedules (editable) and the checks themselves (read only: an
officer records a check through its page, where the rules and the audit trail apply)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CheckSchedule, PostLoanCheck


@admin.register(CheckSchedule)
class CheckScheduleAdmin(admin.ModelAdmin):
    list_display = ("product", "first_within_days", "every_months", "is_active")
    list_editable = ("first_within_days", "every_months", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("product",)


@admin.register(PostLoanCheck)
class PostLoanCheckAdmin(admin.ModelAdmin):
    list_display = ("account", "sequence", "due_on", "done_on", "done_by", "conclusion", "officer")
    list_filter = ("conclusion", "due_on", "done_on")
    search_fields = ("account__number", "account__customer__name")
    list_select_related = ("account__officer", "done_by")
    date_hierarchy = "due_on"
    readonly_fields = [field.name for field in PostLoanCheck._meta.fields]

    @admin.display(description=_("loan officer"), ordering="account__officer")
    def officer(self, obj):
        return obj.account.officer

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
