"""Amounts in Chinese financial capitals, checked against examples and read back."""

import re
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from loancenter.capitals import amount_in_capitals
from loancenter.money import to_fen


@pytest.mark.parametrize(
    "amount,expected",
    [
        ("0", "人民币零元整"),
        ("0.05", "人民币伍分"),
        ("0.50", "人民币伍角整"),
        ("1.50", "人民币壹元伍角整"),
        ("10", "人民币壹拾元整"),
        ("12.05", "人民币壹拾贰元零伍分"),
        ("100.50", "人民币壹佰元零伍角整"),
        ("1001", "人民币壹仟零壹元整"),
        ("1234.56", "人民币壹仟贰佰叁拾肆元伍角陆分"),
        ("1680.32", "人民币壹仟陆佰捌拾元零叁角贰分"),
        ("10010", "人民币壹万零壹拾元整"),
        ("107000.53", "人民币壹拾万柒仟元零伍角叁分"),
        ("1000000", "人民币壹佰万元整"),
        ("1000000.00", "人民币壹佰万元整"),
        ("1230000", "人民币壹佰贰拾叁万元整"),
        ("10001000", "人民币壹仟万壹仟元整"),
        ("100000010", "人民币壹亿零壹拾元整"),
        ("100001000", "人民币壹亿零壹仟元整"),
        ("100010000", "人民币壹亿零壹万元整"),
        ("1000000000", "人民币壹拾亿元整"),
        (
            "999999999999.99",
            "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
        ),
    ],
)
def test_it_writes_amounts_in_capitals(amount, expected):
    assert amount_in_capitals(Decimal(amount)) == expected
    assert amount_in_capitals(amount) == expected


def test_it_accepts_ints():
    assert amount_in_capitals(1_000_000) == "人民币壹佰万元整"


def test_it_rounds_half_up_to_the_fen_first():
    assert amount_in_capitals(Decimal("0.005")) == "人民币壹分"
    assert amount_in_capitals("12.045") == "人民币壹拾贰元零伍分"


def test_it_refuses_floats():
    with pytest.raises(TypeError):
        amount_in_capitals(100.5)


@pytest.mark.parametrize("amount", ["-0.01", "-1000", Decimal("NaN")])
def test_it_refuses_negative_amounts_and_nan(amount):
    with pytest.raises(ValueError):
        amount_in_capitals(amount)


@pytest.mark.parametrize("amount", [10**12, "1000000000000.00", "999999999999.995"])
def test_it_refuses_one_wan_yi_or_more(amount):
    with pytest.raises(ValueError):
        amount_in_capitals(amount)


# --- reading capitals back ---------------------------------------------------------------

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = {"": 0, "拾": 1, "佰": 2, "仟": 3}
ALLOWED = set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
TOKEN = re.compile(r"零|([壹贰叁肆伍陆柒捌玖])([拾佰仟]?)")
FRACTION = re.compile(r"(零?)(?:([壹贰叁肆伍陆柒捌玖])角)?(?:([壹贰叁肆伍陆柒捌玖])分)?(整?)")


def zero_is_written(high: int, low: int) -> bool:
    """The rule for a gap between nonzero digits at powers of ten `high` > `low`: one 零,
    unless the skipped zeros are only the trailing ones of a section and `low` is the
    仟 place of the next section (壹拾万柒仟)."""
    return high - low > 1 and (low % 4 != 3 or high // 4 - low // 4 > 1)


def parse_integer(text: str) -> int:
    """元 in capitals back to an int, checking that each 零 stands exactly where it must."""
    if text == "零":
        return 0
    sections, rest = {"亿": "", "万": ""}, text
    for unit in ("亿", "万"):
        if unit in rest:
            sections[unit], rest = rest.split(unit)
            assert sections[unit], f"{unit} without digits in {text}"
    sections[""] = rest
    digits, zero_before = [], []  # (power, digit); whether a 零 precedes each digit
    for unit, offset in (("亿", 8), ("万", 4), ("", 0)):
        zero = False
        position = 0
        for match in TOKEN.finditer(sections[unit]):
            assert match.start() == position, f"unexpected text in {text}"
            position = match.end()
            if match.group() == "零":
                assert not zero, f"零零 in {text}"
                zero = True
                continue
            digits.append((offset + PLACES[match[2]], DIGITS.index(match[1])))
            zero_before.append(zero)
            zero = False
        assert position == len(sections[unit]) and not zero, f"bad section in {text}"
    powers = [power for power, _ in digits]
    assert powers == sorted(set(powers), reverse=True), f"places out of order in {text}"
    assert not zero_before[0], f"leading 零 in {text}"
    for (high, _), (low, _), zero in zip(digits, digits[1:], zero_before[1:], strict=False):
        assert zero == zero_is_written(high, low), f"零 between 10^{high} and 10^{low}: {text}"
    return sum(digit * 10**power for power, digit in digits)


def parse_capitals(text: str) -> Decimal:
    """The small reader the round trip needs: 人民币…元…角…分/整 back to a Decimal."""
    assert text.startswith("人民币"), text
    body = text.removeprefix("人民币")
    integer_text, _, fraction_text = body.rpartition("元")  # no 元: ("", "", body)
    yuan = parse_integer(integer_text) if integer_text else 0
    match = FRACTION.fullmatch(fraction_text)
    assert match, f"bad 角/分 in {text}"
    zero, jiao, fen, whole = match.groups()
    jiao, fen = (DIGITS.index(d) if d else 0 for d in (jiao, fen))
    assert bool(whole) == (fen == 0), f"整 exactly when there is no 分: {text}"
    skipped = yuan > 0 and (jiao or fen) and (jiao == 0 or yuan % 10 == 0)
    assert bool(zero) == bool(skipped), f"零 after 元: {text}"
    return Decimal(yuan) + Decimal(jiao) / 10 + Decimal(fen) / 100


sparse_fen = st.lists(st.sampled_from("0000000123456789"), min_size=14, max_size=14).map(
    lambda digits: Decimal("".join(digits)) / 100
)
amounts = st.one_of(
    st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2),
    st.decimals(min_value=0, max_value=Decimal("999999999999.994"), places=3),
    sparse_fen,  # mostly zeros: where the 零 rules matter
)


@given(amounts)
@example(Decimal("100000010.00"))
@example(Decimal("10001000.05"))
@example(Decimal("100001000.30"))
def test_capitals_are_well_formed_and_read_back_to_the_amount(amount):
    text = amount_in_capitals(amount)

    assert text.startswith("人民币")
    assert set(text.removeprefix("人民币")) <= ALLOWED
    assert "零零" not in text
    assert not text.endswith("零")
    assert parse_capitals(text) == to_fen(amount)


@pytest.mark.parametrize(
    "wrong",
    [
        "人民币壹仟壹元整",  # 1001 without its 零
        "人民币壹万壹拾元整",  # 10010 without its 零
        "人民币壹亿壹拾元整",  # 100000010 without its 零
        "人民币壹拾万零柒仟元整",  # a 零 where none belongs
        "人民币壹拾元叁角贰分",  # 10.32 without 零 after 元
        "人民币拾元整",  # a bare 拾
        "人民币壹佰元零伍角",  # 100.50 without 整
    ],
)
def test_the_reader_catches_wrong_capitals(wrong):
    with pytest.raises(AssertionError):
        parse_capitals(wrong)
