"""Default alert levels (head office sets them in the admin), seeded by a migration and by tests
after a flush. Percentages; the interest collection rate alerts when it falls below its level."""

from decimal import Decimal

ALERT_LEVELS = {
    "overdue_rate": (Decimal("3.00"), True),
    "npl_ratio": (Decimal("2.00"), True),
    "interest_collection_rate": (Decimal("95.00"), False),
    "bad_debt_rate": (Decimal("1.00"), True),
}


def seed_alert_levels(AlertLevel):  # noqa: N803 (historical models too)
    for figure, (level, higher_is_worse) in ALERT_LEVELS.items():
        AlertLevel.objects.get_or_create(
            figure=figure,
            defaults={"alert_percent": level, "higher_is_worse": higher_is_worse},
        )
