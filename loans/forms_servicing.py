"""Forms of the servicing pages: posting a repayment, the account list filter, the calculator.

Money and rates are parsed as Decimal from the text typed (never float), with messages a
loan officer understands.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from loancenter.errors import DomainError
from loancenter.forms import BootstrapFormMixin
from loancenter.money import parse_amount
from loancenter.repayment import EQUAL_INSTALLMENT, MAX_MONTHS, METHOD_CHOICES

from .models import AccountStatus, Channel, Classification
from .overdue import BUCKETS, M3_PLUS

BUCKET_NAMES = [name for _upper, name in BUCKETS] + [M3_PLUS]

MAX_RATE = Decimal("24")  # percent a year; the message below names it
MAX_PRINCIPAL = Decimal("1000000000.00")
RATE_PLACES = Decimal("0.0001")


def _amount(text) -> Decimal:
    try:
        return parse_amount(text)
    except DomainError as error:
        raise forms.ValidationError(error.message) from None
    except InvalidOperation:  # parse_amount cannot quantize "1e400"
        raise forms.ValidationError(
            _("“%(text)s” is not an amount of money.") % {"text": text}
        ) from None


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _decimal_widget(**attrs):
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", **attrs})


class RepaymentForm(BootstrapFormMixin, forms.Form):
    amount = forms.CharField(
        label=_("Amount (yuan)"), max_length=20, widget=_decimal_widget(placeholder="0.00")
    )
    paid_on = forms.DateField(label=_("Paid on"), initial=timezone.localdate, widget=_date_widget())
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=64,
        help_text=_("The voucher or transfer number; posting it twice records it once."),
    )

    def clean_amount(self):
        return _amount(self.cleaned_data["amount"])


class AccountFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("IOU number, customer name or ID number")}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *AccountStatus.choices],
    )
    classification = forms.ChoiceField(
        label=_("Classification"),
        required=False,
        choices=[("", _("All classes")), *Classification.choices],
    )
    bucket = forms.ChoiceField(
        label=_("Bucket"),
        required=False,
        choices=[("", _("All buckets")), ("current", _("Current"))]
        + [(name, name) for name in BUCKET_NAMES],
    )


class CalculatorForm(BootstrapFormMixin, forms.Form):
    principal = forms.CharField(
        label=_("Principal (yuan)"),
        max_length=20,
        widget=_decimal_widget(placeholder="1,000,000.00"),
        error_messages={"required": _("Enter the principal.")},
    )
    annual_rate = forms.CharField(
        label=_("Annual rate (%)"),
        max_length=10,
        widget=_decimal_widget(placeholder="4.90"),
        error_messages={"required": _("Enter the annual rate.")},
    )
    months = forms.IntegerField(
        label=_("Term (months)"),
        min_value=1,
        max_value=MAX_MONTHS,
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_MONTHS}),
        error_messages={
            "required": _("Enter the term in months."),
            "invalid": _("Enter the term as a whole number of months."),
            "min_value": _("The term must be from 1 to 600 months."),
            "max_value": _("The term must be from 1 to 600 months."),
        },
    )
    method = forms.ChoiceField(
        label=_("Repayment method"), choices=METHOD_CHOICES, initial=EQUAL_INSTALLMENT
    )
    value_date = forms.DateField(
        label=_("Value date"),
        initial=timezone.localdate,
        widget=_date_widget(),
        error_messages={"required": _("Enter the value date."), "invalid": _("Enter a date.")},
    )

    def clean_principal(self):
        amount = _amount(self.cleaned_data["principal"])
        if amount > MAX_PRINCIPAL:
            raise forms.ValidationError(
                _("The principal may be at most %(max)s.") % {"max": f"{MAX_PRINCIPAL:,.2f}"}
            )
        return amount

    def clean_annual_rate(self):
        text = self.cleaned_data["annual_rate"].strip().rstrip("%").strip()
        try:
            rate = Decimal(text)
        except InvalidOperation:
            rate = None
        if rate is None or not rate.is_finite():
            raise forms.ValidationError(_("Enter the annual rate as a number, e.g. 4.9."))
        if not 0 <= rate <= MAX_RATE:
            raise forms.ValidationError(_("The annual rate must be from 0 to 24 (percent a year)."))
        if rate != rate.quantize(RATE_PLACES):
            raise forms.ValidationError(_("The annual rate has at most four decimal places."))
        return rate
