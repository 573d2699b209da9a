"""The archive in the admin: dossiers, items and their history are read-only (every change goes
through the services, audited and role-checked; nothing is ever deleted); the retention rules
per category are configuration and editable."""

import importlib.util

from django.contrib import admin

from .models import ArchiveItem, Category, CustodyEvent, Dossier, RetentionRule


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ("number", "customer", "created_at")
    search_fields = ("number", "customer__name", "customer__id_number")
    list_select_related = ("customer",)
    date_hierarchy = "created_at"


class EventInline(admin.TabularInline):
    model = CustodyEvent
    fields = ("at", "kind", "by", "second_by", "location", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ArchiveItem)
class ArchiveItemAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "title",
        "dossier",
        "category",
        "is_vital",
        "status",
        "room",
        "cabinet",
        "shelf",
        "box",
        "custodian",
    )
    list_filter = ("status", "category", "is_vital", "is_original")
    search_fields = (
        "number",
        "title",
        "dossier__number",
        "dossier__customer__name",
        "application__number",
        "account__number",
    )
    list_select_related = ("dossier__customer", "custodian")
    inlines = [EventInline]


@admin.register(CustodyEvent)
class CustodyEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "item", "kind", "by", "second_by", "location")
    list_filter = ("kind",)
    search_fields = ("item__number", "item__title", "note")
    list_select_related = ("item", "by", "second_by")
    date_hierarchy = "at"


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ("category", "years_after_settlement")
    list_editable = ("years_after_settlement",)

    def has_add_permission(self, request):
        # One rule per category: a new one only for a category that has none.
        return RetentionRule.objects.count() < len(Category.values)

    def has_delete_permission(self, request, obj=None):
        return False


# The vault, borrowing, hand-over and destruction admins live in their own modules.
for _module in ("admin_custody", "admin_retention"):
    if importlib.util.find_spec(f"{__package__}.{_module}") is not None:
        importlib.import_module(f"{__package__}.{_module}")
