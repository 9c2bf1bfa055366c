"""E1: twenty concurrent decisions on one step — exactly one wins, the rest get 409.

Real threads, each with its own app context (and so its own session and connection), released
together by a barrier. SQLite serialises writers on a file lock and cannot show the race; the
test runs on PostgreSQL, where the row lock (SELECT … FOR UPDATE) and lock_version decide it.
"""
import random
import threading

import pytest

from app.commands.applications.errors import NotAllowedError, StaleApplicationError
from app.commands.reviews import ApproveCommand, RefuseCommand, ReturnCommand
from app.extensions import db
from app.models.user import BanshiUser
from tests.review_support import (HB1, LUBEI, decisions, fresh, hb1, history,  # noqa: F401
                                  notifications, reviewer, submitted, workday_clock)

THREADS = 20


def decide(app, barrier, verb, user_id, application_id, version, outcomes):
    with app.app_context():
        try:
            actor = db.session.get(BanshiUser, user_id)
            _ = actor.roles, actor.groups, actor.region.level  # loaded before the race starts
            db.session.close()  # and no pooled connection held while waiting at the barrier
            command = {
                "approve": lambda: ApproveCommand(application_id, actor, "同意", version),
                "return": lambda: ReturnCommand(application_id, actor, "补正", version,
                                                {"fields": {"mobile": "请核对"}}),
                "refuse": lambda: RefuseCommand(application_id, actor, "不予受理", version),
            }[verb]()
            barrier.wait(timeout=30)
            command.run()
            outcomes.append(("ok", verb))
        except StaleApplicationError:
            outcomes.append(("409", verb))
        except NotAllowedError:
            outcomes.append(("403", verb))
        except Exception as error:  # anything else is a failure of the test
            outcomes.append(("error", repr(error)))
        finally:
            db.session.remove()


def test_twenty_concurrent_decisions_one_wins(app, hb1, db_dialect):
    if db_dialect != "postgresql":
        pytest.skip("SQLite serialises every writer: the race needs PostgreSQL row locks")
    application = submitted(HB1)
    version = application.lock_version
    reviewers = [reviewer(LUBEI).id for _ in range(THREADS)]
    verbs = ["approve", "return", "refuse"] * 7
    random.Random(7).shuffle(verbs)
    barrier, outcomes = threading.Barrier(THREADS), []
    threads = [threading.Thread(target=decide, args=(
        app, barrier, verbs[i], reviewers[i], application.id, version, outcomes))
        for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == THREADS, outcomes
    assert [o for o in outcomes if o[0] == "error"] == []
    winners = [o for o in outcomes if o[0] == "ok"]
    assert len(winners) == 1, outcomes
    assert sum(o[0] == "409" for o in outcomes) == THREADS - 1
    application = fresh(application)
    assert len(decisions(application)) == 1
    assert len(history(application)) == 1
    assert len(notifications(application)) == 1
    assert application.lock_version == version + 1


def test_same_reviewer_twice_at_once_one_wins(app, hb1, db_dialect):
    """Without a version the state checks under the row lock still allow one decision only."""
    if db_dialect != "postgresql":
        pytest.skip("SQLite serialises every writer: the race needs PostgreSQL row locks")
    application = submitted(HB1)
    user_id = reviewer(LUBEI).id
    barrier, outcomes = threading.Barrier(2), []
    threads = [threading.Thread(target=decide, args=(
        app, barrier, "approve", user_id, application.id, None, outcomes)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # The loser waited for the row lock, then found the step decided (moved on: 403).
    assert sorted(o[0] for o in outcomes) in (["403", "ok"], ["409", "ok"]), outcomes
    assert len(decisions(fresh(application))) == 1
