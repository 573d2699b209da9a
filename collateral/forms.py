from django import forms
from django.utils.translation import gettext_lazy as _

from loancenter.forms import BootstrapFormMixin

from .models import Collateral, InsurancePolicy, Notarisation, RegistrationStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CollateralForm(BootstrapFormMixin, forms.ModelForm):
    valuation_report = forms.FileField(
        label=_("Valuation report (PDF, JPEG or PNG)"), required=False
    )

    class Meta:
        model = Collateral
        fields = Collateral.EDITABLE_FIELDS
        widgets = {"appraisal_date": DATE}


class InsurancePolicyForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = InsurancePolicy
        fields = InsurancePolicy.EDITABLE_FIELDS
        widgets = {"starts_on": DATE, "ends_on": DATE}


class NotarisationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Notarisation
        fields = Notarisation.EDITABLE_FIELDS
        widgets = {"notarised_on": DATE}


class SubmitRegistrationForm(BootstrapFormMixin, forms.Form):
    registry_office = forms.CharField(label=_("Registry office"), max_length=100)
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DATE)


class CompleteRegistrationForm(BootstrapFormMixin, forms.Form):
    certificate_number = forms.CharField(
        label=_("Certificate of other rights (他项权证) number"), max_length=60
    )
    registered_on = forms.DateField(label=_("Registered on"), widget=DATE)


class LedgerFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("Application, customer or certificate")}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All states")), *RegistrationStatus.choices],
    )
    office = forms.CharField(label=_("Registry office"), required=False, max_length=100)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
