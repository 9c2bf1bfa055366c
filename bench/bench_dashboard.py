"""The dashboard's figures on a large table, against a bare ``SELECT count(*) … GROUP BY item``,
PostgreSQL.

Run: python bench/bench_dashboard.py [--rows 100000] [--n 20] [--explain]
Prints figures only; nothing here asserts on time. Needs ``createdb bench_banshi`` (its schema
is dropped and rebuilt; ``BENCH_PG_URL`` names another database).

- Data: the review-queue benchmark's (bench/_queue_data.py: ``--rows`` applications of four
  Hebei items over two years, 唐山 holding a quarter), plus what the dashboard reads that the
  queue data lacks: ``working_days_taken`` of the closed rows (calendar days × 5/7, made on the
  server) and a return-for-correction decision on every returned row and on one in twenty
  others.
- Subjects: ``app.workflow.stats.dashboard()`` — every figure of the page (by item, status and
  region, medians, overdue, returns) — for a RegionAdmin of 唐山市 (a quarter of the rows), of
  河北省 (all of them) and for Admin (the whole country), over the two years and over one month;
  each call in its own request context, as in a request.
- Baseline, in the same run and interleaved with each subject: the bare
  ``SELECT item_id, count(*) FROM application GROUP BY item_id`` over the whole table, no
  scope, no filter. RATIO is the subject's median over the baseline's median.
- The whole page: SQL statements and time of GET /dashboard/ for the 唐山市 admin.
"""
from __future__ import annotations

import argparse
import datetime as dt
import time

from _support import PG_URL, counted, make_app, row

NOW = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # a Tuesday
TWO_YEARS = (NOW.date() - dt.timedelta(days=731), NOW.date())
ONE_MONTH = (NOW.date() - dt.timedelta(days=30), NOW.date())

EXTRA = [
    # Closed rows: working days taken, roughly (calendar days × 5/7); nothing paused.
    "UPDATE application SET working_days_taken = ((closed_at::date - submitted_at::date) * 5) / 7"
    " WHERE status IN ('approved', 'refused')",
    # Returns: one per returned row and per one in twenty others (round 0 is never a real one).
    "INSERT INTO step_decision (application_id, step_key, round, actor_id, decision, at) "
    "SELECT id, coalesce(current_step, 'accept'), 0, NULL, 'return', submitted_at "
    "FROM application WHERE status = 'returned' OR (status <> 'draft' AND id % 20 = 0)",
    "VACUUM ANALYZE application", "VACUUM ANALYZE step_decision",
]


def in_request(app, call):
    """Return (milliseconds, result) of ``call()`` inside a fresh request context."""
    with app.test_request_context():
        start = time.perf_counter()
        result = call()
        return (time.perf_counter() - start) * 1000, result


def user_of(user_id: int):
    from sqlalchemy.orm import selectinload

    from app.extensions import db
    from app.models.user import BanshiUser

    return db.session.scalar(db.select(BanshiUser).where(BanshiUser.id == user_id)
                             .options(selectinload(BanshiUser.roles)))


def figures(user_id: int, period):
    from app.workflow import stats

    user = user_of(user_id)
    return stats.dashboard(user, stats.Filters(*period), stats.viewing_region(user))


def baseline():
    from sqlalchemy import text

    from app.extensions import db

    return db.session.execute(text(
        "SELECT item_id, count(*) FROM application GROUP BY item_id")).all()


def measure(app, label: str, user_id: int, period, n: int) -> float:
    for _ in range(3):  # warm-up
        in_request(app, lambda: figures(user_id, period))
        in_request(app, baseline)
    mine, bare = [], []
    for _ in range(n):  # interleaved
        mine.append(in_request(app, lambda: figures(user_id, period))[0])
        bare.append(in_request(app, baseline)[0])
    _ms, result = in_request(app, lambda: figures(user_id, period))
    base, _p90 = row("baseline: SELECT item_id, count(*) … GROUP BY item_id", bare)
    median, _p90 = row(f"stats.dashboard(), {label}", mine)
    totals = result.totals
    print(f"    {totals.applications:,} applications, median {totals.median_days} working days,"
          f" overdue {totals.overdue_rate or 0:.1f}%, {totals.returns:,} returns,"
          f" {len(result.by_item)} items, {len(result.by_region)} region rows")
    print(f"  RATIO {label}: {median / base:.2f}x the bare grouped count")
    return median / base


def explain(app, user_id: int, period) -> None:
    """Print EXPLAIN (ANALYZE, BUFFERS) of each query one call sends, replaying the call's
    other statements (savepoints) around them in the same order."""
    from sqlalchemy import event

    from app.extensions import db

    sent = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    with app.test_request_context():
        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            figures(user_id, period)
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
        cursor = db.session.connection().connection.cursor()
        for statement, parameters in sent:
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                cursor.execute(statement, parameters)
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            print("    --")
            for (line,) in cursor.fetchall():
                print("       " + line)


def main() -> None:
    from _queue_data import HOME_CITY, generate, make_people, publish_items
    from sqlalchemy import func, select, text

    from app.extensions import db
    from app.models.application import Application
    from tests.support import login, make_user

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--n", type=int, default=20, help="timed calls per figure")
    parser.add_argument("--explain", action="store_true",
                        help="print EXPLAIN (ANALYZE, BUFFERS) of the subject's statements")
    args = parser.parse_args()
    app, _files = make_app(PG_URL, clock=NOW)
    with app.app_context():
        publish_items()
        people = make_people()
        viewers = {"RegionAdmin 唐山市": make_user("RegionAdmin", HOME_CITY,
                                                  username="bench_dash_city").id,
                   "RegionAdmin 河北省": make_user("RegionAdmin", "130000").id,
                   "Admin, whole country": make_user("Admin", None).id}
        start = time.perf_counter()
        generate(args.rows, people, NOW.date(), NOW)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for statement in EXTRA:
                connection.execute(text(statement))
        total_s = time.perf_counter() - start
        applications = db.session.scalar(select(func.count()).select_from(Application))
    print(f"backend: postgresql   {applications:,} applications generated in {total_s:.1f} s"
          f"   N={args.n} calls per figure")
    ratios = {}
    for name, user_id in viewers.items():
        for period_name, period in (("two years", TWO_YEARS), ("one month", ONE_MONTH)):
            label = f"{name}, {period_name}"
            print(f"\n  {label}")
            ratios[label] = measure(app, label, user_id, period, args.n)
            if args.explain and period is TWO_YEARS:
                explain(app, user_id, period)
    client = app.test_client()
    assert login(client, "bench_dash_city").status_code == 302
    query = f"/dashboard/?submitted_from={TWO_YEARS[0]}&submitted_to={TWO_YEARS[1]}"
    client.get(query)
    with app.app_context(), counted() as statements:
        start = time.perf_counter()
        response = client.get(query)
        page_ms = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    print(f"\n  GET /dashboard/ (唐山市, two years): {len(statements)} SQL statements, "
          f"{page_ms:.0f} ms")
    worst = max(ratios, key=ratios.get)
    print(f"  worst RATIO {ratios[worst]:.2f}x ({worst})")


if __name__ == "__main__":
    main()
