"""What the application-level benchmarks share: an app on a database, a query counter, timing.

Apps are built with :func:`tests.support.build_app` (migrated and seeded, as the test suite
does). PostgreSQL benchmarks use their own database ``bench_banshi`` (``createdb bench_banshi``)
and drop its schema at the start of every run; override with ``BENCH_PG_URL``.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("BENCH_PG_URL", "postgresql:///bench_banshi")


def make_app(url: str, clock=None, **overrides):
    """Return (app, files_dir): a migrated, seeded app; ``clock`` freezes BANSHI_CLOCK."""
    import logging

    from tests.support import build_app

    logging.disable(logging.WARNING)  # audit/info logs would be timed too
    files = Path(tempfile.mkdtemp(prefix="bench_files_"))
    app = build_app(url, files, **overrides)
    if clock is not None:
        app.config["BANSHI_CLOCK"] = lambda: clock
    return app, files


def sqlite_url() -> str:
    return "sqlite:///" + str(Path(tempfile.mkdtemp(prefix="bench_db_")) / "bench.db")


@contextmanager
def counted():
    """Collect the SQL statements sent on the app's engine (before_cursor_execute)."""
    from sqlalchemy import event

    from app.extensions import db

    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def timings(call, n: int, warmup: int = 10) -> list[float]:
    """Return per-call wall times in milliseconds of ``n`` calls after ``warmup`` calls."""
    for _ in range(warmup):
        call()
    out = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def summary(samples: list[float]) -> tuple[float, float]:
    """Return (median, p90) of ``samples``."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]


def row(label: str, samples: list[float]) -> tuple[float, float]:
    median, p90 = summary(samples)
    print(f"  {label:<58} median {median:8.3f} ms   p90 {p90:8.3f} ms")
    return median, p90
