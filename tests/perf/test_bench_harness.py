"""`make bench` runs end to end on a tiny portfolio and writes every figure as a number."""

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parents[2]
SIZE = 300
EXPECTED = {
    f"generate_seconds_{SIZE}",
    f"sql_pass_seconds_{SIZE}",
    f"sweep_seconds_{SIZE}",
    f"orm_sweep_seconds_{SIZE}",
    "sweep_vs_orm_ratio",
    "sweep_vs_sql_ratio",
    "dashboard_p95_ms",
    "queue_p95_ms",
    "statement_p95_ms",
    "application_page_p95_ms",
    "contract_pdf_ms",
    "schedule_360_ms",
    "repayments_per_second",
}
FIGURE_ROW = re.compile(r"^\| (\w+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$")


@pytest.fixture
def bench_url():
    """A base name of its own on the test server; its databases are dropped afterwards."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    base = f"{parts.path.lstrip('/')}_bench_harness"
    yield urlunsplit((parts.scheme, parts.netloc, f"/{base}", "", ""))
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        for suffix in ("tpl", str(SIZE), f"{SIZE}_orm"):
            cursor.execute(f'DROP DATABASE IF EXISTS "{base}_{suffix}" WITH (FORCE)')
    connection.close()


@pytest.mark.postgres
def test_the_bench_writes_every_figure_as_a_number(bench_url, tmp_path):
    results = tmp_path / "results.md"
    env = dict(
        os.environ,
        BENCH_DATABASE_URL=bench_url,
        BENCH_SIZES=str(SIZE),
        BENCH_MAX_ACCOUNTS=str(SIZE),
        BENCH_RESULTS=str(results),
        BENCH_PAGE_REQUESTS="10",
        BENCH_REPAYMENT_SECONDS="2",
        BENCH_CLIENTS="2",
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.perf.bench"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=85,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    printed = {}
    for line in done.stdout.splitlines():
        if line.startswith("BENCH "):
            _bench, name, value, _unit = line.split()
            printed[name] = float(value)
    text = results.read_text(encoding="utf-8")
    rows = {m.group(1): m.groups()[1:] for m in map(FIGURE_ROW.match, text.splitlines()) if m}
    rows.pop("figure", None)  # the header
    assert set(rows) >= EXPECTED, f"missing from results.md: {EXPECTED - set(rows)}"
    for name, (value, _unit, _target, met) in rows.items():
        assert float(value.strip()) >= 0, name
        assert met.strip() in ("met", "**missed**", "—"), name
    assert set(printed) == set(rows)
    for heading in ("## Machine", "## Portfolio", "## How each figure is measured"):
        assert heading in text
    assert re.search(rf"^\| {SIZE} \| {SIZE} \| ", text, re.MULTILINE), "the portfolio row"
