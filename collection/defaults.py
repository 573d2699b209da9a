"""Default post-loan check schedules, seeded by a migration and by tests after a flush."""

DEFAULT_SCHEDULE = {"first_within_days": 30, "every_months": 3}  # business loans (RULES.md §1)


def seed_check_schedules(LoanProduct, CheckSchedule):  # noqa: N803 (historical models too)
    for product in LoanProduct.objects.filter(category="business"):
        CheckSchedule.objects.get_or_create(product=product, defaults=DEFAULT_SCHEDULE)
