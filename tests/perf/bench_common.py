"""Helpers shared by the benchmark orchestrator (``tests.perf.bench``) and its parts.

Each part runs as its own process (``python -m tests.perf.<part>``) against one database named
by DATABASE_URL, and prints its figures as ``BENCH <name> <value> <unit>`` lines and anything
worth keeping in the results as ``NOTE <text>`` lines. The orchestrator reads both.
Not named test_*.py: pytest does not collect these modules.
"""

from __future__ import annotations

import math
import os
import statistics
import sys
from datetime import date

BENCH_PREFIX = "BENCH"
NOTE_PREFIX = "NOTE"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loancenter.settings")
    import django

    django.setup()


def number(value: float) -> str:
    """A figure with four significant digits and no exponent (0.01234, 1.234, 1234.5)."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    digits = max(0, 3 - math.floor(math.log10(abs(value))))
    return f"{value:.{min(digits, 6)}f}"


def emit(name: str, value: float, unit: str) -> None:
    print(f"{BENCH_PREFIX} {name} {number(value)} {unit}", flush=True)


def note(text: str) -> None:
    print(f"{NOTE_PREFIX} {text}", flush=True)


def fail(message: str) -> None:
    """Stop the part loudly: the orchestrator treats a non-zero exit as a failed bench."""
    print(f"BENCH FAILED: {message}", file=sys.stderr, flush=True)
    raise SystemExit(1)


def p95(samples: list[float]) -> float:
    """The 95th percentile by nearest rank (of 50 samples: the 48th smallest)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def business_date() -> date:
    """The date the sweep under test runs for: as_of + 1 day, chosen by the orchestrator."""
    raw = os.environ.get("BENCH_BUSINESS_DATE")
    if not raw:
        fail("BENCH_BUSINESS_DATE is not set (run the parts through tests.perf.bench)")
    return date.fromisoformat(raw)


def label() -> str:
    return os.environ.get("BENCH_LABEL", "x")


def size_label(accounts: int) -> str:
    """10000 → 10k, 100000 → 100k, 1000000 → 1m; other sizes as they are (300)."""
    if accounts % 1_000_000 == 0:
        return f"{accounts // 1_000_000}m"
    if accounts % 1000 == 0:
        return f"{accounts // 1000}k"
    return str(accounts)
