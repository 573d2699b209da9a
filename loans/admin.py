from django.contrib import admin

from .models import ClassificationChange, LoanAccount, PortfolioSnapshot, SweepRun


class ReadOnlyAdmin(admin.ModelAdmin):
    """Loans change only through services and the sweep, which audit every change."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoanAccount)
class LoanAccountAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "customer",
        "product",
        "principal_outstanding",
        "status",
        "classification",
        "days_past_due",
        "bucket",
        "officer",
    )
    list_filter = ("status", "classification", "bucket", "product", "needs_review", "is_extended")
    search_fields = ("number", "customer__name")
    list_select_related = ("customer", "product", "officer")
    date_hierarchy = "value_date"


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdmin):
    list_display = ("business_date", "status", "attempts", "started_at", "finished_at")
    list_filter = ("status",)
    date_hierarchy = "business_date"


@admin.register(PortfolioSnapshot)
class PortfolioSnapshotAdmin(ReadOnlyAdmin):
    list_display = (
        "business_date",
        "product",
        "classification",
        "bucket",
        "accounts",
        "principal_outstanding",
        "overdue_principal",
    )
    list_filter = ("business_date", "product", "classification", "bucket")
    list_select_related = ("product",)


@admin.register(ClassificationChange)
class ClassificationChangeAdmin(ReadOnlyAdmin):
    list_display = ("account", "from_class", "to_class", "origin", "status", "effective_on")
    list_filter = ("origin", "status", "to_class")
    search_fields = ("account__number",)
    list_select_related = ("account",)
