"""Steps waiting when ``step_due_soon_from`` arrived get it from their migration, counted as a
step entered today counts it: from the pinned step's own limit and the working calendar."""
import sqlalchemy as sa

from app.commands.reviews import ApproveCommand
from app.extensions import db
from app.models.application import Application
from app.workflow import deadlines
from tests.review_support import (HB1, LUBEI, fresh, hb1, reviewer, submitted,  # noqa: F401
                                  workday_clock)

BEFORE = "020470314a0e"  # the revision before the column


def test_migration_fills_the_due_soon_day_of_waiting_steps(hb1):
    from flask_migrate import downgrade, upgrade

    at_accept = submitted(HB1)  # 受理: 3 working days
    at_assess = submitted(HB1)
    ApproveCommand(at_assess.id, reviewer(LUBEI), None, fresh(at_assess).lock_version).run()
    expected = {a.id: (fresh(a).step_deadline, fresh(a).step_due_soon_from)
                for a in (at_accept, at_assess)}
    assert expected[at_accept.id][0] == expected[at_accept.id][1]  # the deadline day only
    # 评审认定: 10 working days, due soon 2 working days before its deadline.
    assert expected[at_assess.id][1] == deadlines.due_soon_from(expected[at_assess.id][0], 10)
    assert expected[at_assess.id][1] < expected[at_assess.id][0]
    db.session.remove()  # no open transaction holds a lock the migration waits for
    try:
        downgrade(revision=BEFORE)
    finally:
        db.session.remove()
        upgrade()
    stored = {pk: (deadline, starts) for pk, deadline, starts in db.session.execute(sa.select(
        Application.id, Application.step_deadline, Application.step_due_soon_from)
        .where(Application.id.in_(list(expected))))}
    assert stored == expected
