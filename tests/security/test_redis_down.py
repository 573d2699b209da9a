"""Issue 9 §7a: with Redis stopped, pages and writes still work and the tasks they queue are
not lost.

Redis is "stopped" by pointing the broker at a local port nothing listens on (the machine's
real Redis is shared and stays up) with tasks no longer eager. A write that queues a task (the
director asks for a report) answers at once; the task waits in the outbox; when the broker is
back, ``flush_outbox`` publishes it — to the real Redis when REDIS_URL is set, where the test
takes the message off a private queue and runs it as a worker would.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from kombu import Exchange, Queue

from loancenter import outbox
from loancenter.celery import app
from loancenter.models import OutboxTask
from reports.models import ReportRun, ReportStatus
from tests.reports.report_data import seed_snapshots

pytestmark = pytest.mark.django_db

COUNTS_FILE = Path(__file__).parent / "counts" / "outbox.txt"
FIGURES: dict[str, int] = {}
QUICK = 3.0  # seconds: a request must not wait on a stopped Redis
REPORT = {"kind": "classification", "period_start": "2026-10-01", "period_end": "2026-10-31"}
SKIPPED_PREFIXES = ("admin/", "i18n/", "accounts/", "healthz")


def write_counts(figures: dict[str, int]) -> None:
    """Merge ``figures`` into the counts file the lead quotes in SECURITY.md."""
    COUNTS_FILE.parent.mkdir(exist_ok=True)
    lines = COUNTS_FILE.read_text().splitlines() if COUNTS_FILE.exists() else []
    counts = dict(line.split(" ", 1) for line in lines if " " in line)
    counts.update({name: str(value) for name, value in figures.items()})
    COUNTS_FILE.write_text("".join(f"{name} {value}\n" for name, value in sorted(counts.items())))


@pytest.fixture(scope="module", autouse=True)
def _print_and_record_counts():
    yield
    pages = [n for name, n in FIGURES.items() if name.startswith("redis_down_pages_as_")]
    if pages:
        FIGURES["redis_down_page_requests"] = sum(pages)
    if FIGURES:
        print(f"\nRedis down: {FIGURES}")
        write_counts(FIGURES)


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens once the socket is closed
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def redis_down(settings):
    """Production settings (a broker, tasks not eager) with nothing answering at Redis's
    address; the health check looks at the same stopped address."""
    url = closed_port_url()
    settings.REDIS_URL = url
    previous = {name: app.conf[name] for name in ("task_always_eager", "broker_url")}
    app.conf.update(task_always_eager=False, broker_url=url)
    yield url
    app.conf.update(previous)


@pytest.fixture
def snapshots(origination):
    seed_snapshots()


def ask_for_a_report(client, director, capture):
    client.force_login(director)
    started = time.monotonic()
    with capture(execute=True):  # the commit hooks run, as after a real request
        response = client.post(reverse("reports:report_runs"), REPORT)
    return response, time.monotonic() - started


def test_asking_for_a_report_with_redis_down_answers_at_once_and_keeps_the_task(
    client, director, snapshots, redis_down, django_capture_on_commit_callbacks
):
    response, elapsed = ask_for_a_report(client, director, django_capture_on_commit_callbacks)

    run = ReportRun.objects.get()
    assert response.status_code == 302, response.status_code
    assert response.url == reverse("reports:report_run", args=[run.pk])
    assert elapsed < QUICK, f"the request waited {elapsed:.1f} s on a stopped Redis"
    assert run.status == ReportStatus.QUEUED and run.requested_by == director
    task = OutboxTask.objects.get()
    assert (task.task, task.args) == ("reports.generate_report", [run.pk])
    assert task.sent_at is None and task.attempts == 1 and "Connection refused" in task.last_error
    assert client.get(response.url).status_code == 200  # the run's page shows it queued
    FIGURES["redis_down_writes_kept"] = OutboxTask.objects.count()


def test_when_redis_is_back_the_flush_sends_the_kept_task_and_the_report_is_made(
    client, director, snapshots, redis_down, django_capture_on_commit_callbacks, monkeypatch
):
    ask_for_a_report(client, director, django_capture_on_commit_callbacks)
    published = []

    def broker_back(name, args=None, **options):
        published.append((name, args))
        return SimpleNamespace(id="back-1")

    monkeypatch.setattr(app, "send_task", broker_back)
    counts = outbox.flush_outbox()

    run = ReportRun.objects.get()
    assert counts == {"sent": 1, "failed": 0, "skipped": 0, "waiting": 0}
    assert published == [("reports.generate_report", [run.pk])]
    assert OutboxTask.objects.get().task_id == "back-1"
    app.tasks["reports.generate_report"].apply(args=published[0][1])  # as the worker would
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE and run.pdf and run.xlsx


@pytest.fixture
def bring_redis_back(redis_down):
    """Call it to point the broker at the real Redis again, with a private queue (no worker
    of anyone else takes the message); the queue is removed afterwards."""
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs REDIS_URL (a running Redis) for the broker coming back")
    queue = f"outbox-test-{uuid.uuid4().hex[:8]}"
    previous = app.conf["task_default_queue"]

    def back() -> str:
        app.conf.update(broker_url=url, task_default_queue=queue)
        return queue

    yield back
    app.conf.update(task_default_queue=previous)
    with app.connection_for_write(url) as conn:
        # declared on this channel so that kombu knows the binding it removes with the queue
        private = Queue(queue, Exchange(queue), routing_key=queue)(conn.default_channel)
        private.declare()
        private.delete()


def test_with_the_real_redis_back_the_message_reaches_the_broker(
    client, director, snapshots, bring_redis_back, django_capture_on_commit_callbacks
):
    ask_for_a_report(client, director, django_capture_on_commit_callbacks)
    assert OutboxTask.objects.get().sent_at is None
    queue = bring_redis_back()

    assert outbox.flush_outbox()["sent"] == 1

    run, kept = ReportRun.objects.get(), OutboxTask.objects.get()
    with app.connection_for_write() as conn, conn.SimpleQueue(queue) as messages:
        message = messages.get(timeout=5)
        message.ack()
    assert message.headers["task"] == "reports.generate_report"
    assert message.headers["id"] == kept.task_id
    args, _kwargs, _embed = message.payload
    app.tasks[message.headers["task"]].apply(args=args)  # as the worker would
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE
    FIGURES["redis_back_tasks_delivered"] = 1


def pages_without_arguments(patterns=None, prefix=""):
    """Every GET-able URL of the URLconf that needs no object id."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES) or "<" in route or "^" in route:
            continue
        if isinstance(entry, URLResolver):
            yield from pages_without_arguments(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield "/" + route


@pytest.mark.parametrize("role", ["director", "loan_officer", "collections_officer", "auditor"])
def test_every_page_without_an_object_works_with_redis_down(request, role, snapshots, redis_down):
    client = Client()
    client.force_login(request.getfixturevalue(role))
    slow, broken, urls = [], [], sorted(set(pages_without_arguments()))

    for url in urls:
        started = time.monotonic()
        status = client.get(url).status_code
        if status >= 500:
            broken.append((url, status))
        if time.monotonic() - started > QUICK:
            slow.append(url)

    assert len(urls) > 20
    assert not broken, broken
    assert not slow, f"waited on Redis: {slow}"
    FIGURES[f"redis_down_pages_as_{role}"] = len(urls)


def test_the_health_check_says_redis_is_down_while_pages_work(
    client, director, snapshots, redis_down, django_capture_on_commit_callbacks
):
    ask_for_a_report(client, director, django_capture_on_commit_callbacks)
    started = time.monotonic()

    response = client.get("/healthz")

    assert time.monotonic() - started < QUICK
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["redis"].startswith("error") and checks["database"] == "ok"
    assert checks["worker"] == "not checked: Redis is down"
    assert checks["outbox"] == "ok (1 waiting)"
    assert client.get(reverse("reports:dashboard")).status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_flushes_running_at_once_publish_each_task_exactly_once(monkeypatch):
    """Beat and an administrator's ``manage.py flush_outbox`` may overlap: each row is locked
    while it is published (SKIP LOCKED), so no task goes out twice."""
    rows = [OutboxTask.objects.create(task="reports.generate_report", args=[n]) for n in range(30)]
    previous = app.conf["task_always_eager"]
    app.conf.update(task_always_eager=False)
    published, lock, flushes = [], threading.Lock(), 6
    start = threading.Barrier(flushes)

    def slow_broker(name, args=None, **options):
        time.sleep(0.01)  # publishing takes a moment: the flushes overlap
        with lock:
            published.append(args[0])
        return SimpleNamespace(id=f"t{args[0]}")

    monkeypatch.setattr(app, "send_task", slow_broker)
    outcomes = []

    def flush():
        try:
            start.wait()
            outcomes.append(outbox.flush_outbox())
        finally:
            connection.close()

    threads = [threading.Thread(target=flush) for _ in range(flushes)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        app.conf.update(task_always_eager=previous)

    assert len(outcomes) == flushes
    assert sorted(published) == list(range(30)), "a task was published twice or not at all"
    assert sum(outcome["sent"] for outcome in outcomes) == len(rows)
    assert not OutboxTask.objects.filter(sent_at__isnull=True).exists()
    FIGURES["outbox_concurrent_flushes"] = flushes
    FIGURES["outbox_rows_published_once"] = len(published)
