"""Default authority limits per role (RULES.md §3), seeded by a migration, edited in the admin."""

from decimal import Decimal

LIMITS = [
    ("approver", Decimal("1000000")),
    ("director", Decimal("3000000")),
    ("head_office", Decimal("20000000")),
]


def seed_defaults(Group, AuthorityLimit):  # noqa: N803 (historical models too)
    delegator = None
    for code, amount in reversed(LIMITS):  # head office delegates to director to approver
        group, _created = Group.objects.get_or_create(name=code)
        delegator, _created = AuthorityLimit.objects.get_or_create(
            group=group,
            product=None,
            defaults={"max_amount": amount, "delegated_from": delegator},
        )
