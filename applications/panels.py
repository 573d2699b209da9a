"""Sections of the application page contributed by later apps (review, loans, ...).

A later app may not be imported here (DESIGN.md's dependency order), so it registers a panel in
its ``AppConfig.ready()``: a template and a function giving that template's context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    template_name: str
    context: Callable  # (user, application) -> dict, or None to hide the panel
    order: int = 100


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _panels[panel.key] = panel


def panels_for(user, application) -> list[dict]:
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(user, application)
        if context is not None:
            shown.append({"template": panel.template_name, **context})
    return shown
