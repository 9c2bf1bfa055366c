"""The review queues on a large table, against bare indexed SELECTs, PostgreSQL.

Run: python bench/bench_queue.py [--rows 1000000] [--n 50] [--page 1000] [--explain]
Prints figures only; nothing here asserts on time. Needs ``createdb bench_banshi`` (its schema
is dropped and rebuilt; ``BENCH_PG_URL`` names another database).

- Data (bench/_queue_data.py): ``--rows`` applications of four Hebei items over Hebei's
  counties, made on the server; 唐山 holds a quarter of them. The generation time is printed.
- Subjects: ``app.workflow.queue``'s pending, done, overdue and due_soon for a Reviewer of
  唐山市 (the city: his pending steps are the city's, his late queues cover the city and its
  counties), first page and page ``--page`` (or the last full page of a shorter queue; its
  cursor comes from walking every page before it, which also checks the keyset order). Each
  call runs in its own request context, as in a request (per-request caches start empty; the
  working calendar's once-per-request check, which every queue page makes for its deadline
  badges, is made before the clock starts).
- Baselines, in the same run and interleaved with the subject: the bare SELECT * … LIMIT 50
  an index serves directly — pending: ``ix_application_step_region`` at the city;
  done: the user's decisions by ``ix_step_decision_actor`` joined to their applications;
  late: the page's own 50 rows by primary key (no bare SELECT walks several regions in
  order) — plus, for every queue, the page's rows by primary key. RATIO is the subject's
  median over the faster baseline's median (goal ≤ 1.5×).
- Supervision: the overdue and due-soon first pages and counts of a RegionAdmin of 河北省 (the
  whole province: its late queues walk the deadline index, not a walk per region), against
  the page's rows by primary key.
- Counts (capped at app.workflow.queue.COUNT_CAP) and whole pages: SQL statements and time of
  GET /review/pending, /done, /late?state=overdue|due_soon (goal ≤ 8 statements).
- ``--explain``: EXPLAIN (ANALYZE, BUFFERS) of every statement a subject sends.
"""
from __future__ import annotations

import argparse
import datetime as dt
import time

from _support import PG_URL, counted, make_app, row, summary

NOW = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # a Tuesday
STATES = ("pending", "done", "overdue", "due_soon")
URLS = {"pending": "/review/pending", "done": "/review/done",
        "overdue": "/review/late?state=overdue", "due_soon": "/review/late?state=due_soon"}


def in_request(app, call):
    """Return (milliseconds, result) of ``call()`` inside a fresh request context, whose
    working calendar has been checked (app.workdays: once per request; every queue page
    checks it for its deadline badges whatever the queue)."""
    from app.workdays import current_calendar

    with app.test_request_context():
        current_calendar()
        start = time.perf_counter()
        result = call()
        return (time.perf_counter() - start) * 1000, result


def user_of(user_id: int):
    """The user as the security manager loads the signed-in one for a request (roles, groups
    and their roles, region; one query): what the queue pages read."""
    from flask import current_app

    return current_app.appbuilder.sm._request_user(user_id)


def walk(app, state: str, user_id: int, page: int):
    """Return (page number, cursor, ids) of page ``page`` (or the last full page) of ``state``,
    walking every page before it and checking the order as it goes."""
    from app.workflow import queue
    from app.workflow.queue.pages import _LAST

    key = ((lambda e: -e.decision.id) if state == "done" else
           (lambda e: (e.application.step_deadline or _LAST, e.application.id)))
    after, cursors, seen, last = None, [None], set(), None
    while len(cursors) <= page:
        _ms, result = in_request(app, lambda: queue.queue_page(
            state, user_of(user_id), None, after, 50))
        keys = [key(e) for e in result.entries]
        assert keys == sorted(keys) and (last is None or not keys or keys[0] > last), state
        ids = {e.decision.id if state == "done" else e.application.id for e in result.entries}
        assert not ids & seen, f"{state}: a row on two pages"
        seen |= ids
        last = keys[-1] if keys else last
        if result.after is None or len(result.entries) < 50:
            break
        after = result.after
        cursors.append(after)
    if len(cursors) > page:
        return page, cursors[page - 1], len(seen)
    # The last page may be short: use the last full one.
    number = len(cursors) - 1 if len(cursors) > 1 else 1
    return number, cursors[number - 1], len(seen)


def baselines(state: str, user_id: int, region: str, after, ids: list[int]):
    """Return {label: call} of the bare SELECTs for one page of ``state``."""
    from sqlalchemy import bindparam, text

    from app.extensions import db
    from app.workflow.queue.pages import _parse_deadline_cursor

    by_key = text("SELECT * FROM application WHERE id IN :ids ORDER BY step_deadline, id"
                  ).bindparams(bindparam("ids", expanding=True))
    calls = {"the page's rows by primary key":
             lambda: db.session.connection().execute(by_key, {"ids": ids}).all()}
    if state == "pending":
        day, pk = _parse_deadline_cursor(after) if after else (None, None)
        where = ("" if after is None else " AND step_deadline IS NULL AND id > :i" if day is None
                 else " AND (step_deadline, id) > (:d, :i)")
        order = "step_deadline, id"  # as the index: by id alone the planner may walk the pkey
        sql = text("SELECT * FROM application WHERE step_region_code = :r AND status = "
                   f"'submitted'{where} ORDER BY {order} LIMIT 50")
        calls["bare index walk, ix_application_step_region"] = \
            lambda: db.session.connection().execute(sql, {"r": region, "d": day, "i": pk}).all()
    elif state == "done":
        sql = text("SELECT d.*, a.* FROM step_decision d JOIN application a "
                   "ON a.id = d.application_id WHERE d.actor_id = :u"
                   + (" AND d.id < :after" if after else "") + " ORDER BY d.id DESC LIMIT 50")
        calls["bare index walk, ix_step_decision_actor"] = \
            lambda: db.session.connection().execute(sql, {"u": user_id, "after": after}).all()
    return calls


def measure(app, state: str, user_id: int, region: str, after, n: int, label: str):
    from app.workflow import queue

    def subject():
        return queue.queue_page(state, user_of(user_id), None, after, 50)

    _ms, page = in_request(app, subject)
    assert len(page.entries) == 50, (state, label, len(page.entries))
    ids = [e.application.id for e in page.entries]
    calls = baselines(state, user_id, region, after, ids)
    samples = {name: [] for name in calls}
    mine: list[float] = []
    for _ in range(3):  # warm-up
        in_request(app, subject)
    for index in range(n):  # interleaved: subject, then each baseline
        with app.app_context():
            user = user_of(user_id)
        ms, _page = in_request(app, lambda: queue.queue_page(state, user, None, after, 50))
        mine.append(ms)
        for name, call in calls.items():
            samples[name].append(in_request(app, call)[0])
    best = None
    for name, values in samples.items():
        median, _p90 = row(f"baseline: {name}", values)
        best = median if best is None else min(best, median)
    median, _p90 = row(f"workflow.queue.{state}(), {label}", mine)
    ratio = median / best
    print(f"  RATIO {state}/baseline, {label}: median {ratio:.2f}x   (goal <= 1.5x)")
    return ratio


def explain(app, state: str, user_id: int, after) -> None:
    """Print EXPLAIN (ANALYZE, BUFFERS) of each statement one call of the subject sends."""
    from sqlalchemy import event

    from app.extensions import db
    from app.workflow import queue

    sent = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    with app.test_request_context():
        user = user_of(user_id)
        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            queue.queue_page(state, user, None, after, 50)
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
        cursor = db.session.connection().connection.cursor()
        for statement, parameters in sent:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            lines = [line for (line,) in cursor.fetchall()]
            print(f"    -- {statement.split(' FROM ')[0][:60]}… ({len(lines)} plan lines)")
            for line in lines:
                print("       " + line)


def pages(app, client) -> dict[str, tuple[int, float]]:
    """Return {state: (SQL statements, milliseconds)} of each queue's first HTML page."""
    out = {}
    for state, url in URLS.items():
        client.get(url)
        with app.app_context(), counted() as statements:
            start = time.perf_counter()
            response = client.get(url)
            ms = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (url, response.status_code)
        out[state] = (len(statements), ms)
    return out


def main() -> None:
    from _queue_data import HOME_CITY, generate, make_people, publish_items
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models.application import Application, StepDecision
    from app.workflow import queue
    from tests.support import login, make_user

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--n", type=int, default=50, help="timed calls per figure")
    parser.add_argument("--page", type=int, default=1000, help="the deep page")
    parser.add_argument("--explain", action="store_true",
                        help="print EXPLAIN (ANALYZE, BUFFERS) of the subjects' statements")
    args = parser.parse_args()
    app, _files = make_app(PG_URL, clock=NOW)
    with app.app_context():
        publish_items()
        people = make_people()
    client = app.test_client()
    assert login(client, people.reviewer_name).status_code == 302
    empty = pages(app, client)
    with app.app_context():
        start = time.perf_counter()
        phases = generate(args.rows, people, NOW.date(), NOW)
        total_s = time.perf_counter() - start
        applications = db.session.scalar(select(func.count()).select_from(Application))
        decisions = db.session.scalar(select(func.count()).select_from(StepDecision))
    print(f"backend: postgresql   generated {applications:,} applications and {decisions:,} "
          f"decisions in {total_s:.1f} s ("
          + ", ".join(f"{k} {v:.1f} s" for k, v in phases.items())
          + f")   N={args.n} calls per figure")
    ratios = {}
    for state in STATES:
        with app.app_context():
            size = in_request(app, lambda: queue.count(state, user_of(people.reviewer)))[1]
        shown = f"{queue.COUNT_CAP}+" if size > queue.COUNT_CAP else str(size)
        count_ms = [in_request(app, lambda: queue.count(state, user_of(people.reviewer)))[0]
                    for _ in range(max(args.n // 5, 5))]
        number, cursor, walked = walk(app, state, people.reviewer, args.page)
        print(f"\n  {state}: count {shown} (median {summary(count_ms)[0]:.2f} ms); "
              f"walked {walked:,} rows to page {number:,}")
        for label, after in (("first page", None), (f"page {number:,}", cursor)):
            ratios[(state, label)] = measure(app, state, people.reviewer, HOME_CITY, after,
                                             args.n, label)
            if args.explain:
                explain(app, state, people.reviewer, after)
    # Supervision at a province's scale: the late queues of a 河北省 RegionAdmin (hundreds of
    # regions; every generated application lies in Hebei), first page, as the city's above.
    with app.app_context():
        province = make_user("RegionAdmin", "130000", username="bench_province_admin").id
    print("\n  supervision: a RegionAdmin of 河北省 (the whole province)")
    supervision = {}
    for state in ("overdue", "due_soon"):
        count_ms = [in_request(app, lambda: queue.count(state, user_of(province)))[0]
                    for _ in range(max(args.n // 5, 5))]
        print(f"  {state}: count median {summary(count_ms)[0]:.2f} ms")
        supervision[state] = measure(app, state, province, HOME_CITY, None, args.n,
                                     "province, first page")
    big = pages(app, client)
    print()
    for state in STATES:
        print(f"  GET {URLS[state]}: {empty[state][0]} SQL statements with no rows, "
              f"{big[state][0]} with {applications:,}; page took {big[state][1]:.0f} ms "
              "(goal <= 8 statements)")
    worst = max(ratios.values())
    print(f"\n  worst RATIO {worst:.2f}x over {len(ratios)} figures (goal <= 1.5x)")
    print(f"  supervision (province) RATIO overdue {supervision['overdue']:.2f}x, due soon "
          f"{supervision['due_soon']:.2f}x")


if __name__ == "__main__":
    main()
