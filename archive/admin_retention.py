"""Destruction lists in the admin, read-only: a list is prepared, approved, checked by the witness
and carried out only through the services (separation of duties, history and audit). The
retention rules themselves are edited in archive/admin.py."""

from django.contrib import admin

from .admin import ReadOnlyAdmin
from .models import DestructionBatch, DestructionLine


class LineInline(admin.TabularInline):
    model = DestructionLine
    fields = ("item", "checked_by_witness", "checked_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DestructionBatch)
class DestructionBatchAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "status",
        "prepared_by",
        "prepared_at",
        "approved_by",
        "witness",
        "destroyed_at",
    )
    list_filter = ("status",)
    search_fields = ("number", "lines__item__number", "approval_opinion", "method")
    list_select_related = ("prepared_by", "approved_by", "witness")
    date_hierarchy = "prepared_at"
    inlines = [LineInline]
