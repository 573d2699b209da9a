"""Money is Decimal, rounded half-up to the fen (RULES.md §4, fixed)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .errors import DomainError

FEN = Decimal("0.01")


def to_fen(value) -> Decimal:
    """Round an amount half-up to the fen. Floats are refused: they are not exact."""
    if isinstance(value, float):
        raise TypeError("money must not be a float; pass a Decimal, an int or a string")
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def parse_amount(text, *, allow_zero: bool = False) -> Decimal:
    """An amount typed by a user ("1,000,000.00", "5000"), or a clear error."""
    cleaned = str(text).strip().replace(",", "").replace(",", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise DomainError(_("“%(text)s” is not an amount of money.") % {"text": text}) from None
    if not amount.is_finite() or abs(amount) >= Decimal("1e15"):
        raise DomainError(_("“%(text)s” is not an amount of money.") % {"text": text})
    if amount != amount.quantize(FEN):
        raise DomainError(_("An amount has at most two decimal places (fen)."))
    if amount < 0 or (amount == 0 and not allow_zero):
        raise DomainError(_("The amount must be greater than zero."))
    return to_fen(amount)
