"""The benchmarks still run: every bench/bench_*.py, as a subprocess at the smallest sizes it
accepts, exits 0 and prints its figures (its RATIO lines, or its table against the baseline).
Nothing here asserts on time.

The PostgreSQL benchmarks drop and rebuild the schema of the database ``BENCH_PG_URL`` names:
they get a scratch database of their own, the test database's name + ``_bench`` (created when
missing), never the test database other tests use. On SQLite they skip, as the other
PostgreSQL-only tests do (``REQUIRE_POSTGRES=1`` makes a missing server a failure).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

BENCH = Path(__file__).resolve().parents[2] / "bench"
TIMEOUT = 600  # seconds: a bound for a busy machine; each takes seconds at these sizes
FIGURE = r"\d+\.\d+"

# name: (smallest arguments, lines it must print). The queue benchmark measures a full page of
# 50 of each queue: its data has about 60 applications due soon (at the city) in 30,000.
SQLITE_SCRIPTS = {
    "bench_cel": ([], [
        rf"^baseline: 50 Python lambdas, one page\s+{FIGURE}\s+1\.00$",
        rf"^page: 50 conditions, one Scope \(incl\. its build\)\s+{FIGURE}\s+{FIGURE}$"]),
    "bench_definitions": (["--repeat", "1"], [
        rf"^cold compile: .* CEL compiles\s+{FIGURE} ms\s+{FIGURE}x baseline$",
        rf"^answers\.validate_page .*\s+{FIGURE} ms\s+{FIGURE}x baseline$"]),
    "bench_wizard": (["--n", "1"], [
        r"^  same HTML \(whitespace aside\): yes$",
        rf"^  RATIO wizard/baseline: median {FIGURE}x   p90 {FIGURE}x",
        r"^  SQL queries per GET: baseline page \d+; wizard page with 1 item published \d+, "
        r"with \d+ items published \d+"]),
}
POSTGRES_SCRIPTS = {
    "bench_dashboard": (["--rows", "100", "--n", "1"], [
        rf"^  RATIO RegionAdmin 唐山市, two years: {FIGURE}x the bare grouped count$",
        r"^  GET /dashboard/ \(唐山市, two years\): \d+ SQL statements",
        rf"^  worst RATIO {FIGURE}x \("]),
    "bench_queue": (["--rows", "30000", "--n", "1", "--page", "2"], [
        *(rf"^  RATIO {state}/baseline, first page: median {FIGURE}x"
          for state in ("pending", "done", "overdue", "due_soon")),
        rf"^  RATIO pending/baseline, page 2: median {FIGURE}x",
        r"^  GET /review/late\?state=due_soon: \d+ SQL statements with no rows, \d+ with 30,000",
        rf"^  worst RATIO {FIGURE}x over 8 figures",
        rf"^  supervision \(province\) RATIO overdue {FIGURE}x, due soon {FIGURE}x$"]),
    "bench_submit_api": (["--n", "1"], [
        r"^  SQL statements per submit .*: \d+$",
        rf"^  RATIO submit/baseline throughput: {FIGURE}x"]),
}


def run(name: str, arguments: list[str], tmp_path: Path, **env: str) -> str:
    """Run one benchmark; return its standard output after checking it exited 0."""
    # Its temporary databases and files go under tmp_path (tempfile reads TMPDIR).
    environment = {**os.environ, "TMPDIR": str(tmp_path), **env}
    result = subprocess.run([sys.executable, str(BENCH / f"{name}.py"), *arguments],
                            cwd=BENCH.parent, env=environment, capture_output=True, text=True,
                            timeout=TIMEOUT)
    assert result.returncode == 0, f"{name} exited {result.returncode}:\n{result.stderr[-4000:]}"
    return result.stdout


def assert_printed(name: str, output: str, expected: list[str]) -> None:
    missing = [line for line in expected if not re.search(line, output, re.MULTILINE)]
    assert not missing, f"{name} did not print {missing}:\n{output[-4000:]}"


def test_every_benchmark_is_run_here():
    assert sorted(p.stem for p in BENCH.glob("bench_*.py")) == sorted(
        [*SQLITE_SCRIPTS, *POSTGRES_SCRIPTS])


@pytest.mark.parametrize("name", sorted(SQLITE_SCRIPTS))
def test_a_benchmark_runs_and_prints_its_figures(name, tmp_path):
    arguments, expected = SQLITE_SCRIPTS[name]
    assert_printed(name, run(name, arguments, tmp_path), expected)


@pytest.fixture
def bench_pg_url(app, db_dialect) -> str:
    """The scratch database of the PostgreSQL benchmarks, created when missing."""
    if db_dialect != "postgresql":
        pytest.skip("the benchmark runs on PostgreSQL only")
    test_url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    name = f"{test_url.database}_bench"
    engine = sa.create_engine(test_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                       {"n": name})
            if not exists:
                quoted = connection.dialect.identifier_preparer.quote(name)
                connection.execute(sa.text(f"CREATE DATABASE {quoted}"))
    finally:
        engine.dispose()
    return test_url.set(database=name).render_as_string(hide_password=False)


@pytest.mark.parametrize("name", sorted(POSTGRES_SCRIPTS))
def test_a_postgresql_benchmark_runs_and_prints_its_figures(name, bench_pg_url, tmp_path):
    arguments, expected = POSTGRES_SCRIPTS[name]
    output = run(name, arguments, tmp_path, BENCH_PG_URL=bench_pg_url)
    assert output.startswith("backend: postgresql"), output[:500]
    assert_printed(name, output, expected)
