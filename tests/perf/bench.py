"""`make bench`: the benchmark harness (issue 10). PostgreSQL only.

    python -m tests.perf.bench

For each portfolio size (10k, 100k and 1M accounts; BENCH_MAX_ACCOUNTS, default 1000000, skips
the sizes above it; BENCH_SIZES=300,5000 replaces the list) a database is copied from a
freshly migrated template and filled by ``manage.py generate_portfolio``, then every figure is
measured by a part running in its own process (``python -m tests.perf.<part>``) with
DATABASE_URL set to the right database. Each part prints ``BENCH <name> <value> <unit>`` lines;
they are echoed, checked against their targets and written with the machine's description to
benchmarks/results.md (BENCH_RESULTS names another file).

Settings (environment):
  BENCH_DATABASE_URL   server and base name, default postgres://postgres@127.0.0.1:5432/lc_bench;
                       the databases are <base>_tpl, <base>_10k, ... (<base>_10k_orm for the ORM
                       loop), dropped and created again on each run
  BENCH_MAX_ACCOUNTS   the largest size measured (default 1000000)
  BENCH_SIZES          comma-separated sizes instead of 10000,100000,1000000
  BENCH_SEED           generate_portfolio --seed (default 1)
  BENCH_SKIP_GUNICORN  1: skip repayments_per_second (the part that starts gunicorn)
  BENCH_REPAYMENT_SECONDS, BENCH_CLIENTS, BENCH_PAGE_REQUESTS: see the parts
  BENCH_PORTFOLIO      seed_demo: fill the databases with `manage.py seed_demo` instead (a few
                       accounts whatever the size; for developing the harness only)
  BENCH_RESULTS        where to write the results (default benchmarks/results.md)
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import psycopg2

from tests.perf.bench_common import BENCH_PREFIX, NOTE_PREFIX, number, size_label

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lc_bench"
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
ORM_SIZE = 10_000  # the ORM loop runs at this size (or the smallest one measured)
GENERATOR = ROOT / "reports" / "management" / "commands" / "generate_portfolio.py"
SHANGHAI = ZoneInfo("Asia/Shanghai")
BENCH_SECRET_KEY = "bench-only-secret-key-not-for-production-0123456789abcdefghij"

# figure → (comparison, target). Figures not listed are reported without a target.
TARGETS = {
    "generate_seconds_1m": ("<=", 600),
    "sweep_vs_sql_ratio": ("<=", 3),
    "sweep_vs_orm_ratio": (">=", 100),
    "dashboard_p95_ms": ("<=", 100),
    "queue_p95_ms": ("<=", 150),
    "statement_p95_ms": ("<=", 150),
    "application_page_p95_ms": ("<=", 150),
    "repayments_per_second": (">=", 200),
    "contract_pdf_ms": ("<=", 1000),
    "schedule_360_ms": ("<=", 5),
}

HOW = (
    (
        "generate_seconds_<N>",
        "Wall clock of `manage.py generate_portfolio --accounts N --seed S` on a database copied "
        "from the migrated template (includes the command's own sweep and Django start-up). "
        "The bench then runs VACUUM (ANALYZE) and CHECKPOINT, as autovacuum and the "
        "checkpointer would have before the next night, so that the figures below do not depend "
        "on when they happen to run.",
    ),
    (
        "sweep_seconds_<N>",
        "Wall clock of `loans.sweep.runner.run_sweep(business_date=as_of + 1 day)`, in-process, "
        "the whole run: accrual, positions, statuses, classification floors, collection steps, "
        "snapshot, one transaction.",
    ),
    (
        "sql_pass_seconds_<N>, sweep_vs_sql_ratio",
        "One bare SELECT over loans_loanaccount JOIN loans_installment (accounts active/overdue, "
        "installments not paid off), grouped by account: MIN(due_date) of those due before the "
        "date, SUM of principal, interest and penalty owed. The rows are counted on the server "
        "with an outer SELECT count(*) (not fetched to Python). It runs just before the sweep in "
        "the same process. Ratio = sweep seconds / pass seconds at the largest N.",
    ),
    (
        "orm_sweep_seconds_<N>, sweep_vs_orm_ratio",
        "tests/perf/orm_sweep.py: a per-account ORM loop doing the sweep's work one account "
        "at a time (accrual, positions, active/overdue moves through the state machine with "
        "their audit rows, classification floors, the customer's behaviour, the collection "
        "case, the first post-loan check, the snapshot and the officers' totals; not archive "
        "retention, which concerns settled loans), in one transaction, on a copy of the "
        "database (CREATE DATABASE ... TEMPLATE) made before the sweep. Afterwards every "
        "account's days past due, bucket, overdue principal and "
        "interest, penalties owed and status, and every installment's accrual, must be equal in "
        "both databases, or the bench fails. sweep_vs_orm_ratio_10k = ORM seconds / sweep "
        "seconds at 10k (the sweep's fixed cost, some 50 statements, dominates there). "
        "sweep_vs_orm_ratio, the target at 1M: the loop's seconds per open account at 10k "
        "times the open accounts at the largest N (orm_sweep_seconds_<N>_projected; the loop "
        "is linear in accounts), divided by the sweep's seconds there.",
    ),
    (
        "dashboard / queue / statement / application_page _p95_ms",
        "django.test.Client with force_login, DEBUG=0, at the largest N after the sweep: 3 "
        "warm-up requests then 50 timed, p95 by nearest rank; every response must be 200. "
        "Dashboard as the director; the applications queue as the reviewer (default view); the "
        "statement (loans:account_detail) of the 50 oldest open housing loans, each as its loan "
        "officer; applications:detail of 50 disbursed applications, each as its loan officer.",
    ),
    (
        "repayments_per_second",
        "gunicorn with 2 sync workers (DEBUG=0, tasks eager) on the largest N; 4 client "
        "processes sign in through the login form as the collections officer and post "
        "repayments of 1.00 over HTTP for 20 s, each to its own overdue accounts, unique "
        "references. Counted: redirects to the new repayment's receipt with the message set; "
        "the number of Repayment rows added must equal it.",
    ),
    (
        "contract_pdf_ms",
        "render_pdf of the loan-contract template with loans.services.contracts._context for a "
        "generated housing loan's application (as generate_contracts renders it, not stored): "
        "median of 10 after 1 warm-up.",
    ),
    (
        "schedule_360_ms",
        "loancenter.repayment.build_schedule, 1,500,000.00 at 3.55% over 360 months, equal "
        "installments: median of 200 after 1 warm-up.",
    ),
)


class BenchFailed(Exception):
    pass


@dataclass
class Config:
    url: str
    max_accounts: int
    sizes: list[int]
    skipped: list[int]
    seed: str
    skip_gunicorn: bool
    portfolio: str
    results: Path

    @classmethod
    def from_env(cls) -> Config:
        max_accounts = _int(os.environ.get("BENCH_MAX_ACCOUNTS") or "1000000")
        raw_sizes = os.environ.get("BENCH_SIZES", "").strip()
        wanted = sorted({_int(s) for s in raw_sizes.split(",") if s.strip()}) or list(
            DEFAULT_SIZES
        )
        sizes = [n for n in wanted if n <= max_accounts] or [max_accounts]
        portfolio = os.environ.get("BENCH_PORTFOLIO", "").strip() or "generate"
        if portfolio == "generate" and not GENERATOR.exists():
            print(
                f"WARNING: {GENERATOR.relative_to(ROOT)} does not exist yet; "
                "filling the databases with seed_demo instead",
                flush=True,
            )
            portfolio = "seed_demo"
        results = os.environ.get("BENCH_RESULTS") or str(ROOT / "benchmarks" / "results.md")
        return cls(
            url=os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL,
            max_accounts=max_accounts,
            sizes=sizes,
            skipped=[n for n in wanted if n > max_accounts],
            seed=os.environ.get("BENCH_SEED", "1"),
            skip_gunicorn=os.environ.get("BENCH_SKIP_GUNICORN", "") in ("1", "true", "yes"),
            portfolio=portfolio,
            results=Path(results),
        )

    @property
    def base(self) -> str:
        name = urlsplit(self.url).path.lstrip("/")
        if not name:
            raise BenchFailed(f"BENCH_DATABASE_URL={self.url!r} names no database")
        return name

    def url_for(self, database: str) -> str:
        parts = urlsplit(self.url)
        return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, ""))


def _int(text: str) -> int:
    try:
        return int(text.strip().replace("_", ""))
    except ValueError:
        raise SystemExit(f"not a whole number of accounts: {text!r}") from None


@dataclass
class Run:
    config: Config
    figures: dict[str, tuple[float, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    rows: dict[str, dict] = field(default_factory=dict)
    business_dates: dict[str, date] = field(default_factory=dict)
    failure: str = ""

    def record(self, name: str, value: float, unit: str, *, echo: bool = True) -> None:
        self.figures[name] = (value, unit)
        if echo:
            print(f"{BENCH_PREFIX} {name} {number(value)} {unit}", flush=True)


# --- the database server --------------------------------------------------------------------


def connect(config: Config, database: str = "postgres"):
    parts = urlsplit(config.url)
    connection = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password) if parts.password else None,
        dbname=database,
    )
    connection.autocommit = True
    return connection


def admin(config: Config, statement: str) -> None:
    connection = connect(config)
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def recreate(config: Config, database: str, *, template: str | None = None) -> None:
    admin(config, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    copy = f' TEMPLATE "{template}"' if template else ""
    admin(config, f'CREATE DATABASE "{database}"{copy}')


def query(config: Config, database: str, sql: str, params=()) -> list[tuple]:
    connection = connect(config, database)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.close()


# --- processes --------------------------------------------------------------------------------


def child_env(config: Config, database: str, **extra: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=config.url_for(database),
        DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY") or BENCH_SECRET_KEY,
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        LOG_LEVEL=os.environ.get("LOG_LEVEL", "WARNING"),
        PYTHONUNBUFFERED="1",
    )
    env.pop("REDIS_URL", None)  # tasks run eagerly
    env.update(extra)
    return env


def run_command(config: Config, database: str, *args: str) -> float:
    """A manage.py command against ``database``; its wall-clock seconds."""
    print(f"--- manage.py {' '.join(args)} ({database})", flush=True)
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=child_env(config, database),
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise BenchFailed(f"manage.py {' '.join(args)} failed with exit status {done.returncode}")
    return seconds


def run_part(run: Run, part: str, database: str, **extra: str) -> None:
    """``python -m tests.perf.<part>`` against ``database``; its BENCH and NOTE lines kept."""
    print(f"--- {part} ({database})", flush=True)
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", f"tests.perf.{part}"],
        cwd=ROOT,
        env=child_env(run.config, database, **extra),
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    for line in process.stdout:
        print(line, end="", flush=True)
        words = line.split()
        if len(words) == 4 and words[0] == BENCH_PREFIX:
            try:
                run.record(words[1], float(words[2]), words[3], echo=False)
            except ValueError:
                message = f"{part} printed a figure that is not a number: {line!r}"
                raise BenchFailed(message) from None
        elif line.startswith(NOTE_PREFIX + " "):
            run.notes.append(line[len(NOTE_PREFIX) + 1 :].strip())
    if process.wait() != 0:
        raise BenchFailed(f"{part} failed with exit status {process.returncode}")


# --- steps ------------------------------------------------------------------------------------


def build_template(config: Config) -> str:
    template = f"{config.base}_tpl"
    recreate(config, template)
    run_command(config, template, "migrate", "--no-input", "-v0")
    return template


def fill(run: Run, database: str, accounts: int, label: str) -> None:
    config = run.config
    if config.portfolio == "seed_demo":
        seconds = run_command(config, database, "seed_demo")
        # seed_demo sweeps today; forget that run so that the sweep under test has work to do.
        admin_db(config, database, "DELETE FROM loans_sweeprun")
        run.notes.append(f"{label}: filled by seed_demo (generate_portfolio missing or not chosen)")
    else:
        arguments = ["--accounts", str(accounts), "--seed", config.seed]
        seconds = run_command(config, database, "generate_portfolio", *arguments)
    run.record(f"generate_seconds_{label}", seconds, "s")


def admin_db(config: Config, database: str, statement: str) -> None:
    connection = connect(config, database)
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def checkpoint(config: Config) -> None:
    try:
        admin(config, "CHECKPOINT")
    except psycopg2.Error as error:  # needs superuser or pg_checkpoint; only steadier figures
        print(f"--- CHECKPOINT refused ({error}); continuing", flush=True)


def count_rows(config: Config, database: str) -> dict:
    ((accounts, open_accounts, installments, repayments),) = query(
        config,
        database,
        """
        SELECT (SELECT count(*) FROM loans_loanaccount),
               (SELECT count(*) FROM loans_loanaccount WHERE status IN ('active', 'overdue')),
               (SELECT count(*) FROM loans_installment),
               (SELECT count(*) FROM loans_repayment)
        """,
    )
    return {
        "accounts": accounts,
        "open": open_accounts,
        "installments": installments,
        "repayments": repayments,
    }


def next_business_date(config: Config, database: str) -> date:
    """The day after the last date the generator swept (today when it swept none)."""
    ((last,),) = query(
        config, database, "SELECT max(business_date) FROM loans_sweeprun WHERE status = 'done'"
    )
    today = datetime.now(SHANGHAI).date()
    day = today if last is None else last + timedelta(days=1)
    if day > today:
        raise BenchFailed(
            f"the portfolio was swept through {last}: the next sweep ({day}) would be in the "
            "future (generate it as of yesterday, the default)"
        )
    return day


ACCOUNT_FIGURES = """
    SELECT id, status, days_past_due, bucket, overdue_principal, overdue_interest,
           penalty_outstanding
    FROM loans_loanaccount ORDER BY id
"""
INSTALLMENT_DIGEST = """
    SELECT count(*), md5(string_agg(
        concat_ws(':', id, principal_days, interest_days, penalty_due, accrued_through),
        ',' ORDER BY id))
    FROM loans_installment
"""


def compare(config: Config, swept: str, looped: str) -> None:
    """Fail loudly unless the sweep and the ORM loop left every account (and installment) alike."""
    a = query(config, swept, ACCOUNT_FIGURES)
    b = query(config, looped, ACCOUNT_FIGURES)
    if len(a) != len(b):
        raise BenchFailed(f"{swept} has {len(a)} accounts, {looped} {len(b)}")
    columns = ACCOUNT_FIGURES.split("SELECT")[1].split("FROM")[0].replace("\n", " ")
    differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if differ:
        shown = "\n".join(f"  sweep {x}\n  orm   {y}" for x, y in differ[:5])
        raise BenchFailed(
            f"the ORM loop and the sweep disagree on {len(differ)} of {len(a)} accounts "
            f"({columns.strip()}):\n{shown}"
        )
    if query(config, swept, INSTALLMENT_DIGEST) != query(config, looped, INSTALLMENT_DIGEST):
        raise BenchFailed("the ORM loop and the sweep accrued the installments differently")
    print(f"--- the ORM loop and the sweep agree on all {len(a)} accounts", flush=True)


def measure_size(run: Run, template: str, accounts: int, *, orm: bool) -> str:
    config = run.config
    label = size_label(accounts)
    database = f"{config.base}_{label}"
    recreate(config, database, template=template)
    fill(run, database, accounts, label)
    run.rows[label] = count_rows(config, database)
    # The state the nightly sweep finds in production, where autovacuum has run since the last
    # night: fresh planner statistics and visibility maps (the bulk load leaves neither).
    start = time.perf_counter()
    admin_db(config, database, "VACUUM (ANALYZE)")
    seconds = time.perf_counter() - start
    run.notes.append(f"{label}: VACUUM (ANALYZE) after generation: {seconds:.1f} s")
    day = next_business_date(config, database)
    run.business_dates[label] = day
    env = {"BENCH_BUSINESS_DATE": day.isoformat(), "BENCH_LABEL": label}
    copy = f"{database}_orm"
    if orm:
        recreate(config, copy, template=database)
    # The load's dirty pages written out now rather than during the measurement (without it the
    # 100k sweep took twice as long, competing with the checkpointer).
    checkpoint(config)
    run_part(run, "bench_sweep", database, **env)
    if orm:
        checkpoint(config)
        run_part(run, "orm_sweep", copy, **env)
        compare(config, database, copy)
        admin(config, f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        orm_seconds = run.figures[f"orm_sweep_seconds_{label}"][0]
        sweep_seconds = run.figures[f"sweep_seconds_{label}"][0]
        run.record(f"sweep_vs_orm_ratio_{label}", orm_seconds / sweep_seconds, "x")
    return database


def record_orm_ratio(run: Run, orm_label: str, largest: str) -> None:
    """The target is at the largest size, where the loop would take most of an hour: its
    seconds per account, measured at the ORM size, times the open accounts of the largest
    book, against the sweep of that book (the loop is linear in accounts)."""
    per_account = run.figures[f"orm_sweep_seconds_{orm_label}"][0] / run.rows[orm_label]["open"]
    projected = per_account * run.rows[largest]["open"]
    run.record(f"orm_sweep_seconds_{largest}_projected", projected, "s")
    run.record("sweep_vs_orm_ratio", projected / run.figures[f"sweep_seconds_{largest}"][0], "x")


def measure(run: Run) -> None:
    config = run.config
    template = build_template(config)
    orm_size = ORM_SIZE if ORM_SIZE in config.sizes else min(config.sizes)
    database = ""
    for accounts in config.sizes:
        database = measure_size(run, template, accounts, orm=accounts == orm_size)
    largest = size_label(config.sizes[-1])
    record_orm_ratio(run, size_label(orm_size), largest)
    sweep = run.figures[f"sweep_seconds_{largest}"][0]
    run.record("sweep_vs_sql_ratio", sweep / run.figures[f"sql_pass_seconds_{largest}"][0], "x")
    run_part(run, "bench_pages", database)
    run_part(run, "bench_docs", database)
    if config.skip_gunicorn:
        run.notes.append("repayments_per_second skipped (BENCH_SKIP_GUNICORN)")
    else:
        run_part(run, "bench_repayments", database)


# --- results.md -------------------------------------------------------------------------------


def machine(config: Config) -> list[tuple[str, str]]:
    cpu = platform.processor() or platform.machine()
    ram = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    try:
        ((server,),) = query(config, "postgres", "SHOW server_version")
    except psycopg2.Error:
        server = "?"
    return [
        ("CPU", cpu),
        ("cores", str(os.cpu_count())),
        ("RAM", ram or "?"),
        ("PostgreSQL", server),
        ("Python", platform.python_version()),
        ("Django", metadata.version("django")),
        ("date", datetime.now(SHANGHAI).strftime("%Y-%m-%d %H:%M %Z")),
        ("git commit", git_commit()),
    ]


def git_commit() -> str:
    def git(*args):
        return subprocess.run(  # noqa: S603 - fixed arguments
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False  # noqa: S607
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "?"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return f"{commit} (with uncommitted changes)" if dirty else commit


def verdict(name: str, value: float) -> tuple[str, str]:
    if name not in TARGETS:
        return "—", "—"
    op, target = TARGETS[name]
    met = value <= target if op == "<=" else value >= target
    return f"{op.replace('<=', '≤').replace('>=', '≥')} {target}", "met" if met else "**missed**"


def render(run: Run) -> str:
    config = run.config
    lines = [
        "# Loan Center benchmarks",
        "",
        "Written by `make bench` (`python -m tests.perf.bench`); run it again rather than edit.",
        "",
    ]
    if run.failure:
        lines += [f"**The run FAILED:** {run.failure}", ""]
    lines += ["## Machine", "", "| | |", "| --- | --- |"]
    lines += [f"| {key} | {value} |" for key, value in machine(config)]
    lines += ["", "## Portfolio", ""]
    source = (
        "`manage.py seed_demo` (development fallback: a few accounts whatever the size)"
        if config.portfolio == "seed_demo"
        else f"`manage.py generate_portfolio --accounts N --seed {config.seed}`"
    )
    lines += [f"Built by {source}, one PostgreSQL database per size.", ""]
    lines += [
        "| size | accounts | open (active/overdue) | installments | repayments | swept for |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for label, rows in run.rows.items():
        lines.append(
            f"| {label} | {rows['accounts']:,} | {rows['open']:,} | {rows['installments']:,} | "
            f"{rows['repayments']:,} | {run.business_dates.get(label, '')} |"
        )
    if config.skipped:
        skipped = ", ".join(size_label(n) for n in config.skipped)
        lines += ["", f"Skipped (above BENCH_MAX_ACCOUNTS={config.max_accounts}): {skipped}."]
    lines += [
        "",
        "## Figures",
        "",
        "| figure | value | unit | target | met? |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, (value, unit) in run.figures.items():
        target, met = verdict(name, value)
        lines.append(f"| {name} | {number(value)} | {unit} | {target} | {met} |")
    lines += ["", "## How each figure is measured", ""]
    lines += [f"- **{name}**: {text}" for name, text in HOW]
    if run.notes:
        lines += ["", "## Notes from the run", ""]
        lines += [f"- {text}" for text in run.notes]
    return "\n".join(lines) + "\n"


def main() -> int:
    run = Run(Config.from_env())
    print(
        f"bench: sizes {', '.join(size_label(n) for n in run.config.sizes)} on "
        f"{run.config.url_for(run.config.base + '_*')}",
        flush=True,
    )
    try:
        measure(run)
    except BenchFailed as error:
        run.failure = str(error)
    except KeyboardInterrupt:
        run.failure = "interrupted"
    run.config.results.parent.mkdir(parents=True, exist_ok=True)
    run.config.results.write_text(render(run), encoding="utf-8")
    print(f"--- results written to {run.config.results}", flush=True)
    missed = [name for name, (value, _u) in run.figures.items() if "**" in verdict(name, value)[1]]
    if missed:
        print(f"--- missed: {', '.join(missed)}", flush=True)
    if run.failure:
        print(f"BENCH FAILED: {run.failure}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
