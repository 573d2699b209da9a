"""Forms of the retention and destruction pages. They parse input; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from loancenter.forms import BootstrapFormMixin

from .models import BatchStatus, Category


class DueFilterForm(BootstrapFormMixin, forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *Category.choices],
    )


class BatchFilterForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All destruction lists")), *BatchStatus.choices],
    )


class DecisionForm(BootstrapFormMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Approve the destruction")), ("no", _("Reject the list"))],
    )
    opinion = forms.CharField(
        label=_("Reasons"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CompleteForm(BootstrapFormMixin, forms.Form):
    method = forms.CharField(
        label=_("Method of destruction"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. shredded on site")}),
    )
