"""The task outbox: a task asked for by a write is kept with the write and published once it
commits; a stopped broker leaves it waiting for ``flush_outbox`` instead of losing it."""

import socket
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from loancenter import health, outbox
from loancenter.celery import app
from loancenter.models import OutboxTask

pytestmark = pytest.mark.django_db

CALLS: list = []


@app.task(name="tests.outbox.remember")
def remember(value):
    CALLS.append(value)
    return value


@pytest.fixture(autouse=True)
def _forget_calls():
    CALLS.clear()


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens once the socket is closed
    return f"redis://127.0.0.1:{port}/0"


def celery_conf(**changes):
    """Change Celery settings for one test; put back as they were afterwards."""
    previous = {name: app.conf[name] for name in changes}
    app.conf.update(changes)
    return previous


@pytest.fixture
def redis_down():
    """A broker is configured (tasks not eager) but nothing answers at its address."""
    previous = celery_conf(task_always_eager=False, broker_url=closed_port_url())
    yield
    app.conf.update(previous)


class FakeBroker:
    """``app.send_task`` while Redis is back: records what was published, in order."""

    def __init__(self, fail_first: int = 0):
        self.published: list[tuple[str, list]] = []
        self.fail_first = fail_first

    def __call__(self, name, args=None, **options):
        assert options["retry"] is False and options["ignore_result"] is True
        if self.fail_first:
            self.fail_first -= 1
            raise ConnectionRefusedError("Connection refused")
        self.published.append((name, args))
        return SimpleNamespace(id=f"task-{len(self.published)}")


@pytest.fixture
def redis_back(monkeypatch):
    previous = celery_conf(task_always_eager=False)
    broker = FakeBroker()
    monkeypatch.setattr(app, "send_task", broker)
    yield broker
    app.conf.update(previous)


def waiting(*values, minutes_ago=(0,)):
    rows = []
    for value, ago in zip(values, minutes_ago * len(values), strict=False):
        created = timezone.now() - timedelta(minutes=ago)
        rows.append(OutboxTask.objects.create(task=remember.name, args=[value], created_at=created))
    return rows


def test_without_a_broker_the_task_runs_once_the_write_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        row = outbox.enqueue(remember, 7)
        assert CALLS == []  # not before the commit

    assert CALLS == [7]
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 1 and row.task == "tests.outbox.remember"


def test_a_rolled_back_write_takes_its_task_with_it(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue(remember, 7)
        raise RuntimeError("the service refused")

    assert callbacks == [] and CALLS == []
    assert not OutboxTask.objects.exists()


def test_a_stopped_broker_leaves_the_task_waiting_and_the_caller_goes_on(
    redis_down, django_capture_on_commit_callbacks
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox.enqueue(remember, 7)
    elapsed = time.monotonic() - started

    assert elapsed < 3, f"publishing to a stopped Redis held the caller {elapsed:.1f} s"
    row.refresh_from_db()
    assert row.sent_at is None and row.attempts == 1
    assert "OperationalError" in row.last_error
    assert CALLS == []
    assert outbox.backlog()[0] == 1


def test_the_flush_sends_waiting_tasks_oldest_first_once_the_broker_is_back(redis_back):
    newer, older = waiting(1, 2, minutes_ago=(1, 5))

    counts = outbox.flush_outbox()

    assert counts == {"sent": 2, "failed": 0, "skipped": 0, "waiting": 0}
    assert redis_back.published == [(remember.name, [2]), (remember.name, [1])]
    older.refresh_from_db()
    assert older.sent_at is not None and older.task_id == "task-1" and older.last_error == ""


def test_a_second_flush_sends_nothing_again(redis_back):
    waiting(1, 2)
    outbox.flush_outbox()

    assert outbox.flush_outbox() == {"sent": 0, "failed": 0, "skipped": 0, "waiting": 0}
    assert len(redis_back.published) == 2


def test_the_flush_stops_at_the_first_broker_failure_and_keeps_the_rest(redis_back):
    first, second = waiting(1, 2, minutes_ago=(2, 1))
    redis_back.fail_first = 1

    counts = outbox.flush_outbox()

    assert counts == {"sent": 0, "failed": 1, "skipped": 0, "waiting": 2}
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.attempts == 1 and "Connection refused" in first.last_error
    assert second.attempts == 0  # not tried: the broker is down
    assert outbox.flush_outbox()["sent"] == 2  # the next minute sends both


def test_the_flush_against_a_stopped_broker_is_quick_and_loses_nothing(redis_down):
    waiting(1, 2, 3)
    started = time.monotonic()

    counts = outbox.flush_outbox()

    assert time.monotonic() - started < 3
    assert counts["failed"] == 1 and counts["waiting"] == 3


def test_without_a_broker_the_flush_runs_what_an_outage_left_waiting():
    waiting(4, 5)

    assert outbox.flush_outbox()["sent"] == 2
    assert sorted(CALLS) == [4, 5]


def test_rows_sent_a_month_ago_are_removed_and_waiting_ones_never(redis_back):
    old_sent, old_waiting = waiting(1, 2, minutes_ago=(60 * 24 * 40,))
    OutboxTask.objects.filter(pk=old_sent.pk).update(sent_at=timezone.now() - timedelta(days=31))
    redis_back.fail_first = 1

    outbox.flush_outbox()

    assert list(OutboxTask.objects.values_list("pk", flat=True)) == [old_waiting.pk]


def test_the_command_flushes_and_says_what_it_did(redis_back, capsys):
    waiting(1)

    call_command("flush_outbox")

    assert "sent 1, failed 0, skipped 0, still waiting 0" in capsys.readouterr().out


def test_beat_runs_the_flush_task_every_minute(redis_back):
    from django_celery_beat.models import PeriodicTask

    periodic = PeriodicTask.objects.get(task="loancenter.flush_outbox")
    assert (periodic.interval.every, periodic.interval.period) == (1, "minutes")
    assert periodic.enabled and periodic.expire_seconds == 55
    waiting(1)

    app.loader.import_default_modules()
    app.tasks["loancenter.flush_outbox"].apply()  # as the worker would run it

    assert redis_back.published == [(remember.name, [1])]


def test_the_health_check_shows_the_backlog(settings):
    settings.REDIS_URL = None  # the outbox alone; Redis and the worker have their own tests
    waiting(1, 2)

    healthy, states = health.report()

    assert healthy and states["outbox"] == "ok (2 waiting)"


def test_a_backlog_older_than_a_quarter_of_an_hour_is_unhealthy(settings):
    settings.REDIS_URL = None
    waiting(1, minutes_ago=(16,))

    healthy, states = health.report()

    assert not healthy and states["outbox"].startswith("error: RuntimeError: 1 tasks waiting")
