"""E2 for imports: several imports of one item's draft at the same moment, on PostgreSQL.

Each thread has its own app context (own session and connection) and the threads are released
together by a barrier, as in test_review_concurrency. Without a stated revision every import
builds on the one committed before it (the row lock): each is one revision more, none is based
on the same old draft as another. With the revision they all read, one wins and the rest are
refused (409 over HTTP). SQLite serialises writers and cannot show the race.
"""
import threading

import pytest

from app.commands.formdef_errors import RevisionMismatchError
from app.commands.formdef_text import LoadFormdefTextCommand
from app.extensions import db
from tests.integration.formdefs_api_support import audit, item, province_text

THREADS = 8


def text_with(limit: int) -> str:
    return province_text().replace("time_limit_days: 10", f"time_limit_days: {limit}")


def import_at_once(app, barrier, text, expected, outcomes):
    with app.app_context():
        try:
            command = LoadFormdefTextCommand(text=text, expected_revision=expected)
            barrier.wait(timeout=30)
            result = command.run()
            [changed] = result.updated
            outcomes.append(("ok", result.revisions[changed.id], text))
        except RevisionMismatchError as error:
            outcomes.append(("409", error.current, text))
        except Exception as error:  # anything else is a failure of the test
            outcomes.append(("error", repr(error), text))
        finally:
            db.session.remove()


def run_threads(app, expected):
    barrier, outcomes = threading.Barrier(THREADS), []
    threads = [threading.Thread(target=import_at_once, args=(
        app, barrier, text_with(20 + i), expected, outcomes)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == THREADS, outcomes
    assert [o for o in outcomes if o[0] == "error"] == []
    return outcomes


@pytest.fixture
def first_draft(ctx, db_dialect):
    if db_dialect != "postgresql":
        pytest.skip("SQLite serialises every writer: the race needs PostgreSQL row locks")
    LoadFormdefTextCommand(text=province_text()).run()
    revision = item().revision
    db.session.remove()  # no connection held while the threads wait for the row
    return revision


def test_concurrent_imports_each_build_on_the_last_one(app, first_draft):
    outcomes = run_threads(app, None)
    revisions = sorted(o[1] for o in outcomes)
    assert revisions == list(range(first_draft + 1, first_draft + THREADS + 1)), outcomes
    assert [e.detail["revision"] for e in audit("definition.save")] == revisions
    last = item()
    assert last.revision == first_draft + THREADS
    assert last.draft_text == next(o[2] for o in outcomes if o[1] == last.revision)


def test_concurrent_imports_stating_the_same_revision_one_wins(app, first_draft):
    outcomes = run_threads(app, first_draft)
    winners = [o for o in outcomes if o[0] == "ok"]
    assert len(winners) == 1 and winners[0][1] == first_draft + 1, outcomes
    assert [o[1] for o in outcomes if o[0] == "409"] == [first_draft + 1] * (THREADS - 1)
    last = item()
    assert last.revision == first_draft + 1 and last.draft_text == winners[0][2]
    assert len(audit("definition.save")) == 1


def load_file_at_once(app, barrier, path, outcomes):
    from app.commands.formdefs import LoadFormdefsCommand, StaleDraftError

    with app.app_context():
        try:
            command = LoadFormdefsCommand([path])
            barrier.wait(timeout=30)
            outcomes.append(("ok", len(command.run().created)))
        except StaleDraftError as error:
            outcomes.append(("409", str(error)))
        except Exception as error:  # an IntegrityError's trace is what the CLI used to print
            outcomes.append(("error", repr(error)))
        finally:
            db.session.remove()


def test_loads_creating_one_new_item_at_once_refuse_all_but_one(app, ctx, db_dialect, tmp_path):
    if db_dialect != "postgresql":
        pytest.skip("SQLite serialises every writer: the race needs PostgreSQL")
    path = tmp_path / "item.yaml"
    path.write_text(province_text(), encoding="utf-8")
    db.session.remove()
    barrier, outcomes = threading.Barrier(THREADS), []
    threads = [threading.Thread(target=load_file_at_once, args=(app, barrier, path, outcomes))
               for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [o for o in outcomes if o[0] == "error"] == []
    assert sorted(o[0] for o in outcomes)[-1] == "ok"
    assert sum(o[1] for o in outcomes if o[0] == "ok") == 1  # created once; the rest: 409


def pause_after_first_lock(barrier):
    """Hold each thread after the first statement that locks an item row (SELECT … FOR UPDATE
    or INSERT), until the other thread holds one too: both then go on to their next rows. A
    thread that cannot get its first lock (the other holds it) leaves the other to wait out the
    barrier's timeout and go on alone."""
    paused = threading.local()

    def after_execute(conn, cursor, statement, parameters, context, executemany):
        takes_lock = "FOR UPDATE" in statement or statement.startswith("INSERT INTO item ")
        if takes_lock and " item" in statement and not getattr(paused, "done", False):
            paused.done = True
            try:
                barrier.wait(timeout=3)
            except threading.BrokenBarrierError:
                pass
    return after_execute


def load_files_at_once(app, barrier, paths, outcomes):
    from app.commands.formdefs import LoadFormdefsCommand, StaleDraftError

    with app.app_context():
        try:
            result = LoadFormdefsCommand(paths).run()
            outcomes.append(("ok", len(result.created + result.updated)))
        except StaleDraftError as error:
            outcomes.append(("409", str(error)))
        except Exception as error:  # a deadlock: PostgreSQL fails one of them
            outcomes.append(("error", repr(error)))
        finally:
            db.session.remove()


def item_text(key: str, limit: int) -> str:
    """The text of item ``a`` (demo_allowance) or ``b`` (demo_allowance_b)."""
    text = text_with(limit)
    return text if key == "a" else text.replace("code: demo_allowance", "code: demo_allowance_b")


def load_two_lists_at_once(app, tmp_path) -> list:
    """Load items A and B from two folders, the files listing them in opposite orders."""
    from sqlalchemy import event

    lists = []
    for folder, order, limit in (("first", "ab", 30), ("second", "ba", 40)):
        (tmp_path / folder).mkdir()
        lists.append([])
        for number, key in enumerate(order, 1):
            path = tmp_path / folder / f"{number}.yaml"
            path.write_text(item_text(key, limit), encoding="utf-8")
            lists[-1].append(path)
    barrier, outcomes = threading.Barrier(2), []
    with app.app_context():
        engine = db.engine
    listener = pause_after_first_lock(barrier)
    event.listen(engine, "after_cursor_execute", listener)
    try:
        threads = [threading.Thread(target=load_files_at_once, args=(app, barrier, paths,
                                                                     outcomes))
                   for paths in lists]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        event.remove(engine, "after_cursor_execute", listener)
    return outcomes


@pytest.fixture
def postgres(db_dialect):
    if db_dialect != "postgresql":
        pytest.skip("SQLite serialises every writer: a deadlock needs PostgreSQL row locks")


def test_loads_listing_the_same_drafts_in_other_orders_do_not_deadlock(app, ctx, postgres,
                                                                       tmp_path):
    for key in "ab":
        LoadFormdefTextCommand(text=item_text(key, 20)).run()
    db.session.remove()
    outcomes = load_two_lists_at_once(app, tmp_path)
    assert sorted(outcomes) == [("ok", 2), ("ok", 2)], outcomes  # the second built on the first
    assert (item().revision, item("demo_allowance_b").revision) == (3, 3)


def test_loads_creating_the_same_items_in_other_orders_refuse_one_in_chinese(
        app, ctx, postgres, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "CLI_LOCALE", None)  # the commands' default language
    outcomes = load_two_lists_at_once(app, tmp_path)
    assert sorted(outcomes) == [("409", "该草稿已被他人修改，请刷新后重新操作。"), ("ok", 2)], outcomes
    assert (item().revision, item("demo_allowance_b").revision) == (1, 1)
