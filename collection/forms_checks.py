from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from loancenter.forms import BootstrapFormMixin

from .models import CheckConclusion
from .selectors_checks import ALL, DONE, DUE, OVERDUE
from .services_checks import RiskSignal


class CheckFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (DUE, _("To do")),
            (OVERDUE, _("Overdue")),
            (DONE, _("Done")),
            (ALL, _("All")),
        ],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class CheckForm(BootstrapFormMixin, forms.Form):
    done_on = forms.DateField(
        label=_("Done on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    findings = forms.CharField(
        label=_("Findings"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What was seen and heard: the business, the funds, the collateral, the guarantors."
        ),
    )
    risk_signals = forms.MultipleChoiceField(
        label=_("Risk signals"),
        required=False,
        choices=RiskSignal.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=CheckConclusion.choices)
