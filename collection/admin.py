"""Collections in the admin: read-only views of the cases and what was done on them. Every
change goes through the services (audited, role-checked), never through the admin."""

import importlib.util

from django.contrib import admin

from .models import (
    CollectionAction,
    CollectionCase,
    InsuranceClaim,
    LegalAction,
    PromiseToPay,
    Recovery,
    WriteOffEvidence,
    WriteOffRequest,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CollectionCase)
class CollectionCaseAdmin(ReadOnlyAdmin):
    list_display = ("account", "status", "bucket", "track", "assignee", "opened_on", "closed_on")
    list_filter = ("status", "bucket", "track")
    search_fields = ("account__number", "account__customer__name")
    list_select_related = ("account", "assignee")
    date_hierarchy = "opened_on"


@admin.register(CollectionAction)
class CollectionActionAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "done_at", "done_by", "next_action_on")
    list_filter = ("kind",)
    search_fields = ("case__account__number",)
    list_select_related = ("case__account", "done_by")


@admin.register(PromiseToPay)
class PromiseToPayAdmin(ReadOnlyAdmin):
    list_display = ("case", "amount", "made_on", "promised_on", "status", "settled_on")
    list_filter = ("status",)
    search_fields = ("case__account__number",)
    list_select_related = ("case__account",)


@admin.register(InsuranceClaim)
class InsuranceClaimAdmin(ReadOnlyAdmin):
    list_display = ("case", "insurer", "policy_number", "claimed_on", "amount", "status")
    list_filter = ("status", "insurer")
    search_fields = ("case__account__number", "policy_number")
    list_select_related = ("case__account",)


@admin.register(LegalAction)
class LegalActionAdmin(ReadOnlyAdmin):
    list_display = ("case", "court", "case_number", "filed_on", "claim_amount", "stage")
    list_filter = ("stage",)
    search_fields = ("case__account__number", "case_number", "court")
    list_select_related = ("case__account",)


class EvidenceInline(admin.TabularInline):
    model = WriteOffEvidence
    fields = ("kind", "original_name", "content_type", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WriteOffRequest)
class WriteOffRequestAdmin(ReadOnlyAdmin):
    list_display = ("account", "ground", "principal", "status", "requested_by", "requested_at")
    list_filter = ("status", "ground")
    search_fields = ("account__number",)
    list_select_related = ("account", "requested_by")
    inlines = [EvidenceInline]


@admin.register(Recovery)
class RecoveryAdmin(ReadOnlyAdmin):
    list_display = ("account", "amount", "received_on", "source", "reference")
    list_filter = ("source",)
    search_fields = ("account__number", "reference")
    list_select_related = ("account",)


# The post-loan checks' admin lives in its own module (written alongside this one).
if importlib.util.find_spec(f"{__package__}.admin_checks") is not None:
    from . import admin_checks  # noqa: F401
