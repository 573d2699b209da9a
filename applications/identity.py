"""Identity numbers and phone numbers: validation, derived facts and masking."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalize_id_number(value: str) -> str:
    return ric.compact(value or "").upper()


def validate_id_number(value: str) -> None:
    """居民身份证: 18 characters, a valid region, birth date and check digit."""
    try:
        ric.validate(normalize_id_number(value))
    except StdnumError:
        raise ValidationError(
            _("“%(value)s” is not a valid resident identity card number."),
            code="invalid_id_number",
            params={"value": value},
        ) from None
    if len(normalize_id_number(value)) != 18:
        raise ValidationError(
            _("Only the 18-digit resident identity card number is accepted."),
            code="invalid_id_number",
        )


def birth_date_from_id(value: str) -> date:
    return ric.get_birth_date(normalize_id_number(value))


def sex_from_id(value: str) -> str:
    """'M' or 'F': the 17th digit is odd for men and even for women."""
    return "M" if int(normalize_id_number(value)[16]) % 2 else "F"


def validate_credit_code(value: str) -> None:
    """统一社会信用代码 of a company."""
    try:
        uscc.validate(value or "")
    except StdnumError:
        raise ValidationError(
            _("“%(value)s” is not a valid unified social credit code."),
            code="invalid_credit_code",
            params={"value": value},
        ) from None


def validate_mobile(value: str) -> None:
    if not _MOBILE.match(value or ""):
        raise ValidationError(
            _("“%(value)s” is not a valid mainland mobile number (11 digits starting with 1)."),
            code="invalid_mobile",
            params={"value": value},
        )


def mask_id_number(value: str) -> str:
    """110105********1234: region code and last four, the birth date hidden."""
    if not value or len(value) < 10:
        return value or ""
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_mobile(value: str) -> str:
    if not value or len(value) < 7:
        return value or ""
    return f"{value[:3]}****{value[-4:]}"


def age_on(birth_date: date, day: date) -> int:
    """Whole years of age on ``day``."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)
