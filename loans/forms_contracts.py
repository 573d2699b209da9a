from django import forms
from django.utils.translation import gettext_lazy as _

from loancenter.forms import BootstrapFormMixin

from .models import SigningMode


class SigningForm(BootstrapFormMixin, forms.Form):
    """面签: when, how and by whom the contracts were signed. The rules live in the service."""

    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    mode = forms.ChoiceField(label=_("Signing"), choices=SigningMode.choices)
    signers = forms.CharField(
        label=_("Signers"),
        max_length=200,
        help_text=_("Everyone who signed: the borrower, mortgagors and guarantors."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
