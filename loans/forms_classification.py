from django import forms
from django.utils.translation import gettext_lazy as _

from loancenter.forms import BootstrapFormMixin

from .models import Classification


class ClassificationRequestForm(BootstrapFormMixin, forms.Form):
    to_class = forms.ChoiceField(label=_("New class"), choices=Classification.choices)
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ClassificationDecisionForm(forms.Form):
    """The director's approve/reject buttons on each row of the queue, with the opinion."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    opinion = forms.CharField(label=_("Opinion"), max_length=1000)

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class ClearFlagForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("What the review found"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
