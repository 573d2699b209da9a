"""Default retention (RULES.md §6: five years after settlement, per category), seeded by a
migration and by tests after a flush."""

DEFAULT_YEARS = 5


def seed_retention_rules(RetentionRule):  # noqa: N803 (historical models too)
    from archive.models import Category

    for category in Category.values:
        RetentionRule.objects.get_or_create(
            category=category, defaults={"years_after_settlement": DEFAULT_YEARS}
        )
