import os
import socket

import pytest


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


@pytest.mark.django_db
def test_without_redis_the_database_alone_decides(client, settings):
    settings.REDIS_URL = None
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert "not configured" in body["checks"]["redis"]


@pytest.mark.django_db
def test_a_stopped_redis_answers_503(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["checks"]["redis"].startswith("error")
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a running Redis (REDIS_URL)")
def test_a_running_redis_is_reported_ok(client, settings, monkeypatch):
    from loancenter import health

    settings.REDIS_URL = os.environ["REDIS_URL"]
    # a real worker is checked by the CI smoke test of the whole stack
    monkeypatch.setattr(health, "check_worker", lambda: "ok (1)")
    response = client.get("/healthz")
    assert response.json()["checks"]["redis"] == "ok"
    assert response.status_code == 200


@pytest.mark.django_db
def test_no_worker_answering_is_503(client, settings, monkeypatch):
    from loancenter import health

    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    monkeypatch.setattr(health, "check_redis", lambda url: "ok")

    def no_worker():
        raise RuntimeError("no Celery worker answered")

    monkeypatch.setattr(health, "check_worker", no_worker)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "no Celery worker" in response.json()["checks"]["worker"]
