"""Step deadlines in working days: set on entry, paused while returned, resumed; late queues."""
import datetime as dt

import pytest

from app import workflow
from app.commands.reviews import ApproveCommand, ReturnCommand
from app.extensions import db
from tests.review_support import (CST, HB1, LUBEI, LUNAN, SHIJIAZHUANG, TANGSHAN, fresh,
                                  hb1, reviewer, submitted, workday_clock)  # noqa: F401

MISSING = {"fields": {"mobile": "号码无法接通"}}


def on(year, month, day):
    return dt.datetime(year, month, day, 10, tzinfo=CST)


def test_step_deadline_counts_working_days(hb1):
    application = submitted(HB1)  # Monday 2026-03-02; 受理 has 3 working days
    assert application.step_deadline == dt.date(2026, 3, 5)
    assert application.working_days_used == 0
    county = reviewer(LUBEI)
    hb1.day(2026, 3, 4)
    ApproveCommand(application.id, county, None, application.lock_version).run()
    application = fresh(application)
    # 评审认定: 10 working days from Wednesday 4 March.
    assert application.current_step == "assess"
    assert application.step_deadline == dt.date(2026, 3, 18)


def test_step_deadline_skips_holidays(hb1):
    # 2026-04-30 (Thursday) + 3 working days: 1-5 May is Labour Day, 9 May a make-up day.
    application = submitted(HB1, at=on(2026, 4, 30))
    assert application.step_deadline == dt.date(2026, 5, 8)


def test_returned_clock_pauses_and_resumes_where_it_stopped(hb1):
    application = submitted(HB1)
    statutory = application.deadline
    county = reviewer(LUBEI)
    hb1.day(2026, 3, 4)  # Wednesday: two working days used (Tue, Wed)
    ReturnCommand(application.id, county, "请补正", application.lock_version, MISSING).run()
    application = fresh(application)
    assert application.working_days_used == 2 and application.step_deadline is None
    assert workflow.overdue(county).entries == [] and workflow.pending(county).entries == []

    hb1.day(2026, 3, 9)  # the citizen resubmits the next Monday
    application.answers = {"mobile": "13900139000"}
    workflow.resume(application)
    db.session.commit()
    application = fresh(application)
    assert (application.status, application.current_step, application.round) == (
        "submitted", "accept", 2)
    # One working day left of three: Tuesday 10 March.
    assert application.step_deadline == dt.date(2026, 3, 10)
    # The statutory deadline moves by the working days spent with the citizen (Thu, Fri, Mon).
    assert application.deadline == workflow.deadlines.add_working_days(statutory, 3).date
    assert [e.application.id for e in workflow.pending(county).entries] == [application.id]
    # The same reviewer may decide again in the new round.
    ApproveCommand(application.id, county, None, application.lock_version).run()
    assert fresh(application).current_step == "assess"


def test_overdue_and_due_soon_return_only_their_rows(hb1):
    late = submitted(HB1, at=on(2026, 3, 2))      # due Thursday 5 March
    due = submitted(HB1, at=on(2026, 3, 5))       # due Tuesday 10 March
    later = submitted(HB1, at=on(2026, 3, 9))     # due Thursday 12 March
    elsewhere = submitted(HB1, LUNAN, at=on(2026, 3, 2))
    # Tuesday 10 March: 受理's 3 working days are due soon on their deadline day only
    # (app.workflow.deadlines.due_soon_days), so ``later`` (2 days left) is not.
    hb1.day(2026, 3, 10)
    county, city = reviewer(LUBEI), reviewer(TANGSHAN)
    assert [e.application.id for e in workflow.overdue(county).entries] == [late.id]
    assert [e.application.id for e in workflow.due_soon(county).entries] == [due.id]
    # A city supervises its counties' late steps (not its own queue).
    assert {e.application.id for e in workflow.overdue(city).entries} == {late.id, elsewhere.id}
    assert workflow.pending(city).entries == []
    assert workflow.overdue(reviewer(SHIJIAZHUANG)).entries == []
    assert workflow.counts(county) == {"pending": 3, "done": 0, "overdue": 1, "due_soon": 1}
    assert workflow.working_days_left(fresh(late)) == -3
    assert workflow.working_days_left(fresh(later)) == 2


def test_pending_pages_by_deadline_without_offset(hb1):
    made = [submitted(HB1, at=on(2026, 3, day)) for day in (6, 2, 4, 3, 5)]
    county = reviewer(LUBEI)
    seen, after = [], None
    while True:
        page = workflow.pending(county, after=after, limit=2)
        seen += [e.application for e in page.entries]
        if page.after is None:
            break
        after = page.after
    assert [a.step_deadline for a in seen] == sorted(a.step_deadline for a in made)
    assert len({a.id for a in seen}) == 5
    with pytest.raises(workflow.InvalidCursor):
        workflow.pending(county, after="yesterday")
    assert workflow.pending(county, {"item": "no_such_item"}).entries == []
    assert len(workflow.pending(county, {"item": HB1}).entries) == 5
