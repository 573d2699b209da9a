from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.catalog import MaritalStatus
from loancenter.forms import BootstrapFormMixin

from .models import ChangeKind, ChangeRequest

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ChangeRequestForm(BootstrapFormMixin, forms.Form):
    """One form for every kind of change; the service checks what each kind needs."""

    kind = forms.ChoiceField(label=_("Change"), choices=ChangeKind.choices)
    effective_on = forms.DateField(label=_("Effective on"), initial=timezone.localdate, widget=DATE)
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    amount = forms.DecimalField(
        label=_("Principal to repay early"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=0,
    )
    option = forms.ChoiceField(
        label=_("After a part repayment"),
        required=False,
        choices=[
            ("", "---------"),
            (ChangeRequest.SHORTER_TERM, _("Shorter term, same payment")),
            (ChangeRequest.SMALLER_PAYMENT, _("Same term, smaller payment")),
        ],
    )
    payment_reference = forms.CharField(label=_("Payment reference"), required=False, max_length=64)
    extra_months = forms.IntegerField(
        label=_("Months added"), required=False, min_value=1, max_value=360
    )
    new_repayment_account = forms.CharField(
        label=_("New repayment account"), required=False, max_length=40
    )
    mobile = forms.CharField(label=_("New mobile"), required=False, max_length=11)
    address = forms.CharField(label=_("New address"), required=False, max_length=200)
    employer = forms.CharField(label=_("New employer"), required=False, max_length=100)
    monthly_income = forms.DecimalField(
        label=_("New monthly income"), required=False, max_digits=14, decimal_places=2, min_value=0
    )
    marital_status = forms.ChoiceField(
        label=_("New marital status"),
        required=False,
        choices=[("", "---------"), *MaritalStatus.choices],
    )

    BORROWER_FIELDS = ("mobile", "address", "employer", "monthly_income", "marital_status")

    def service_data(self) -> dict:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in self.BORROWER_FIELDS and v not in (None, "")
        }
        data["effective_on"] = self.cleaned_data["effective_on"]
        data["borrower_changes"] = {
            field: self.cleaned_data[field]
            for field in self.BORROWER_FIELDS
            if self.cleaned_data.get(field) not in (None, "")
        }
        return data


class ChangeDecisionForm(BootstrapFormMixin, forms.Form):
    agree = forms.TypedChoiceField(
        label=_("Opinion"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Agree")), ("no", _("Disagree"))],
    )
    opinion = forms.CharField(
        label=_("Reasons"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
