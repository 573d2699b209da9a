"""Health of the parts the application depends on, for /healthz."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.utils import timezone


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_redis(url: str) -> str:
    import redis

    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def check_worker() -> str:
    from .celery import app

    replies = app.control.ping(timeout=settings.HEALTH_CHECK_TIMEOUT_SECONDS)
    if not replies:
        raise RuntimeError("no Celery worker answered")
    return f"ok ({len(replies)})"


def check_outbox() -> str:
    """Tasks kept while Redis was down; a backlog older than the flush interval allows means
    beat or the broker has been away too long."""
    from . import outbox

    count, oldest = outbox.backlog()
    if oldest is not None and oldest < timezone.now() - outbox.STALE_AFTER:
        since = timezone.localtime(oldest)
        raise RuntimeError(f"{count} tasks waiting since {since:%Y-%m-%d %H:%M}")
    return f"ok ({count} waiting)"


def report() -> tuple[bool, dict[str, str]]:
    """Each configured part and its state; healthy only when every configured part answers."""
    checks = {"database": check_database, "outbox": check_outbox}
    if settings.REDIS_URL:
        checks["redis"] = lambda: check_redis(settings.REDIS_URL)
        checks["worker"] = check_worker
    states: dict[str, str] = {}
    healthy = True
    for name, check in checks.items():
        if name == "worker" and states["redis"].startswith("error"):
            states[name] = "not checked: Redis is down"  # asking would only wait for it
            continue
        try:
            states[name] = check()
        except Exception as exc:  # any failure of a dependency is reported, never raised
            healthy = False
            states[name] = f"error: {type(exc).__name__}: {exc}"[:300]
    if not settings.REDIS_URL:
        states["redis"] = states["worker"] = "not configured (tasks run eagerly)"
    return healthy, states
