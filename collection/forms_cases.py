"""Forms of the collection pages. They parse input; the services check the rules."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from loancenter.forms import BootstrapFormMixin

from .models import ActionKind, CaseStatus, EvidenceKind, RecoverySource, Track, WriteOffGround

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BUCKETS = [("", _("All buckets")), ("M1", "M1"), ("M2", "M2"), ("M3", "M3"), ("M3+", "M3+")]


def money(label):
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=0)


def text(label, *, rows=2, required=True, max_length=1000):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def day(label, *, required=True, today=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE,
        initial=timezone.localdate if today else None,
    )


class CaseFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Customer name or IOU number")}),
    )
    bucket = forms.ChoiceField(label=_("Bucket"), required=False, choices=BUCKETS)
    track = forms.ChoiceField(
        label=_("Track"), required=False, choices=[("", _("All tracks")), *Track.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        # Not CaseStatus's own labels: its "Open" shares a msgid with the "Open" button.
        choices=[
            (CaseStatus.OPEN, _("Open cases")),
            (CaseStatus.CLOSED, _("Closed cases")),
            ("all", _("All cases")),
        ],
    )


class ActionForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Action"), choices=ActionKind.choices)
    result = text(_("Result"))
    next_action_on = day(_("Next action on"), required=False, today=False)


class PromiseForm(BootstrapFormMixin, forms.Form):
    amount = money(_("Amount promised"))
    promised_on = day(_("To pay by"), today=False)


class DemandLetterForm(BootstrapFormMixin, forms.Form):
    guarantor = forms.ModelChoiceField(label=_("Guarantor"), queryset=None)
    pay_by = day(_("Pay by"), today=False)

    def __init__(self, *args, guarantors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guarantor"].queryset = guarantors


class ClaimForm(BootstrapFormMixin, forms.Form):
    amount = money(_("Amount claimed"))
    claimed_on = day(_("Claim date"))


class ClaimOutcomeForm(BootstrapFormMixin, forms.Form):
    paid = forms.TypedChoiceField(
        label=_("Outcome"),
        coerce=lambda value: value == "paid",
        choices=[("paid", _("Paid")), ("rejected", _("Rejected"))],
    )
    amount_paid = forms.DecimalField(
        label=_("Amount paid"), required=False, max_digits=14, decimal_places=2, min_value=0
    )
    paid_on = day(_("Paid on"), required=False)
    reference = forms.CharField(label=_("Payment reference"), required=False, max_length=64)
    note = text(_("Note"), required=False)


class LawsuitForm(BootstrapFormMixin, forms.Form):
    court = forms.CharField(label=_("Court"), max_length=100)
    case_number = forms.CharField(label=_("Court case number"), max_length=60)
    filed_on = day(_("Filing date"))
    claim_amount = money(_("Amount sued for"))


class JudgmentForm(BootstrapFormMixin, forms.Form):
    judgment = text(_("Judgment"))
    judged_on = day(_("Judgment date"))


class EnforcementForm(BootstrapFormMixin, forms.Form):
    enforcement = text(_("Enforcement"))
    ended_on = day(_("Enforcement ended on"), required=False, today=False)


class ProceedsForm(BootstrapFormMixin, forms.Form):
    amount = money(_("Amount received"))
    received_on = day(_("Received on"))
    reference = forms.CharField(label=_("Payment reference"), max_length=64)
    note = text(_("Note"), required=False, rows=1)


class RecoveryForm(BootstrapFormMixin, forms.Form):
    amount = money(_("Amount recovered"))
    received_on = day(_("Received on"))
    # The model's "received from", not the bare "From" that date ranges use (从).
    source = forms.ChoiceField(label=capfirst(_("received from")), choices=RecoverySource.choices)
    reference = forms.CharField(label=_("Payment reference"), max_length=64)
    note = text(_("Note"), required=False, rows=1)


class WriteOffRequestForm(BootstrapFormMixin, forms.Form):
    """The ground, the reasons and one file per kind of evidence."""

    ground = forms.ChoiceField(label=_("Ground"), choices=WriteOffGround.choices)
    reason = text(_("Reasons"), rows=3, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in EvidenceKind.choices:
            self.fields[f"evidence_{kind}"] = forms.FileField(label=label, required=False)
            self.fields[f"evidence_{kind}"].widget.attrs.update(
                {"class": "form-control", "accept": "application/pdf,image/jpeg,image/png"}
            )

    def evidence(self) -> list[tuple]:
        return [
            (kind, self.cleaned_data[f"evidence_{kind}"])
            for kind in EvidenceKind.values
            if self.cleaned_data.get(f"evidence_{kind}")
        ]


class DecisionForm(BootstrapFormMixin, forms.Form):
    agree = forms.TypedChoiceField(
        label=_("Opinion"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Agree")), ("no", _("Disagree"))],
    )
    opinion = text(_("Reasons"), rows=3)
