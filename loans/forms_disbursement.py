from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from loancenter.forms import BootstrapFormMixin


class DisbursementForm(BootstrapFormMixin, forms.Form):
    value_date = forms.DateField(
        label=_("Value date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    repayment_account = forms.CharField(
        label=_("Borrower's repayment account"),
        max_length=40,
        help_text=_("The account the installments are debited from."),
    )
