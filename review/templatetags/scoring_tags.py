from django import template

from applications.catalog import HousingStatus, MaritalStatus, SecurityType
from review.models import Characteristic

_CATEGORIES = {
    Characteristic.MARITAL_STATUS: dict(MaritalStatus.choices),
    Characteristic.HOUSING_STATUS: dict(HousingStatus.choices),
    Characteristic.SECURITY_TYPE: dict(SecurityType.choices),
}

register = template.Library()


@register.filter
def characteristic_label(code):
    """The translated name of a scorecard characteristic code."""
    try:
        return Characteristic(code).label
    except ValueError:
        return code


@register.filter
def characteristic_value(row):
    """A breakdown row's value as people read it (category codes become their labels)."""
    value = row.get("value")
    labels = _CATEGORIES.get(row.get("code"))
    if labels and value in labels:
        return labels[value]
    return "—" if value in (None, "") else value
