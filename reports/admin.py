from django.contrib import admin

from .models import CreditRating


@admin.register(CreditRating)
class CreditRatingAdmin(admin.ModelAdmin):
    """Read-only: grades change through re-rating and the reviewer's confirmation."""

    list_display = (
        "customer",
        "previous_grade",
        "grade",
        "score",
        "limit",
        "status",
        "computed_at",
        "decided_by",
    )
    list_filter = ("status", "grade")
    search_fields = ("customer__name",)
    list_select_related = ("customer", "decided_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


from . import admin_dashboard  # noqa: E402, F401 (AlertLevel and OfficerTarget admin)
