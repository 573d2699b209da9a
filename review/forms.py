from django import forms
from django.utils.translation import gettext_lazy as _

from loancenter.forms import BootstrapFormMixin

from .models import ApprovalDecision, ReviewOpinion


class ReviewForm(BootstrapFormMixin, forms.ModelForm):
    checks = forms.MultipleChoiceField(
        label=_("Checklist"),
        required=False,
        choices=ReviewOpinion.CHECKLIST,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ReviewOpinion
        fields = ReviewOpinion.EDITABLE_FIELDS
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        checked = set(data.get("checks") or [])
        data["checklist"] = {code: code in checked for code, _label in ReviewOpinion.CHECKLIST}
        return data


class DecisionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ApprovalDecision
        fields = ApprovalDecision.EDITABLE_FIELDS
        widgets = {
            "conditions": forms.Textarea(attrs={"rows": 2}),
            "reasons": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Escalation follows from the amount and the authority; nobody picks it.
        self.fields["decision"].choices = [
            (code, label)
            for code, label in self.fields["decision"].choices
            if code != ApprovalDecision.ESCALATE
        ]
