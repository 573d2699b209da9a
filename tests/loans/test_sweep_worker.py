"""The nightly sweep through a real Celery worker over Redis, on PostgreSQL (not eagerly).

The worker is a separate process started here on a queue of its own, pointed at the test
database; the test enqueues the task as beat would, waits for the result through Redis, and
checks the balances the worker wrote.
"""

import os
import subprocess
import sys
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from loans.models import Installment, LoanAccount, SweepRun
from loans.tasks import run_overdue_sweep
from tests.servicing import consumer_account

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    db = connection.settings_dict
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{db['USER']}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker_queue():
    """A Celery worker consuming a private queue, with the test database as its database."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (a broker) for a real worker")
    queue = f"sweep-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _database_url(), "DEBUG": "1"}
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "loancenter", "worker",
            "-Q", queue, "--pool", "solo", "--concurrency", "1", "--loglevel", "WARNING",
            "--without-mingle", "--without-gossip", "-n", f"{queue}@%h",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    yield queue
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()


def test_a_worker_sweeps_the_date_beat_asks_for(
    worker_queue,
    origination,
    loan_officer,
    investigator,
    reviewer,
    approver,
    disbursement_supervisor,
):
    from loancenter.celery import app

    account = consumer_account(
        loan_officer,
        investigator,
        reviewer,
        approver,
        disbursement_supervisor,
        method="equal_principal",
        value_date=date(2026, 1, 15),
    )
    app.conf.task_always_eager = False  # the autouse fixture restores it afterwards

    result = run_overdue_sweep.apply_async(args=["2026-02-16"], queue=worker_queue)
    figures = result.get(timeout=120)

    assert list(figures) == ["2026-02-16"]
    assert SweepRun.objects.get(business_date=date(2026, 2, 16)).status == "done"
    first = Installment.objects.get(account=account, period=1)
    assert first.penalty_due == Decimal("1.55")
    account = LoanAccount.objects.get(pk=account.pk)
    assert (account.status, account.days_past_due, account.bucket) == ("overdue", 1, "M1")
    # beat asking again for the same date finds nothing left to sweep
    again = run_overdue_sweep.apply_async(args=["2026-02-16"], queue=worker_queue).get(timeout=60)
    assert again == {}
    assert Installment.objects.get(pk=first.pk).penalty_due == Decimal("1.55")
