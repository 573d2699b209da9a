import re
from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from loancenter.forms import BootstrapFormMixin
from loancenter.roles import ARCHIVIST

from .models import ArchiveItem, BorrowStatus
from .services.custody import IN_CARE

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_SEPARATORS = re.compile(r"[\s,，;；、]+")


def _text(label, *, required=True, rows=2, max_length=1000):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class DepositForm(BootstrapFormMixin, forms.Form):
    """An expected vital voucher into the vault: where it goes, started by one archivist."""

    room = forms.CharField(label=_("Room"), max_length=20)
    cabinet = forms.CharField(label=_("Cabinet"), max_length=20)
    shelf = forms.CharField(label=_("Shelf"), max_length=20)
    box = forms.CharField(label=_("Box"), required=False, max_length=20)
    purpose = forms.CharField(
        label=_("Purpose"), max_length=200, initial=_("Received into the vault")
    )


class ReleaseForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Released to whom and why"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. returned to the mortgagor")}),
    )


class CancelForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)


class BorrowRequestForm(BootstrapFormMixin, forms.Form):
    reason = _text(_("Reason for borrowing"))
    return_by = forms.DateField(label=_("Return by"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["return_by"].initial = timezone.localdate() + timedelta(days=7)


class BorrowDecisionForm(BootstrapFormMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Approve")), ("no", _("Refuse"))],
    )
    note = _text(_("Note"), required=False)


class BorrowFilterForm(BootstrapFormMixin, forms.Form):
    LATE = "late"
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Everything open")),
            (BorrowStatus.PENDING, _("Awaiting approval")),
            (BorrowStatus.APPROVED, _("Approved, to hand out")),
            (BorrowStatus.OUT, BorrowStatus.OUT.label),
            (LATE, _("Late")),
            ("closed", _("Returned or refused")),
        ],
    )
    q = forms.CharField(label=_("Item or borrower"), required=False, max_length=50)


class VaultFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("Item number, title, customer or place")}),
    )


class ItemNumbersField(forms.CharField):
    """Item numbers typed or scanned, separated by spaces, commas or new lines."""

    widget = forms.Textarea(attrs={"rows": 3})

    def clean(self, value):
        text = super().clean(value) or ""
        numbers = list(dict.fromkeys(n for n in _SEPARATORS.split(text.strip()) if n))
        items = list(ArchiveItem.objects.filter(number__in=numbers).order_by("number"))
        unknown = sorted(set(numbers) - {item.number for item in items})
        if unknown:
            raise forms.ValidationError(
                _("No such item: %(numbers)s.") % {"numbers": ", ".join(unknown)}
            )
        return items


class HandoverForm(BootstrapFormMixin, forms.Form):
    to_custodian = forms.ModelChoiceField(label=_("Hand over to"), queryset=None)
    everything = forms.BooleanField(label=_("Everything in my custody"), required=False)
    numbers = ItemNumbersField(
        label=_("Item numbers"),
        required=False,
        help_text=_("Scan or type the item numbers, one a line."),
    )
    reason = _text(_("Reason"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["to_custodian"].queryset = (
            get_user_model()
            .objects.filter(groups__name=ARCHIVIST, is_active=True)
            .exclude(pk=user.pk)
            .order_by("username")
        )
        self.fields["to_custodian"].label_from_instance = lambda person: person.display_name

    def clean(self):
        data = super().clean()
        if data.get("everything"):
            data["items"] = list(
                ArchiveItem.objects.filter(custodian=self.user, status__in=IN_CARE)
            )
        else:
            data["items"] = data.get("numbers") or []
        if not data["items"] and not self.errors:
            raise forms.ValidationError(_("Choose at least one item to hand over."))
        return data


class InspectionForm(BootstrapFormMixin, forms.Form):
    inspected_on = forms.DateField(label=_("Inspected on"), widget=DATE, initial=timezone.localdate)
    scope = forms.CharField(label=_("Scope"), max_length=200)
    findings = _text(_("Findings"), rows=4, max_length=4000)
    problems_found = forms.BooleanField(label=_("Problems found"), required=False)
    items = ItemNumbersField(
        label=_("Items inspected"),
        required=False,
        help_text=_("Scan or type the item numbers, one a line (optional)."),
    )
