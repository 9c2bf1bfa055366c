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
