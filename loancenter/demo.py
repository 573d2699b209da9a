"""Demo data for `manage.py seed_demo`. Later apps register their own seeders here."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from . import roles

# username → (family name, given name, role codes)
DEMO_STAFF: dict[str, tuple[str, str, tuple[str, ...]]] = {
    roles.LOAN_OFFICER: ("王", "营销", (roles.LOAN_OFFICER,)),
    roles.INVESTIGATOR: ("李", "调查", (roles.INVESTIGATOR,)),
    roles.REVIEWER: ("张", "审查", (roles.REVIEWER,)),
    roles.APPROVER: ("刘", "审批", (roles.APPROVER,)),
    roles.DIRECTOR: ("陈", "主任", (roles.DIRECTOR,)),
    roles.HEAD_OFFICE: ("杨", "总行", (roles.HEAD_OFFICE,)),
    roles.MORTGAGE_REGISTRAR: ("赵", "办证", (roles.MORTGAGE_REGISTRAR,)),
    roles.DISBURSEMENT_SUPERVISOR: ("黄", "放款", (roles.DISBURSEMENT_SUPERVISOR,)),
    roles.ARCHIVIST: ("周", "档案", (roles.ARCHIVIST,)),
    "archivist2": ("孙", "档案", (roles.ARCHIVIST,)),  # the vault needs two (双人管库)
    roles.COLLECTIONS_OFFICER: ("吴", "催收", (roles.COLLECTIONS_OFFICER,)),
    roles.AUDITOR: ("郑", "稽核", (roles.AUDITOR,)),
}
ADMIN_USERNAME = "admin"

Seeder = Callable[[], None]
_seeders: list[tuple[int, str, Seeder]] = []


def register(name: str, seeder: Seeder, *, order: int = 100) -> None:
    if all(existing != name for _order, existing, _fn in _seeders):
        _seeders.append((order, name, seeder))


def seed_staff(password: str) -> list[str]:
    User = get_user_model()
    created = []
    for username, (family, given, codes) in DEMO_STAFF.items():
        user, was_created = User.objects.get_or_create(
            username=username, defaults={"last_name": family, "first_name": given}
        )
        user.last_name, user.first_name, user.is_active = family, given, True
        user.set_password(password)
        user.save()
        user.groups.set(Group.objects.filter(name__in=codes))
        if was_created:
            created.append(username)
    admin, was_created = User.objects.get_or_create(
        username=ADMIN_USERNAME, defaults={"last_name": "系统", "first_name": "管理员"}
    )
    admin.is_staff = admin.is_superuser = admin.is_active = True
    admin.set_password(password)
    admin.save()
    if was_created:
        created.append(ADMIN_USERNAME)
    return created


def seed_all(password: str | None = None) -> list[str]:
    password = password or settings.DEMO_PASSWORD
    with transaction.atomic():
        created = seed_staff(password)
        for _order, _name, seeder in sorted(_seeders, key=lambda entry: entry[:2]):
            seeder()
    return created
