"""The money template filters: ``yuan`` (1,234,567.89) and ``capitals`` (大写金额)."""

from decimal import Decimal

import pytest
from django.template import engines

from loancenter.templatetags.money import capitals, yuan


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load money %}" + source).render(context)


@pytest.mark.parametrize(
    "amount,expected",
    [
        (Decimal("1234567.89"), "1,234,567.89"),
        (Decimal("800000"), "800,000.00"),
        (Decimal("1000000.00"), "1,000,000.00"),
        (Decimal("0"), "0.00"),
        (Decimal("0.5"), "0.50"),
        (Decimal("999.995"), "1,000.00"),  # half-up to the fen
        (Decimal("0.005"), "0.01"),
        (Decimal("12345678901.23"), "12,345,678,901.23"),
        (1000, "1,000.00"),
        ("2500.5", "2,500.50"),
    ],
)
def test_yuan_has_thousands_separators_and_exactly_two_decimals(amount, expected):
    assert yuan(amount) == expected


@pytest.mark.parametrize(
    "amount,expected",
    [
        (Decimal("800000.00"), "人民币捌拾万元整"),
        (Decimal("1000000"), "人民币壹佰万元整"),
        (Decimal("1680.32"), "人民币壹仟陆佰捌拾元零叁角贰分"),
        (Decimal("0.05"), "人民币伍分"),
    ],
)
def test_capitals_writes_the_amount_in_chinese_capitals(amount, expected):
    assert capitals(amount) == expected


@pytest.mark.parametrize("empty", [None, ""])
def test_an_empty_amount_renders_empty_so_default_can_replace_it(empty):
    assert yuan(empty) == ""
    assert capitals(empty) == ""
    assert render("{{ a|yuan|default:'—' }}", a=empty) == "—"


@pytest.mark.parametrize("flt", [0.1, 800000.0])
def test_floats_are_refused_not_rounded_silently(flt):
    with pytest.raises(TypeError):
        yuan(flt)
    with pytest.raises(TypeError):
        capitals(flt)


def test_negative_amounts_have_no_capitals():
    with pytest.raises(ValueError):
        capitals(Decimal("-1"))


def test_the_filters_in_a_template():
    html = render("{{ amount|yuan }} {{ amount|capitals }}", amount=Decimal("1234567.89"))
    assert html == "1,234,567.89 人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"


def test_yuan_does_not_depend_on_the_active_language():
    from django.utils import translation

    with translation.override("en"):
        assert render("{{ a|yuan }}", a=Decimal("1234.5")) == "1,234.50"
    with translation.override("zh-hans"):
        assert render("{{ a|yuan }}", a=Decimal("1234.5")) == "1,234.50"
