"""A transactional outbox for Celery tasks: a task a write asks for is never lost to a stopped
Redis.

``enqueue(task, *args)``, called inside the service's transaction, stores an ``OutboxTask`` row
with the write and publishes it once the transaction commits. When the broker cannot be reached
the row stays pending, the request goes on normally, and ``flush_outbox()`` — run every minute
by beat (``loancenter.flush_outbox``) and by ``manage.py flush_outbox`` — publishes it when
Redis is back. Delivery is at least once: tasks sent through the outbox must be safe to run
twice (they are: each one claims its work in the database first).

Without a broker (tasks eager, the embedded default and the tests) the task runs at once in
the calling process, as it did before the outbox.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone

from .celery import app
from .models import OutboxTask

logger = logging.getLogger(__name__)

SENT, FAILED, SKIPPED = "sent", "failed", "skipped"
FLUSH_BATCH = 500
KEEP_SENT = timedelta(days=30)
STALE_AFTER = timedelta(minutes=15)
# A stopped Redis must not hold a request: one quick retry, short socket timeouts.
PUBLISH_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
}


def eager() -> bool:
    return bool(app.conf.task_always_eager)


def enqueue(task, *args) -> OutboxTask:
    """Keep ``task(*args)`` with the current transaction's writes; publish it once they commit.

    ``task`` is a Celery task or its registered name; ``args`` must be JSON values (ids, ISO
    dates). Outside a transaction the task is published at once.
    """
    name = task if isinstance(task, str) else task.name
    row = OutboxTask.objects.create(task=name, args=list(args))
    # With a broker, a failure after the commit must not turn a saved write into an error
    # page: the row simply waits for the next flush. Eager tasks fail loudly, as before.
    transaction.on_commit(partial(send, row.pk), robust=not eager())
    return row


def send(pk: int) -> str:
    """Publish one pending row (or, eagerly, run it): ``sent``, ``failed`` or ``skipped``."""
    if eager():
        return _run_eagerly(pk)
    with _broker_connection() as connection:
        return _publish(pk, connection)


def flush_outbox(*, limit: int = FLUSH_BATCH) -> dict[str, int]:
    """Publish waiting rows, oldest first; stop at the first broker failure (the rest waits for
    the next run). Rows sent more than ``KEEP_SENT`` ago are removed."""
    counts = {SENT: 0, FAILED: 0, SKIPPED: 0}
    ids = list(pending().order_by("created_at", "pk").values_list("pk", flat=True)[:limit])
    if eager():
        for pk in ids:
            counts[_run_eagerly(pk)] += 1
    else:
        with _broker_connection() as connection:
            for pk in ids:
                outcome = _publish(pk, connection)
                counts[outcome] += 1
                if outcome == FAILED:
                    break
    OutboxTask.objects.filter(sent_at__lt=timezone.now() - KEEP_SENT).delete()
    counts["waiting"] = pending().count()
    if counts[FAILED]:
        logger.warning("outbox: broker unreachable, %s tasks wait", counts["waiting"])
    return counts


def pending():
    return OutboxTask.objects.filter(sent_at__isnull=True)


def backlog() -> tuple[int, object]:
    """How many rows wait, and since when (None when none wait)."""
    figures = pending().aggregate(oldest=Min("created_at"))
    return pending().count(), figures["oldest"]


def _broker_connection():
    return app.connection_for_write(transport_options=PUBLISH_TRANSPORT_OPTIONS)


def _publish(pk: int, connection) -> str:
    with transaction.atomic():
        # skip_locked: a row another flush (or the request's own hook) is sending is left to it
        row = pending().select_for_update(skip_locked=True).filter(pk=pk).first()
        if row is None:
            return SKIPPED
        row.attempts += 1
        try:
            result = app.send_task(
                row.task, args=row.args, connection=connection, retry=False, ignore_result=True
            )
        except Exception as error:  # any broker failure: the row waits, the caller goes on
            logger.warning(
                "outbox: task %s (row %s) not sent, it waits for the next flush: %s: %s",
                row.task,
                row.pk,
                type(error).__name__,
                error,
            )
            row.last_error = f"{type(error).__name__}: {error}"[:1000]
            row.save(update_fields=["attempts", "last_error"])
            return FAILED
        row.sent_at, row.task_id, row.last_error = timezone.now(), result.id or "", ""
        row.save(update_fields=["attempts", "sent_at", "task_id", "last_error"])
    return SENT


def _run_eagerly(pk: int) -> str:
    """No broker: mark the row sent, then run the task here (its errors propagate)."""
    claimed = pending().filter(pk=pk).update(sent_at=timezone.now(), attempts=F("attempts") + 1)
    if not claimed:
        return SKIPPED
    row = OutboxTask.objects.get(pk=pk)
    _task(row.task).apply_async(args=row.args)
    return SENT


def _task(name: str):
    if name not in app.tasks:
        app.loader.import_default_modules()  # the apps' tasks modules, as a worker loads them
    return app.tasks[name]
