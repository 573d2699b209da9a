"""Money in templates: ``{{ amount|yuan }}`` → "1,234,567.89", ``{{ amount|capitals }}`` →
"人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分".

Both work on Decimal (or int, or a numeric string) and never go through float: a float is
refused with TypeError, as everywhere money is handled (loancenter.money). An empty value
(None or "") renders as an empty string, so optional amounts can be written as
``{{ limit|yuan|default:"—" }}``.
"""

from django import template

from loancenter.capitals import amount_in_capitals
from loancenter.money import to_fen

register = template.Library()


def _is_empty(value) -> bool:
    return value is None or value == ""


@register.filter
def yuan(value) -> str:
    """An amount rounded half-up to the fen, with thousands separators and two decimals."""
    if _is_empty(value):
        return ""
    return f"{to_fen(value):,.2f}"


@register.filter
def capitals(value) -> str:
    """An amount in Chinese financial capitals (大写金额), e.g. 人民币捌拾万元整."""
    if _is_empty(value):
        return ""
    return amount_in_capitals(value)
