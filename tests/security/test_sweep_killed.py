"""A sweep worker killed in the middle of its transaction, then run again (issue 9, item 7).

The sweep runs as a real process (``manage.py run_overdue_sweep``) against the test database.
The test holds a lock on a loan account row, so the worker blocks inside its transaction after
it has already accrued the penalties; the worker is then killed with SIGKILL. PostgreSQL rolls
its transaction back: nothing of it may remain. A normal run afterwards must leave the same
figures as a clean sweep of an identical account, and running the date again changes nothing.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import psycopg2
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from collection.models import CollectionCase, PostLoanCheck
from loancenter.models import AuditEvent
from loans.models import ClassificationChange, Installment, LoanAccount, SweepRun
from loans.sweep import run_sweep
from tests.servicing import consumer_account

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DAY = date(2026, 4, 20)  # three installments overdue, 64 days past due: M3, special mention
COUNTS_FILE = Path(__file__).parent / "counts" / "concurrency.txt"
MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


def write_counts(figures: dict[str, int]) -> None:
    """Merge ``figures`` into the counts file the lead quotes in SECURITY.md."""
    COUNTS_FILE.parent.mkdir(exist_ok=True)
    lines = COUNTS_FILE.read_text().splitlines() if COUNTS_FILE.exists() else []
    counts = dict(line.split(" ", 1) for line in lines if " " in line)
    counts.update({name: str(value) for name, value in figures.items()})
    COUNTS_FILE.write_text("".join(f"{name} {value}\n" for name, value in sorted(counts.items())))


def _database_url() -> str:
    db = connection.settings_dict
    host = db["HOST"] or "127.0.0.1"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def _sweep_command() -> tuple[list[str], dict]:
    """The sweep as a worker would run it, on the test database. Without REDIS_URL the worker
    runs what it would queue in-process (nothing is left waiting in a broker)."""
    env = {**os.environ, "DATABASE_URL": _database_url(), "DEBUG": "1"}
    env.pop("REDIS_URL", None)
    command = [sys.executable, str(MANAGE), "run_overdue_sweep", "--date", DAY.isoformat()]
    return command, env


def _lock_row(account: LoanAccount):
    """Another connection holding the account row FOR UPDATE until it is rolled back."""
    db = connection.settings_dict
    holder = psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    with holder.cursor() as cursor:
        cursor.execute("SELECT id FROM loans_loanaccount WHERE id = %s FOR UPDATE", [account.pk])
    return holder


def _activity(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _blocked_backend(worker: subprocess.Popen, timeout: float = 60) -> int:
    """The worker's database backend once it waits, inside its transaction, on the locked
    account row (after accruing the installments)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert worker.poll() is None, worker.communicate()
        rows = _activity(
            """SELECT pid FROM pg_stat_activity
               WHERE datname = current_database() AND pid <> pg_backend_pid()
                 AND wait_event_type = 'Lock' AND xact_start IS NOT NULL
                 AND query ILIKE '%%UPDATE loans_loanaccount%%'"""
        )
        if rows:
            return rows[0][0]
        time.sleep(0.2)
    worker.kill()
    pytest.fail(f"the sweep never blocked on the locked account: {worker.communicate()}")


def _has_written_installments(backend: int) -> bool:
    return bool(
        _activity(
            """SELECT 1 FROM pg_locks WHERE pid = %s AND granted
                 AND relation = 'loans_installment'::regclass AND mode = 'RowExclusiveLock'""",
            [backend],
        )
    )


def _wait_until_gone(backend: int, timeout: float = 30) -> None:
    """PostgreSQL ends a dead client's backend (rolling its transaction back) once it next
    talks to the client, which is as soon as the lock it waits for is released."""
    deadline = time.monotonic() + timeout
    while _activity("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend]):
        assert time.monotonic() < deadline, "the killed worker's transaction is still open"
        time.sleep(0.1)


def figures(account: LoanAccount) -> dict:
    """Everything the sweep writes about one account, without its keys and names."""
    loan_type = ContentType.objects.get_for_model(LoanAccount)
    audit = AuditEvent.objects.filter(content_type=loan_type, object_id=str(account.pk))
    return {
        "account": LoanAccount.objects.filter(pk=account.pk)
        .values(
            "status",
            "days_past_due",
            "bucket",
            "classification",
            "principal_outstanding",
            "overdue_principal",
            "overdue_interest",
            "penalty_outstanding",
        )
        .get(),
        "installments": list(
            Installment.objects.filter(account=account)
            .order_by("period")
            .values_list(
                "period", "accrued_through", "principal_days", "interest_days", "penalty_due"
            )
        ),
        "audit": Counter(audit.values_list("action", "from_state", "to_state")),
        "classification_changes": list(
            ClassificationChange.objects.filter(account=account).values_list(
                "from_class", "to_class", "origin", "days_past_due", "effective_on", "status"
            )
        ),
        "collection_cases": list(
            CollectionCase.objects.filter(account=account).values_list(
                "status", "bucket", "track", "opened_on"
            )
        ),
        "post_loan_checks": list(
            PostLoanCheck.objects.filter(account=account)
            .order_by("sequence")
            .values_list("sequence", "due_on")
        ),
    }


@pytest.fixture
def new_account(
    origination, loan_officer, investigator, reviewer, approver, disbursement_supervisor
):
    def make():
        return consumer_account(
            loan_officer,
            investigator,
            reviewer,
            approver,
            disbursement_supervisor,
            method="equal_principal",
            value_date=date(2026, 1, 15),
        )

    return make


def test_a_sweep_killed_inside_its_transaction_leaves_nothing_and_a_rerun_is_correct(
    new_account,
):
    account = new_account()
    untouched = figures(account)
    command, env = _sweep_command()

    holder = _lock_row(account)
    try:
        worker = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        backend = _blocked_backend(worker)
        assert _has_written_installments(backend)  # the accrual is done, not yet committed
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=30) == -signal.SIGKILL
    finally:
        holder.rollback()
        holder.close()
    _wait_until_gone(backend)

    # The dead worker's transaction was rolled back whole: no penalty, no status, no audit row.
    assert figures(account) == untouched
    run = SweepRun.objects.get(business_date=DAY)
    assert run.status == "running" and run.attempts == 0  # left as it was when it died

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert f"{DAY:%Y-%m-%d} done" in rerun.stdout
    after_rerun = figures(account)
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("done", 1)

    # The control: an identical account swept cleanly for the same date. Sweeping the date a
    # second time must leave the first account exactly as the rerun left it.
    control = new_account()
    SweepRun.objects.filter(business_date=DAY).delete()
    assert not run_sweep(business_date=DAY).already_done
    assert figures(account) == after_rerun
    assert figures(control) == after_rerun

    # And the figures themselves are those of 64 days past due on three installments.
    assert after_rerun["account"]["status"] == "overdue"
    assert after_rerun["account"]["days_past_due"] == 64
    assert after_rerun["account"]["bucket"] == "M3"
    assert after_rerun["account"]["classification"] == "special_mention"
    overdue = [row for row in after_rerun["installments"] if row[1] == DAY]
    assert [row[0] for row in overdue] == [1, 2, 3]
    assert after_rerun["audit"][("mark_overdue", "active", "overdue")] == 1
    assert len(after_rerun["classification_changes"]) == 1
    write_counts({"sweep_workers_killed_mid_transaction": 1})
    print("\nsweep workers killed mid-transaction and rerun: 1")
