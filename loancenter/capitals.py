"""Amounts in Chinese financial capitals (大写金额), as contracts and IOUs must show them.

The writing follows the PBOC 《支付结算办法》 rules: capital digits 零壹贰叁肆伍陆柒捌玖,
units 拾佰仟万亿 and 元角分, a run of zeros written as one 零, no 零 for trailing zeros,
"整" when no 分 follows, and always 壹拾 (never a bare 拾). After a nonzero 元 part, a
skipped zero (元 digit or 角) is written as 零, as in the PBOC examples::

    amount_in_capitals("1680.32") == "人民币壹仟陆佰捌拾元零叁角贰分"
    amount_in_capitals("107000.53") == "人民币壹拾万柒仟元零伍角叁分"
"""

from .money import to_fen

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SECTION_UNITS = ("", "拾", "佰", "仟")  # the four places inside a section
GROUP_UNITS = ("", "万", "亿")  # one per section of four digits, lowest first
LIMIT = 10**12  # one 万亿: the first amount GROUP_UNITS cannot write
PREFIX = "人民币"


def amount_in_capitals(amount) -> str:
    """Write an amount (Decimal, int or str; never float) as 人民币…元…角…分 / 整.

    The amount is rounded half-up to the fen first. Negative amounts and amounts of
    one 万亿 or more are refused with ValueError.
    """
    total_fen = _to_whole_fen(amount)
    yuan, jiao, fen = total_fen // 100, total_fen // 10 % 10, total_fen % 10
    if yuan == 0 and jiao == 0 and fen == 0:
        return f"{PREFIX}零元整"
    integer = f"{_integer_in_capitals(yuan)}元" if yuan else ""
    return PREFIX + integer + _fraction_in_capitals(yuan, jiao, fen)


def _to_whole_fen(amount) -> int:
    """The amount as a whole number of fen, after the guards."""
    rounded = to_fen(amount)  # refuses float with TypeError
    if not rounded.is_finite():
        raise ValueError(f"not an amount of money: {amount!r}")
    if rounded < 0:
        raise ValueError(f"a negative amount has no capitals: {amount!r}")
    if rounded >= LIMIT:
        raise ValueError(f"amounts of one 万亿 or more are not supported: {amount!r}")
    return int(rounded * 100)


def _integer_in_capitals(number: int) -> str:
    """A positive whole number of 元 in capitals, sections joined by 万 and 亿."""
    sections = _split_into_sections(number)  # highest first
    text, zero_pending = "", False
    for value, group_unit in sections:
        if value == 0:
            zero_pending = bool(text)  # a whole zero section between two nonzero ones
            continue
        if text and (zero_pending or value < 1000):
            text += "零"  # zeros before this section's first digit
        text += _section_in_capitals(value) + group_unit
        zero_pending = False
    return text


def _split_into_sections(number: int) -> list[tuple[int, str]]:
    """Sections of four digits with their unit, highest first: 123456789 → 1亿, 2345万, 6789."""
    sections = []
    for group_unit in GROUP_UNITS:
        number, value = divmod(number, 10_000)
        sections.append((value, group_unit))
    return sections[::-1]


def _section_in_capitals(value: int) -> str:
    """A section 1–9999 without leading or trailing 零: 1001 → 壹仟零壹, 10 → 壹拾."""
    text, zero_pending = "", False
    for place in reversed(range(4)):
        digit = value // 10**place % 10
        if digit == 0:
            zero_pending = bool(text)
            continue
        if zero_pending:
            text += "零"
        text += DIGITS[digit] + SECTION_UNITS[place]
        zero_pending = False
    return text


def _fraction_in_capitals(yuan: int, jiao: int, fen: int) -> str:
    """角 and 分, with 零 after a nonzero 元 part when a zero digit is skipped, and 整."""
    text = ""
    if yuan and (jiao or fen) and (jiao == 0 or yuan % 10 == 0):
        text += "零"  # 12.05 → 壹拾贰元零伍分; 1680.32 → 壹仟陆佰捌拾元零叁角贰分
    if jiao:
        text += f"{DIGITS[jiao]}角"
    if fen:
        return f"{text}{DIGITS[fen]}分"
    return f"{text}整"
