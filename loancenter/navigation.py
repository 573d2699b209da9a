"""The navigation bar and the work page links, by role.

Each app registers its work areas in its ``AppConfig.ready()``; this keeps the dependency
direction of DESIGN.md (loancenter never imports a later app).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from .roles import user_role_codes


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: every signed-in user
    staff_only: bool = False
    order: int = 100
    badge: Callable | None = None  # (user) -> int, e.g. how many items wait for the user

    def visible_to(self, user) -> bool:
        if self.staff_only and not user.is_staff:
            return False
        if self.roles is None:
            return True
        return bool(user_role_codes(user) & self.roles) or user.is_superuser

    @property
    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return "#"


_items: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _items[item.key] = item


def items_for(user) -> list[dict]:
    """The visible items with their URLs and badge counts, in order."""
    if not getattr(user, "is_authenticated", False):
        return []
    visible = sorted(
        (item for item in _items.values() if item.visible_to(user)),
        key=lambda item: (item.order, item.key),
    )
    return [
        {
            "key": item.key,
            "label": item.label,
            "url": item.url,
            "url_name": item.url_name,
            "badge": item.badge(user) if item.badge else None,
        }
        for item in visible
    ]
