"""Two urges of one application at the same moment: one is recorded, the other is 409.

Real threads, each with its own app context (session and connection), released together by a
barrier, as the review race tests do. SQLite serialises writers and cannot show the race; on
PostgreSQL the application's row lock makes the second wait for the first and find it (the
unique (application, day) would refuse it otherwise: test_application_urge).
"""
import threading

import pytest
from sqlalchemy import select

from app.commands.applications.access import get_application
from app.commands.applications.errors import StateConflictError
from app.commands.applications.urge import UrgeApplicationCommand
from app.extensions import db
from app.models.application import Notification
from app.models.urge import ApplicationUrge
from app.models.user import BanshiUser
from tests.review_support import (HB1, LUBEI, hb1, history, reviewer,  # noqa: F401
                                  submitted, workday_clock)

THREADS = 6


def urge(app, barrier, user_id, application_id, outcomes):
    with app.app_context():
        try:
            user = db.session.get(BanshiUser, user_id)
            _ = user.roles, user.groups  # loaded before the race starts
            application = get_application(application_id, user)
            _ = application.version.definition
            db.session.commit()  # no transaction held while waiting at the barrier
            barrier.wait(timeout=30)
            UrgeApplicationCommand(application, user).run()
            outcomes.append("ok")
        except StateConflictError:
            outcomes.append("409")
        except Exception as error:  # anything else is a failure of the test
            outcomes.append(repr(error))
        finally:
            db.session.remove()


def test_simultaneous_urges_one_is_recorded(app, hb1, db_dialect):
    if db_dialect != "postgresql":
        pytest.skip("SQLite serialises every writer: the race needs PostgreSQL row locks")
    reviewer(LUBEI)
    application = submitted(HB1, LUBEI)
    hb1.day(2026, 3, 6)  # 受理 was due on Thursday 03-05
    barrier, outcomes = threading.Barrier(THREADS), []
    threads = [threading.Thread(target=urge, args=(
        app, barrier, application.applicant_id, application.id, outcomes))
        for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["409"] * (THREADS - 1) + ["ok"], outcomes
    db.session.expire_all()
    assert len(db.session.scalars(select(ApplicationUrge).where(
        ApplicationUrge.application_id == application.id)).all()) == 1
    assert len(history(application, "application.urged")) == 1
    assert len(db.session.scalars(select(Notification).where(
        Notification.application_id == application.id)).all()) == 1
