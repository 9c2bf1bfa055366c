"""The reviewer's pending queue on a large table, against a bare indexed SELECT, PostgreSQL.

Run: python bench/bench_queue.py [--rows 100000] [--n 50]. Prints figures only; nothing here
asserts on time. Needs ``createdb bench_banshi`` (its schema is dropped and rebuilt).

- Data: HB-1 published; one application submitted through the review helpers (so its step,
  step region and deadlines are the workflow's own), then ``--rows`` copies made with
  INSERT … SELECT generate_series: all at that pending step in 唐山 路北区 (a county of the
  city), step_deadline spread from 20 days overdue to 40 days ahead, 2% without a deadline.
- Subject: app.workflow.queue.pending(reviewer, None, after, 50) for the first page and for
  page 1,000 (cursor built from the data: the 49,999th row in queue order); ORM rows and their
  joined item/region/version included, as the queue page uses them.
- Baseline: the bare ``SELECT * FROM application WHERE status='submitted' AND
  step_region_code=… [AND (step_deadline, id) > (…)] ORDER BY step_deadline, id LIMIT 50``
  on the same connection pool, which ix_application_step_region serves directly.
- SQL queries of GET /review/pending (test client, signed-in reviewer) with 10 rows and with
  the bulk rows (goal ≤ 8), and EXPLAIN of the overdue query.
"""
from __future__ import annotations

import argparse
import datetime as dt
import time

from _support import PG_URL, counted, make_app, row, timings

COPY_SKIP = {"id", "serial", "step_deadline", "lock_version"}


def bulk_insert(template_id: int, rows: int) -> float:
    """Copy the template application ``rows`` times; return the seconds it took."""
    from sqlalchemy import text

    from app.extensions import db
    from app.models.application import Application

    columns = [c.name for c in Application.__table__.columns if c.name not in COPY_SKIP]
    names = ", ".join(f'"{c}"' for c in columns)
    start = time.perf_counter()
    db.session.execute(text(
        f"INSERT INTO application ({names}, serial, step_deadline, lock_version) "
        f"SELECT {names}, 'G' || lpad(g::text, 9, '0'), "
        f"CASE WHEN g % 50 = 0 THEN NULL "
        f"ELSE DATE '2026-03-02' + ((g * 7919) % 61 - 20) END, 1 "
        f"FROM application, generate_series(1, :rows) AS g WHERE application.id = :template"),
        {"rows": rows, "template": template_id})
    db.session.commit()
    db.session.execute(text("ANALYZE application"))
    db.session.commit()
    return time.perf_counter() - start


def bare_page(region: str, after):
    from sqlalchemy import text

    from app.extensions import db

    sql = ("SELECT * FROM application WHERE status = 'submitted' AND step_region_code = :r"
           + (" AND (step_deadline, id) > (:d, :i)" if after else "")
           + " ORDER BY step_deadline, id LIMIT 50")
    params = {"r": region, **({"d": after[0], "i": after[1]} if after else {})}
    rows = db.session.execute(text(sql), params).all()
    assert len(rows) == 50
    return rows


def orm_page(user_id: int, after):
    from app import workflow
    from app.extensions import db
    from app.models.user import BanshiUser

    db.session.expunge_all()
    user = db.session.get(BanshiUser, user_id)
    page = workflow.pending(user, None, after, 50)
    assert len(page.entries) == 50
    return page


def staff_page_queries(app, client) -> tuple[int, int]:
    client.get("/review/pending")
    with app.app_context(), counted() as statements:
        response = client.get("/review/pending")
    assert response.status_code == 200, response.status_code
    return len(statements), response.get_data(as_text=True).count("data-application=")


def main() -> None:
    from sqlalchemy import select, text

    from app.extensions import db
    from app.models.application import Application
    from app.workflow import queue
    from tests.review_support import HB1, LUBEI, MONDAY, publish, reviewer, submitted
    from tests.support import login

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--n", type=int, default=50, help="timed calls per figure")
    args = parser.parse_args()
    app, _files = make_app(PG_URL, clock=MONDAY + dt.timedelta(days=1))
    with app.app_context():
        publish(HB1)
        first = [submitted(HB1, LUBEI) for _ in range(10)]
        template_id = first[0].id
        user = reviewer(LUBEI)
        user_id, username = user.id, user.username
    client = app.test_client()
    assert login(client, username).status_code == 302
    small_queries, small_rows = staff_page_queries(app, client)

    with app.app_context():
        seconds = bulk_insert(template_id, args.rows)
        total = db.session.scalar(select(db.func.count(Application.id)))
    print(f"backend: postgresql   generated {args.rows:,} applications in {seconds:.1f} s "
          f"({total:,} in the table)   N={args.n} calls per figure")
    big_queries, big_rows = staff_page_queries(app, client)
    start = time.perf_counter()
    client.get("/review/pending")
    html_ms = (time.perf_counter() - start) * 1000

    with app.app_context():
        key = queue._deadline_key()
        d, i = db.session.execute(
            select(Application.step_deadline, Application.id)
            .where(Application.status == "submitted", Application.step_region_code == LUBEI)
            .order_by(key, Application.id).offset(50 * 999 - 1).limit(1)).one()
        cursor = f"{(d or queue._LAST).isoformat()}_{i}"
        bare_after = (d, i)
        assert [e.application.id for e in orm_page(user_id, cursor).entries] == \
            [r.id for r in bare_page(LUBEI, bare_after)], "the two page-1000 queries disagree"
        figures = {}
        for label, after, b_after in (("first page", None, None),
                                      ("page 1,000", cursor, bare_after)):
            bare_t, orm_t = [], []
            for _ in range(2):  # interleaved halves
                bare_t += timings(lambda: bare_page(LUBEI, b_after), args.n // 2, warmup=3)
                orm_t += timings(lambda: orm_page(user_id, after), args.n // 2, warmup=3)
            b = row(f"baseline: bare indexed SELECT … LIMIT 50, {label}", bare_t)
            o = row(f"workflow.queue.pending(), {label}", orm_t)
            figures[label] = o[0] / b[0]
            print(f"  RATIO pending/baseline, {label}: median {o[0] / b[0]:.2f}x   "
                  f"(goal <= 1.5x)")
        db.session.expunge_all()
        user = db.session.get(__import__("app.models.user", fromlist=["BanshiUser"])
                              .BanshiUser, user_id)
        overdue = (select(Application).where(*queue._late_conditions(user, "overdue"))
                   .order_by(key, Application.id).limit(51))
        sql = str(overdue.compile(db.engine, compile_kwargs={"literal_binds": True}))
        plan = db.session.execute(text("EXPLAIN " + sql)).scalars().all()
    print(f"  GET /review/pending: {small_queries} SQL queries with 10 rows ({small_rows} shown), "
          f"{big_queries} with {total:,} rows ({big_rows} shown); page took {html_ms:.0f} ms "
          f"(goal <= 8 queries)")
    print("  EXPLAIN overdue query (step_deadline < today, handled in the reviewer's subtree):")
    for line in plan:
        print("    " + line)


if __name__ == "__main__":
    main()
