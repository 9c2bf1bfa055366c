"""Applications urged before ``application.step_urged_at`` arrived get it from their migration:
the time of the last urge of the step they wait at now, this round; nothing for an urge of a
step left behind."""
import sqlalchemy as sa

from app.commands.applications.urge import UrgeApplicationCommand
from app.commands.reviews import ApproveCommand
from app.extensions import db
from app.models.application import Application
from tests.review_support import (HB1, LUBEI, fresh, hb1, reviewer, submitted,  # noqa: F401
                                  workday_clock)

BEFORE = "b3d3a5043784"  # the revision before the column


def test_migration_fills_the_last_urge_of_the_current_step(hb1):
    from flask_migrate import downgrade, upgrade

    county = reviewer(LUBEI)
    waiting, moved_on, quiet = submitted(HB1), submitted(HB1), submitted(HB1)
    hb1.day(2026, 3, 6)
    for application in (waiting, moved_on):
        UrgeApplicationCommand(application, application.applicant).run()
    hb1.day(2026, 3, 9)
    UrgeApplicationCommand(fresh(waiting), waiting.applicant).run()  # the later urge counts
    ApproveCommand(moved_on.id, county, None, fresh(moved_on).lock_version).run()
    expected = {a.id: fresh(a).step_urged_at for a in (waiting, moved_on, quiet)}
    assert expected[waiting.id] is not None and expected[waiting.id].day == 9
    assert expected[moved_on.id] is None and expected[quiet.id] is None
    db.session.remove()  # no open transaction holds a lock the migration waits for
    try:
        downgrade(revision=BEFORE)
    finally:
        db.session.remove()
        upgrade()
    stored = dict(db.session.execute(sa.select(Application.id, Application.step_urged_at)
                                     .where(Application.id.in_(list(expected)))).all())
    assert stored == expected
