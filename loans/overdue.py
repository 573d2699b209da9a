"""Pure overdue math for the nightly sweep (RULES.md §5): DPD, penalties, floors, buckets.

No database and no models: the sweep feeds these functions plain dates and Decimals.
Classification codes are the values of ``loans.models.Classification``.
"""

from datetime import date
from decimal import Decimal

from loancenter.money import to_fen

# 《商业银行金融资产风险分类办法》(2023): DPD floors for the five-level classification.
TECHNICAL_DELAY_DAYS = 7  # overdue up to 7 days is a technical delay: no floor yet
SUBSTANDARD_AFTER_DAYS = 90  # > 90 days → at least substandard (次级)
DOUBTFUL_AFTER_DAYS = 270  # > 270 days → at least doubtful (可疑)
LOSS_AFTER_DAYS = 360  # > 360 days → loss (损失)

# 银发〔2003〕251号: penalty rate = contract rate × (1 + uplift), default uplift +50%.
DEFAULT_UPLIFT_PERCENT = Decimal("50")
DAYS_PER_YEAR = 360  # RULES.md §4: daily rate = annual ÷ 360

# Collection buckets (RULES.md §5): upper bound in DPD → bucket name.
BUCKETS = ((30, "M1"), (60, "M2"), (90, "M3"))
M3_PLUS = "M3+"

NORMAL = "normal"
SPECIAL_MENTION = "special_mention"
SUBSTANDARD = "substandard"
DOUBTFUL = "doubtful"
LOSS = "loss"
ORDER = (NORMAL, SPECIAL_MENTION, SUBSTANDARD, DOUBTFUL, LOSS)  # in order of worsening


def days_past_due(oldest_unpaid_due_date: date | None, business_date: date) -> int:
    """Business date − due date of the oldest unpaid installment; 0 if none or not yet past."""
    if oldest_unpaid_due_date is None:
        return 0
    return max(0, (business_date - oldest_unpaid_due_date).days)


def penalty_annual_rate(contract_rate: Decimal, uplift_percent: Decimal) -> Decimal:
    """The penalty annual rate in percent: contract × (1 + uplift/100). Not rounded."""
    return _exact(contract_rate) * (1 + _exact(uplift_percent) / 100)


def daily_penalty(
    overdue_principal: Decimal,
    unpaid_interest: Decimal,
    contract_rate: Decimal,
    uplift_percent: Decimal,
) -> tuple[Decimal, Decimal]:
    """One day's (penalty interest, compound interest), each amount × rate / 100 / 360.

    Deliberately NOT rounded: the sweep adds up exact daily accruals and rounds the running
    total to the fen. Rounding each day would lose or gain up to half a fen per day, and the
    error grows with the number of days (e.g. 0.2238/day rounds to 0.22, 17 days → 3.74
    instead of 3.80).
    """
    rate = penalty_annual_rate(contract_rate, uplift_percent)
    per_day = rate / 100 / DAYS_PER_YEAR
    return _exact(overdue_principal) * per_day, _exact(unpaid_interest) * per_day


def accrued_penalty(
    overdue_principal: Decimal,
    unpaid_interest: Decimal,
    contract_rate: Decimal,
    uplift_percent: Decimal,
    days: int,
) -> tuple[Decimal, Decimal]:
    """(penalty interest, compound interest) for ``days`` days, each rounded half-up to the fen."""
    if days < 0:
        raise ValueError("days must not be negative")
    penalty, compound = daily_penalty(
        overdue_principal, unpaid_interest, contract_rate, uplift_percent
    )
    return to_fen(penalty * days), to_fen(compound * days)


def classification_floor(dpd: int) -> str:
    """The best classification a loan may have at ``dpd`` days past due."""
    if dpd > LOSS_AFTER_DAYS:
        return LOSS
    if dpd > DOUBTFUL_AFTER_DAYS:
        return DOUBTFUL
    if dpd > SUBSTANDARD_AFTER_DAYS:
        return SUBSTANDARD
    if dpd > TECHNICAL_DELAY_DAYS:
        return SPECIAL_MENTION
    return NORMAL


def worse(a: str, b: str) -> str:
    """The worse of two classification codes (a manual worse class stays above the floor)."""
    return max(a, b, key=ORDER.index)


def bucket(dpd: int) -> str:
    """The collection bucket: "" when current, then M1, M2, M3, M3+."""
    if dpd <= 0:
        return ""
    for upper, name in BUCKETS:
        if dpd <= upper:
            return name
    return M3_PLUS


def _exact(amount) -> Decimal:
    """An amount or rate as an exact Decimal; floats are refused, as in ``to_fen``."""
    if isinstance(amount, float):
        raise TypeError("must not be a float; pass a Decimal, an int or a string")
    return Decimal(amount)


def penalty_on(
    principal_days: Decimal, interest_days: Decimal, contract_rate: Decimal, uplift_percent: Decimal
) -> Decimal:
    """Penalty and compound interest owed on an installment from its accrual sums (overdue
    principal × days, unpaid interest × days), each rounded half-up to the fen — the figure the
    sweep's SQL computes (``loans.sweep.sql``)."""
    rate = _exact(contract_rate) * (100 + _exact(uplift_percent))
    divisor = 100 * 100 * DAYS_PER_YEAR
    return to_fen(_exact(principal_days) * rate / divisor) + to_fen(
        _exact(interest_days) * rate / divisor
    )
