from django import forms
from django.utils.translation import gettext_lazy as _

from loancenter.forms import BootstrapFormMixin

from .models import Category, ItemStatus


class ItemSearchForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={"placeholder": _("Customer, ID number, application, loan or item number")}
        ),
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Category.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *ItemStatus.choices]
    )
    vital = forms.ChoiceField(
        label=_("Vital voucher"),
        required=False,
        choices=[("", _("All items")), ("yes", _("Vital vouchers")), ("no", _("Other items"))],
    )
    room = forms.CharField(label=_("Room"), required=False, max_length=20)
    cabinet = forms.CharField(label=_("Cabinet"), required=False, max_length=20)
    shelf = forms.CharField(label=_("Shelf"), required=False, max_length=20)
    box = forms.CharField(label=_("Box"), required=False, max_length=20)

    FILTERS = ("q", "category", "status", "vital", "room", "cabinet", "shelf", "box")

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: self.cleaned_data.get(name) or "" for name in self.FILTERS}


class LocationForm(BootstrapFormMixin, forms.Form):
    room = forms.CharField(label=_("Room"), max_length=20)
    cabinet = forms.CharField(label=_("Cabinet"), max_length=20)
    shelf = forms.CharField(label=_("Shelf"), max_length=20)
    box = forms.CharField(label=_("Box"), required=False, max_length=20)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReceiveForm(LocationForm):
    pages = forms.IntegerField(
        label=_("Pages counted"), required=False, min_value=1, max_value=32767
    )


class RegisterItemForm(BootstrapFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    is_original = forms.BooleanField(label=_("Original"), required=False, initial=True)
    pages = forms.IntegerField(label=_("Number of pages"), min_value=1, max_value=32767, initial=1)
    is_vital = forms.BooleanField(label=_("Vital voucher"), required=False)
    application = forms.ModelChoiceField(
        label=_("Application"), required=False, queryset=None, empty_label=_("None")
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = dossier.customer.applications.order_by("-pk")
        self.fields["application"].label_from_instance = lambda a: a.number
