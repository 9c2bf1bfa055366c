"""Entering a year's official schedule counts again the deadlines that were provisional for it:
the statutory deadline and the current step's of every open application, the flag cleared;
closed applications keep theirs. GD-8: 10 working days in all, 受理 2, 审核 5.

2027 has no schedule in the test database; tests.calendar_support's has 元旦 on 1–3 January,
so a count through New Year's Day reaches one working day further once it is official."""
import datetime as dt

import pytest
import sqlalchemy as sa

from app.commands.applications.save import SaveAnswersCommand
from app.commands.applications.submit import SubmitApplicationCommand
from app.commands.applications.withdraw import WithdrawApplicationCommand
from app.commands.calendar import SetCalendarYearCommand, load_calendar
from app.commands.reviews import ApproveCommand, ReturnCommand
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.calendar import CalendarDay, CalendarYear
from app.workdays import add_working_days, invalidate
from app.workflow.deadlines import step_deadline_provisional
from tests.applications_support import (BOB_ID, CST, REGION, clock, gd8,  # noqa: F401
                                        load_gd8, make_citizen)
from tests.calendar_support import schedule_csv, schedule_rows
from tests.integration.test_applications_submit import filled
from tests.review_support import fresh, reviewer

THURSDAY = dt.datetime(2026, 12, 24, 10, tzinfo=CST)
FRIDAY, MONDAY, TUESDAY = (THURSDAY + dt.timedelta(days=n) for n in (1, 4, 5))
# Submitted on THURSDAY: the 10th working day counting 1 January is the 7th (weekends only),
# not counting it (元旦) the 8th.
PROVISIONAL, OFFICIAL = dt.date(2027, 1, 7), dt.date(2027, 1, 8)


def submit(user):
    application = filled(user)
    SubmitApplicationCommand(application, user=user).run()
    return fresh(application)


def recount_events():
    return db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.object_type == "calendar_year").order_by(AuditEvent.id)).all()


def test_setting_the_year_recounts_open_applications_and_leaves_closed_ones(gd8, clock):
    clock.set(THURSDAY)
    bob = make_citizen(BOB_ID, "王大明")
    reviewing, closed = submit(gd8), submit(bob)
    for application in (reviewing, closed):
        assert (application.deadline, application.deadline_provisional) == (PROVISIONAL, True)
    WithdrawApplicationCommand(closed, user=bob).run()
    clock.set(MONDAY)  # 受理 approved: 审核's five working days count 1 January too
    ApproveCommand(reviewing.id, reviewer(REGION), None, reviewing.lock_version).run()
    reviewing = fresh(reviewing)
    assert (reviewing.current_step, reviewing.step_deadline) == ("review", dt.date(2027, 1, 4))
    assert step_deadline_provisional(reviewing)
    seen = reviewing.lock_version

    SetCalendarYearCommand(2027, *schedule_rows()).run()

    reviewing = fresh(reviewing)
    assert (reviewing.deadline, reviewing.deadline_provisional, reviewing.step_deadline) == (
        OFFICIAL, False, dt.date(2027, 1, 5))
    assert not step_deadline_provisional(reviewing)
    assert reviewing.lock_version == seen  # a reviewer's open page still decides
    closed = fresh(closed)
    assert (closed.status, closed.deadline, closed.deadline_provisional) == (
        "withdrawn", PROVISIONAL, True)
    [event] = recount_events()
    assert (event.action, event.object_id, event.detail) == (
        "calendar.set_year", "2027", {"days": 31, "applications": 1})


def test_the_import_command_recounts_returned_and_resubmitted_applications(gd8, clock, runner,
                                                                         tmp_path):
    clock.set(THURSDAY)
    bob = make_citizen(BOB_ID, "王大明")
    returned, resubmitted = submit(gd8), submit(bob)
    clock.set(FRIDAY)
    county = reviewer(REGION)
    for application in (returned, resubmitted):
        ReturnCommand(application.id, county, "请核对", application.lock_version,
                      {"fields": {"employer_name": "单位名称与营业执照不一致"}}).run()
    clock.set(TUESDAY)  # with the citizen on Monday and Tuesday: two working days more
    SaveAnswersCommand(fresh(resubmitted), {"employer_name": "广州某某股份有限公司"},
                       user=bob).run()
    SubmitApplicationCommand(fresh(resubmitted), user=bob).run()
    resubmitted = fresh(resubmitted)
    assert (resubmitted.deadline, resubmitted.deadline_provisional) == (
        dt.date(2027, 1, 11), True)
    assert resubmitted.step_deadline == dt.date(2026, 12, 30)  # 受理: counted within 2026

    schedule = tmp_path / "2027.csv"
    schedule.write_text(schedule_csv(), encoding="utf-8")
    result = runner.invoke(args=["calendar", "import", str(schedule)])
    assert result.exit_code == 0, result.output

    returned, resubmitted = fresh(returned), fresh(resubmitted)
    assert (returned.status, returned.deadline, returned.deadline_provisional,
            returned.step_deadline) == ("returned", OFFICIAL, False, None)
    # 10 working days from the submission and the 2 with the citizen, 元旦 not counted.
    assert (resubmitted.deadline, resubmitted.deadline_provisional,
            resubmitted.step_deadline) == (dt.date(2027, 1, 12), False, dt.date(2026, 12, 30))
    [event] = recount_events()
    assert event.detail == {"days": 31, "applications": 2}


@pytest.fixture
def without_2026(ctx):
    """2026 as if chinese-calendar had not known it yet: no days, not official; seeded again
    after the test."""
    db.session.execute(sa.delete(CalendarDay).where(
        CalendarDay.day >= dt.date(2026, 1, 1), CalendarDay.day <= dt.date(2026, 12, 31)))
    db.session.get(CalendarYear, 2026).status = "provisional"
    db.session.commit()
    invalidate()
    yield
    load_calendar()


def test_seeding_a_year_from_the_library_recounts_too(without_2026, clock):
    clock.set(dt.datetime(2026, 9, 28, 10, tzinfo=CST))  # 国庆 ahead, 2026 not official
    load_gd8()
    alice = make_citizen()
    application = submit(alice)
    weekends_only = application.deadline
    assert application.deadline_provisional is True

    load_calendar()

    application = fresh(application)
    official = add_working_days(dt.date(2026, 9, 28), 10)
    assert not official.provisional and official.date > weekends_only
    assert (application.deadline, application.deadline_provisional) == (official.date, False)
    [event] = recount_events()
    assert (event.action, event.object_id, event.detail) == (
        "calendar.set_year", "2026", {"applications": 1})
