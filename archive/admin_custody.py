"""The vault, borrowing, hand-over and inspection records in the admin, read-only: each change
goes through the services (two archivists, approvals, history and audit)."""

from django.contrib import admin

from .admin import ReadOnlyAdmin
from .models import BorrowRequest, Handover, Inspection, VaultMovement


@admin.register(VaultMovement)
class VaultMovementAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "item", "kind", "status", "started_by", "confirmed_by")
    list_filter = ("kind", "status")
    search_fields = ("item__number", "item__title", "purpose")
    list_select_related = ("item", "started_by", "confirmed_by")
    date_hierarchy = "started_at"


@admin.register(BorrowRequest)
class BorrowRequestAdmin(ReadOnlyAdmin):
    list_display = ("requested_at", "item", "requested_by", "return_by", "status", "decided_by")
    list_filter = ("status", "item__is_vital")
    search_fields = ("item__number", "item__title", "requested_by__username", "reason")
    list_select_related = ("item", "requested_by", "decided_by")
    date_hierarchy = "requested_at"


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "from_custodian", "to_custodian", "status", "confirmed_at")
    list_filter = ("status",)
    search_fields = ("reason", "items__number")
    list_select_related = ("from_custodian", "to_custodian")
    filter_horizontal = ("items",)


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("inspected_on", "scope", "inspector", "problems_found")
    list_filter = ("problems_found",)
    search_fields = ("scope", "findings", "items__number")
    list_select_related = ("inspector",)
    date_hierarchy = "inspected_on"
