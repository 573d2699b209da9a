from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from loancenter.repayment import METHOD_CHOICES

from .catalog import DocumentKind, SecurityType
from .models import (
    ApplicationDocument,
    CreditWarning,
    Customer,
    LoanApplication,
    LoanPrimeRate,
    LoanProduct,
)


class LoanProductForm(forms.ModelForm):
    """The JSON list fields as checkboxes, so administrators pick from the known codes."""

    repayment_methods = forms.MultipleChoiceField(
        label=_("repayment methods"),
        choices=METHOD_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    security_types = forms.MultipleChoiceField(
        label=_("security types"),
        choices=SecurityType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    required_documents = forms.MultipleChoiceField(
        label=_("required documents"),
        choices=DocumentKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = LoanProduct
        fields = [field.name for field in LoanProduct._meta.fields if field.name != "id"]


@admin.register(LoanProduct)
class LoanProductAdmin(admin.ModelAdmin):
    form = LoanProductForm
    list_display = (
        "code",
        "name",
        "category",
        "min_amount",
        "max_amount",
        "max_term_months",
        "rate_basis",
        "onsite_survey_percent",
        "is_active",
    )
    list_filter = ("category", "is_active")
    search_fields = ("code", "name")


@admin.register(LoanPrimeRate)
class LoanPrimeRateAdmin(admin.ModelAdmin):
    list_display = ("effective_date", "tenor", "rate")
    list_filter = ("tenor",)
    date_hierarchy = "effective_date"


@admin.register(CreditWarning)
class CreditWarningAdmin(admin.ModelAdmin):
    list_display = ("masked_id", "name", "since", "lifted_on", "reason")
    list_filter = ("since", "lifted_on")
    search_fields = ("id_number", "name")

    @admin.display(description=_("resident identity card number"))
    def masked_id(self, obj):
        from .identity import mask_id_number

        return mask_id_number(obj.id_number)


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("name", "masked_id_number", "masked_mobile", "officer", "created_at")
    search_fields = ("name", "id_number")
    list_select_related = ("officer",)
    readonly_fields = ("birth_date", "sex", "created_at", "updated_at")
    raw_id_fields = ("officer",)


@admin.register(LoanApplication)
class LoanApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications change only through the workflow, which audits every step."""

    list_display = ("number", "customer", "product", "amount", "status", "officer", "created_at")
    list_filter = ("status", "product")
    search_fields = ("number", "customer__name")
    list_select_related = ("customer", "product", "officer")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(LoanApplicationAdmin):
    list_display = ("application", "kind", "original_name", "size", "uploaded_by", "uploaded_at")
    list_filter = ("kind",)
    search_fields = ("application__number", "original_name")
    list_select_related = ("application", "uploaded_by")
    date_hierarchy = "uploaded_at"
