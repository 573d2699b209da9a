"""The navigation bar and the work page links, by role.

Each app registers its work areas in its ``AppConfig.ready()``; this keeps the dependency
direction of DESIGN.md (loancenter never imports a later app).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

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
    group: str = ""  # a key of GROUPS: shown in that menu when the bar is crowded

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

# Menus for users who see many areas (the director, the auditor); key → label.
GROUPS = {
    "origination": _("Origination"),
    "loans": _("Loans and collections"),
    "archive": _("Archive"),
    "reports": _("Reports and audit"),
}
FLAT_UP_TO = 9  # a bar with this many items or fewer stays flat


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


def grouped(items: list[dict]) -> list[dict]:
    """The bar as the template draws it from ``items_for``: the items, and for a crowded bar,
    menus of grouped items (``{"group": key, "label": ..., "children": [...], "badge": sum}``)
    standing where the group's first item would."""
    if len(items) <= FLAT_UP_TO:
        return items
    entries, menus = [], {}
    for item in items:
        group = _items[item["key"]].group
        if not group:
            entries.append(item)
            continue
        if group not in menus:
            menus[group] = {"group": group, "label": GROUPS[group], "children": [], "badge": 0}
            entries.append(menus[group])
        menus[group]["children"].append(item)
        menus[group]["badge"] += item["badge"] or 0
    return entries
