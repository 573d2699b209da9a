"""Steps that later apps add to the nightly sweep (collection cases, promises, post-loan checks).

Apps after ``loans`` cannot be imported by it (DESIGN.md), so they register a step here from
their ``AppConfig.ready``. Each step is ``fn(business_date) -> dict`` of figures, runs inside the
sweep's transaction after every account is up to date (days past due, status, class, bucket),
must be set-based (a few statements, no query per account) and idempotent for the date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SweepStep:
    name: str
    run: Callable[[date], dict]
    order: int = 100


_steps: dict[str, SweepStep] = {}


def register_step(step: SweepStep) -> None:
    _steps[step.name] = step


def registered_steps() -> list[SweepStep]:
    return sorted(_steps.values(), key=lambda step: (step.order, step.name))
