"""Part: repayments posted over HTTP by concurrent clients against gunicorn with 2 workers.

``python -m tests.perf.bench_repayments`` with DATABASE_URL set. Prints
``repayments_per_second``.

gunicorn (2 sync workers, DEBUG=0, tasks eager) is started on a free port against the bench
database. BENCH_CLIENTS processes (default 4) each sign in through the real login form as the
demo collections officer (who may post on any account), then post repayments of 1.00 for
BENCH_REPAYMENT_SECONDS (default 20), each client to its own overdue accounts so that no two
clients wait on the same account's lock, each with a unique reference. A success is what the
view answers to a recorded repayment: a redirect to that repayment's receipt, with the message
set. Afterwards exactly that many Repayment rows must have been added. Standard library only.
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import re
import socket
import subprocess
import sys
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from tests.perf.bench_common import emit, fail, note, setup_django

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
SECONDS = float(os.environ.get("BENCH_REPAYMENT_SECONDS", "20"))
ACCOUNTS_PER_CLIENT = 50
AMOUNT = "1.00"
MIN_OVERDUE = 500  # yuan overdue at least, so that 1.00 at a time never exceeds what is due
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """Cookies and one HTTP/1.1 connection per request (gunicorn's sync workers close it)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.set_by_last: set[str] = set()

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        self.set_by_last = set()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
                    self.set_by_last.add(name)
        return response.status, response.getheader("Location", ""), content

    def login(self, username: str, password: str) -> None:
        status, _location, content = self.request("GET", "/accounts/login/")
        token = TOKEN.search(content)
        if status != 200 or token is None:
            raise RuntimeError(f"the login page answered {status} without a CSRF token")
        form = {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token.group(1).decode(),
        }
        status, _location, _content = self.request("POST", "/accounts/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"signing in as {username} answered {status}, not a redirect")


def client(index, port, username, password, accounts, paid_on, run_id, barrier, results):
    browser = Browser(port)
    try:
        browser.login(username, password)
    except Exception as error:  # noqa: BLE001 - reported to the parent, which fails loudly
        results.put(("failed", repr(error)))
        barrier.abort()
        return
    barrier.wait()
    start = time.time()
    deadline = start + SECONDS
    ok = refused = errors = 0
    sequence = 0
    while time.time() < deadline:
        pk = accounts[sequence % len(accounts)]
        form = {
            "amount": AMOUNT,
            "paid_on": paid_on,
            "channel": "transfer",
            "reference": f"BENCH-{run_id}-{index}-{sequence}",
            "csrfmiddlewaretoken": browser.cookies.get("csrftoken", ""),
        }
        status, location, _content = browser.request(
            "POST", f"/loans/accounts/{pk}/repayments/", form
        )
        receipt = re.fullmatch(rf"/loans/accounts/{pk}/repayments/\d+/", urlsplit(location).path)
        if status == 302 and receipt and "messages" in browser.set_by_last:
            ok += 1
            # As if the browser followed the redirect and showed the message: it is consumed.
            browser.cookies.pop("messages", None)
        elif status >= 500:
            errors += 1
        else:
            refused += 1
        sequence += 1
    results.put((index, ok, refused, errors, start, time.time()))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    env = dict(
        os.environ,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
    )
    env.pop("REDIS_URL", None)  # tasks run eagerly in the worker, as in `make run`
    command = [sys.executable, "-m", "gunicorn", "loancenter.wsgi:application"]
    command += ["--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - fixed arguments
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            fail(f"gunicorn exited with {process.returncode} at start-up")
        try:
            status, _location, _content = Browser(port).request("GET", "/accounts/login/")
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    process.kill()
    fail("gunicorn did not answer within 60 s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def accounts_for_clients(clients: int) -> list[list[int]]:
    from loans.models import AccountStatus, LoanAccount

    wanted = clients * ACCOUNTS_PER_CLIENT
    pks = list(
        LoanAccount.objects.filter(status=AccountStatus.OVERDUE, overdue_principal__gte=MIN_OVERDUE)
        .order_by("pk")
        .values_list("pk", flat=True)[:wanted]
    )
    clients = min(clients, len(pks))
    if clients == 0:
        fail(f"no overdue account with at least {MIN_OVERDUE} overdue principal to post on")
    return [pks[index::clients] for index in range(clients)]


def main() -> None:
    setup_django()
    from django.conf import settings
    from django.db import connections
    from django.utils import timezone

    from loancenter import roles
    from loans.models import Repayment

    shares = accounts_for_clients(CLIENTS)
    before = Repayment.objects.count()
    paid_on = timezone.localdate().isoformat()
    connections.close_all()  # the clients are forked; they use no database connection

    port = free_port()
    gunicorn = start_gunicorn(port)
    workers = []
    try:
        context = multiprocessing.get_context("fork")
        barrier = context.Barrier(len(shares) + 1)
        results = context.Queue()
        run_id = f"{int(time.time())}"
        workers = [
            context.Process(
                target=client,
                args=(
                    index,
                    port,
                    roles.COLLECTIONS_OFFICER,
                    settings.DEMO_PASSWORD,
                    share,
                    paid_on,
                    run_id,
                    barrier,
                    results,
                ),
            )
            for index, share in enumerate(shares)
        ]
        for worker in workers:
            worker.start()
        try:
            barrier.wait(timeout=120)
        except threading.BrokenBarrierError:
            fail(f"a client could not sign in: {results.get(timeout=10)}")
        outcomes = [results.get(timeout=SECONDS + 300) for _worker in workers]
        for worker in workers:
            worker.join()
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.kill()
        stop(gunicorn)

    ok = sum(outcome[1] for outcome in outcomes)
    refused = sum(outcome[2] for outcome in outcomes)
    errors = sum(outcome[3] for outcome in outcomes)
    elapsed = max(outcome[5] for outcome in outcomes) - min(outcome[4] for outcome in outcomes)
    added = Repayment.objects.count() - before
    if added != ok:
        fail(f"{ok} repayments answered as recorded, but {added} Repayment rows were added")
    note(
        f"repayments: {len(shares)} clients, {sum(len(s) for s in shares)} overdue accounts, "
        f"{ok} recorded in {elapsed:.1f} s, {refused} refused, {errors} server errors; "
        f"{added} Repayment rows added"
    )
    emit("repayments_per_second", ok / elapsed, "/s")


if __name__ == "__main__":
    main()
