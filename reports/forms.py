from django import forms
from django.utils.translation import gettext_lazy as _

from loancenter.forms import BootstrapFormMixin
from review.models import Scorecard


class RatingDecisionForm(BootstrapFormMixin, forms.Form):
    agree = forms.TypedChoiceField(
        label=_("Opinion"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Confirm the new grade")), ("no", _("Keep the current grade"))],
    )
    reason = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the new grade is not confirmed."),
    )


class ValidationFilterForm(BootstrapFormMixin, forms.Form):
    scorecard = forms.ModelChoiceField(
        label=_("Scorecard version"),
        queryset=Scorecard.objects.order_by("-version"),
        to_field_name="version",
        required=False,
        empty_label=_("Latest score of each loan, any version"),
    )
