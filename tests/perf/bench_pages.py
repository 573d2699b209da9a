"""Part: page response times through the Django test client, p95 of 50 after 3 warm-ups.

``python -m tests.perf.bench_pages`` with DATABASE_URL set (DEBUG=0, ALLOWED_HOSTS including
testserver; the orchestrator sets both). Prints ``dashboard_p95_ms``, ``queue_p95_ms``,
``statement_p95_ms`` and ``application_page_p95_ms``.

Each request is timed alone (wall clock around ``Client.get``: URL resolution, middleware,
session, queries, template); logging in (``force_login``) happens before the clock starts. Every
response must be 200. The statement and the application page change object on each request.
"""

from __future__ import annotations

import os
import time

from tests.perf.bench_common import emit, fail, note, p95, setup_django

WARM_UP = 3
REQUESTS = int(os.environ.get("BENCH_PAGE_REQUESTS", "50"))
BACKEND = "django.contrib.auth.backends.ModelBackend"


def timed_requests(name: str, requests: list[tuple[object, str]]) -> list[float]:
    """GET each (user, url) in turn; the first WARM_UP are not counted."""
    from django.test import Client

    client = Client()
    current = None
    samples = []
    for index, (user, url) in enumerate(requests):
        if user is not current:
            client.force_login(user, backend=BACKEND)
            current = user
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            fail(f"{name}: GET {url} as {user} answered {response.status_code}, not 200")
        if index >= WARM_UP:
            samples.append(elapsed * 1000)
    return samples


def cycle(items: list, count: int) -> list:
    if not items:
        return []
    return [items[index % len(items)] for index in range(count)]


def user_named(username: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        fail(f"no active user {username!r}: the portfolio has no demo staff")
    return user


def dashboard_requests(total: int):
    from django.urls import reverse

    from loancenter import roles

    return [(user_named(roles.DIRECTOR), reverse("reports:dashboard"))] * total


def queue_requests(total: int):
    from django.urls import reverse

    from loancenter import roles

    return [(user_named(roles.REVIEWER), reverse("applications:queue"))] * total


def statement_requests(total: int):
    """The longest-running housing loans still on the book, each as its own loan officer."""
    from django.db.models import Count
    from django.urls import reverse

    from applications.catalog import Category
    from loans.models import LoanAccount

    accounts = list(
        LoanAccount.objects.filter(
            product__category=Category.HOUSING, status__in=("active", "overdue")
        )
        .select_related("officer")
        .order_by("value_date", "pk")[:total]
    )
    if not accounts:
        fail("no open housing account to show a statement of")
    counts = (
        LoanAccount.objects.filter(pk__in=[a.pk for a in accounts])
        .annotate(
            installments_n=Count("installments", distinct=True),
            repayments_n=Count("repayments", distinct=True),
        )
        .values_list("installments_n", "repayments_n")
    )
    counts = list(counts)
    note(
        f"statement: {len(accounts)} housing accounts (oldest value dates first), "
        f"{sum(c[0] for c in counts) / len(counts):.0f} installments and "
        f"{sum(c[1] for c in counts) / len(counts):.0f} repayments each on average"
    )
    return cycle(
        [(a.officer, reverse("loans:account_detail", args=[a.pk])) for a in accounts], total
    )


def application_requests(total: int):
    from django.urls import reverse

    from applications.models import LoanApplication, Status

    applications = list(
        LoanApplication.objects.filter(status=Status.DISBURSED)
        .select_related("officer")
        .order_by("-pk")[:total]
    )
    if not applications:
        fail("no disbursed application")
    note(f"application page: {len(applications)} different disbursed applications")
    return cycle(
        [(a.officer, reverse("applications:detail", args=[a.pk])) for a in applications], total
    )


PAGES = (
    ("dashboard_p95_ms", dashboard_requests),
    ("queue_p95_ms", queue_requests),
    ("statement_p95_ms", statement_requests),
    ("application_page_p95_ms", application_requests),
)


def main() -> None:
    setup_django()
    from django.conf import settings

    if settings.DEBUG:
        fail("run the page timings with DEBUG=0 (DEBUG keeps every query in memory)")
    total = WARM_UP + REQUESTS
    for name, build in PAGES:
        samples = timed_requests(name, build(total))
        emit(name, p95(samples), "ms")


if __name__ == "__main__":
    main()
