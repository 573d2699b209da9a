from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loancenter.errors import DomainError
from loancenter.money import parse_amount, to_fen


@pytest.mark.parametrize(
    "raw,expected",
    [("2.345", "2.35"), ("2.344", "2.34"), ("-2.345", "-2.35"), ("0.005", "0.01"), (7, "7.00")],
)
def test_it_rounds_half_up_to_the_fen(raw, expected):
    assert to_fen(Decimal(raw) if isinstance(raw, str) else raw) == Decimal(expected)


def test_it_refuses_floats():
    with pytest.raises(TypeError):
        to_fen(0.1)


@given(st.decimals(min_value=0, max_value=10**12, places=4, allow_nan=False))
def test_rounding_moves_an_amount_by_at_most_half_a_fen(amount):
    rounded = to_fen(amount)
    assert abs(rounded - amount) <= Decimal("0.005")
    assert rounded.as_tuple().exponent == -2


@pytest.mark.parametrize("text,expected", [("1,000,000.00", "1000000.00"), (" 5000 ", "5000.00")])
def test_it_parses_amounts_typed_by_users(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "1.234", "-5", "0", "NaN", "Infinity", "", "1e400"])
def test_it_refuses_what_is_not_an_amount(text):
    with pytest.raises(DomainError):
        parse_amount(text)
