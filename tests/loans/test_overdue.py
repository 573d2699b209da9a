"""The pure overdue math of RULES.md §5 (loans.overdue), checked by hand to the fen."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loans import overdue
from loans.models import Classification
from loans.overdue import (
    accrued_penalty,
    bucket,
    classification_floor,
    daily_penalty,
    days_past_due,
    penalty_annual_rate,
    worse,
)

UPLIFT = overdue.DEFAULT_UPLIFT_PERCENT


class TestDaysPastDue:
    def test_no_unpaid_installment_is_zero(self):
        assert days_past_due(None, date(2026, 3, 1)) == 0

    def test_not_yet_due_or_due_today_is_zero(self):
        assert days_past_due(date(2026, 3, 10), date(2026, 3, 1)) == 0
        assert days_past_due(date(2026, 3, 1), date(2026, 3, 1)) == 0

    def test_counts_calendar_days_after_the_due_date(self):
        assert days_past_due(date(2026, 3, 1), date(2026, 3, 2)) == 1
        assert days_past_due(date(2026, 1, 31), date(2026, 3, 1)) == 29

    @given(st.none() | st.dates(), st.dates())
    def test_never_negative(self, due, today):
        assert days_past_due(due, today) >= 0


class TestPenaltyRate:
    def test_contract_plus_fifty_percent(self):
        assert penalty_annual_rate(D("3.60"), D("50")) == D("5.40")
        assert penalty_annual_rate(D("4.35"), D("50")) == D("6.525")

    def test_plus_thirty_percent(self):
        assert penalty_annual_rate(D("4.00"), D("30")) == D("5.20")

    def test_floats_are_refused(self):
        with pytest.raises(TypeError):
            penalty_annual_rate(3.6, D("50"))


class TestDailyPenalty:
    def test_one_day_on_ten_thousand_at_three_sixty(self):
        # 10,000 × 5.4 / 100 / 360 = 1.50 exactly; 360 × 5.4 / 100 / 360 = 0.054
        assert daily_penalty(D("10000.00"), D("360.00"), D("3.60"), UPLIFT) == (
            D("1.5"),
            D("0.054"),
        )

    def test_not_rounded(self):
        penalty, _ = daily_penalty(D("1234.56"), D("0"), D("4.35"), UPLIFT)
        assert penalty == D("1234.56") * D("6.525") / 100 / 360  # 0.223764
        assert penalty != penalty.quantize(D("0.01"))

    def test_floats_are_refused(self):
        with pytest.raises(TypeError):
            daily_penalty(10000.0, D("0"), D("3.60"), UPLIFT)


class TestAccruedPenalty:
    def test_thirty_days(self):
        # 1.50 × 30 = 45.00; 360 × 0.054 / 360 × 30 = 1.62
        assert accrued_penalty(D("10000.00"), D("360.00"), D("3.60"), UPLIFT, 30) == (
            D("45.00"),
            D("1.62"),
        )

    def test_one_day_and_zero_days(self):
        assert accrued_penalty(D("10000.00"), D("360.00"), D("3.60"), UPLIFT, 1) == (
            D("1.50"),
            D("0.05"),  # 0.054 rounds half-up to 0.05
        )
        assert accrued_penalty(D("10000.00"), D("360.00"), D("3.60"), UPLIFT, 0) == (
            D("0.00"),
            D("0.00"),
        )

    def test_rounds_the_total_not_each_day(self):
        # 4.35% × 1.5 = 6.525%; a day = 1,234.56 × 6.525 / 100 / 360
        #   = 8,055.5040 / 36,000 = 0.223764 (exact)
        # 17 days = 3.803988 → 3.80; rounding each day (0.22 × 17) would give 3.74.
        one_day = D("1234.56") * D("6.525") / D("36000")
        assert one_day == D("0.223764")
        assert one_day * 17 == D("3.803988")
        penalty, compound = accrued_penalty(D("1234.56"), D("0"), D("4.35"), UPLIFT, 17)
        assert penalty == D("3.80")
        assert compound == D("0.00")
        assert one_day.quantize(D("0.01")) * 17 == D("3.74")  # what daily rounding would lose

    def test_half_fen_rounds_up(self):
        # no uplift: 50 × 3.6 / 100 / 360 = 0.005 exactly → 0.01 (half-up)
        assert accrued_penalty(D("50"), D("0"), D("3.60"), D("0"), 1) == (D("0.01"), D("0.00"))

    def test_negative_days_are_refused(self):
        with pytest.raises(ValueError):
            accrued_penalty(D("1"), D("1"), D("3.6"), UPLIFT, -1)

    amounts = st.decimals(min_value=0, max_value=D("10000000"), places=2)
    rates = st.decimals(min_value=0, max_value=D("24"), places=4)
    uplifts = st.decimals(min_value=0, max_value=D("100"), places=0)
    days = st.integers(min_value=0, max_value=3650)

    @given(amounts, amounts, rates, uplifts, days, days)
    def test_monotonic_in_days_and_never_negative(self, p, i, rate, up, d1, d2):
        lo, hi = sorted((d1, d2))
        a = accrued_penalty(p, i, rate, up, lo)
        b = accrued_penalty(p, i, rate, up, hi)
        assert D("0") <= a[0] <= b[0]
        assert D("0") <= a[1] <= b[1]

    @given(amounts, amounts, amounts, amounts, rates, uplifts, days)
    def test_monotonic_in_amounts(self, p1, p2, i1, i2, rate, up, d):
        (plo, phi), (ilo, ihi) = sorted((p1, p2)), sorted((i1, i2))
        a = accrued_penalty(plo, ilo, rate, up, d)
        b = accrued_penalty(phi, ihi, rate, up, d)
        assert D("0") <= a[0] <= b[0]
        assert D("0") <= a[1] <= b[1]


class TestClassificationFloor:
    @pytest.mark.parametrize(
        ("dpd", "floor"),
        [
            (0, "normal"),
            (1, "normal"),
            (7, "normal"),
            (8, "special_mention"),
            (90, "special_mention"),
            (91, "substandard"),
            (270, "substandard"),
            (271, "doubtful"),
            (360, "doubtful"),
            (361, "loss"),
            (5000, "loss"),
        ],
    )
    def test_edges(self, dpd, floor):
        assert classification_floor(dpd) == floor

    def test_codes_are_the_model_choices_in_order(self):
        assert list(overdue.ORDER) == list(Classification.values)

    @given(st.integers(min_value=0, max_value=5000), st.integers(min_value=0, max_value=5000))
    def test_floor_never_improves_with_more_days(self, d1, d2):
        lo, hi = sorted((d1, d2))
        assert worse(classification_floor(lo), classification_floor(hi)) == classification_floor(hi)


class TestWorse:
    def test_picks_the_worse_either_way(self):
        assert worse("normal", "special_mention") == "special_mention"
        assert worse("doubtful", "substandard") == "doubtful"
        assert worse("loss", "normal") == "loss"
        assert worse("substandard", "substandard") == "substandard"

    def test_a_manual_worse_class_is_kept_above_the_floor(self):
        assert worse("doubtful", classification_floor(10)) == "doubtful"
        assert worse("special_mention", classification_floor(100)) == "substandard"

    def test_unknown_code_is_refused(self):
        with pytest.raises(ValueError):
            worse("normal", "bad")


class TestBucket:
    @pytest.mark.parametrize(
        ("dpd", "name"),
        [
            (0, ""),
            (1, "M1"),
            (30, "M1"),
            (31, "M2"),
            (60, "M2"),
            (61, "M3"),
            (90, "M3"),
            (91, "M3+"),
            (1000, "M3+"),
        ],
    )
    def test_edges(self, dpd, name):
        assert bucket(dpd) == name

    def test_dpd_from_dates_to_bucket(self):
        due = date(2026, 1, 15)
        assert bucket(days_past_due(due, due + timedelta(days=31))) == "M2"
