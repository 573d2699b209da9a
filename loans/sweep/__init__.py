"""The nightly overdue sweep (RULES.md §5, DESIGN.md "Jobs"): set-based and idempotent per date."""

from .registry import SweepStep, register_step, registered_steps
from .runner import catch_up, dates_to_sweep, refresh_account, run_sweep, wind_back

__all__ = [
    "SweepStep",
    "catch_up",
    "dates_to_sweep",
    "refresh_account",
    "register_step",
    "registered_steps",
    "run_sweep",
    "wind_back",
]
