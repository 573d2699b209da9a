"""Sections of the archive item page contributed by each part of the archive (custody,
borrowing, retention), so that no part edits another's template.

A part registers a panel in its ``register_*()`` (called from ``ArchiveConfig.ready``):

    from archive.panels import ItemPanel, register

    register(ItemPanel("vault", "archive/custody/_item_vault.html", vault_panel, order=20))

``context(user, item)`` returns the template's context as a dict, or None to hide the panel.
The item page includes each shown panel inside its actions area, in ``order``, as
``{% include panel.template with panel=panel %}``: the panel's own keys are ``panel.<key>``, and
the page's ``item`` (with its dossier and customer) and ``user`` are there too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ItemPanel:
    key: str
    template_name: str
    context: Callable  # (user, item) -> dict, or None to hide the panel
    order: int = 100


_panels: dict[str, ItemPanel] = {}


def register(panel: ItemPanel) -> None:
    _panels[panel.key] = panel


def panels_for(user, item) -> list[dict]:
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(user, item)
        if context is not None:
            shown.append({"template": panel.template_name, **context})
    return shown
