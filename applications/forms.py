from django import forms
from django.utils.translation import gettext_lazy as _

from loancenter.forms import BootstrapFormMixin

from .catalog import DocumentKind
from .models import Customer, Guarantor, LoanApplication, LoanProduct, SurveyConfirmation

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CustomerForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Customer
        fields = Customer.EDITABLE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["id_number"].disabled = True


class ApplicationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = LoanApplication
        fields = LoanApplication.EDITABLE_FIELDS
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "term_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = LoanProduct.objects.filter(is_active=True)
        self.fields["amount"].min_value = 0.01
        self.fields["term_months"].widget.attrs["min"] = 1


class GuarantorForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Guarantor
        fields = [
            "kind",
            "name",
            "id_number",
            "credit_code",
            "mobile",
            "relationship",
            "guarantee_capacity",
        ]

    def clean(self):
        data = super().clean()
        Guarantor(**{k: v for k, v in data.items() if k in self.Meta.fields}).clean()
        return data


class DocumentForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File (PDF, JPEG or PNG, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class SurveyForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = SurveyConfirmation
        fields = SurveyConfirmation.EDITABLE_FIELDS
        widgets = {
            "interview_date": DATE_INPUT,
            "opinion": forms.Textarea(attrs={"rows": 3}),
        }


class QueueFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("Name, ID number or application number")}),
    )
    scope = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("todo", _("Waiting for me")), ("all", _("All I may see"))],
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    product = forms.ChoiceField(label=_("Product"), required=False)
    order = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-created_at", _("Newest first")),
            ("created_at", _("Oldest first")),
            ("-amount", _("Largest amount")),
            ("amount", _("Smallest amount")),
        ],
    )

    def __init__(self, *args, **kwargs):
        from .models import Status

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All states")), *Status.choices]
        self.fields["product"].choices = [("", _("All products"))] + [
            (p.code, p.name) for p in LoanProduct.objects.order_by("code")
        ]
