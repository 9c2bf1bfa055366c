"""Count again the deadlines that were provisional for a year once its schedule is official.

A deadline counted into a year without an official schedule counted that year's weekends only
(app.workdays) and is provisional: the statutory ``deadline`` says so in
``deadline_provisional``, the current step's by its dates (app.workflow.deadlines
.step_deadline_provisional, shown as （暂定）). When a command makes a year official (its
schedule set or imported, its days marked official, chinese-calendar's seed), it calls
:func:`recount_deadlines` in its transaction, after writing the days, and the open
applications (submitted or returned) are counted again as they were first counted, with the
schedule just written:

- the statutory deadline, when ``deadline_provisional`` and its count reaches the year: as the
  submission counts it (``add_working_days(day submitted, time_limit_days)``) and moved by the
  working days spent with the citizen as each resubmission moved it (``paused_working_days``,
  app.workflow.deadlines.shift_statutory), in one count; ``deadline_provisional`` becomes what
  that count says (still true while another year it reaches has no schedule);
- the current step's deadline, when the year was not official before and the step's count
  reaches it: as entering or resuming the step counts it (app.workflow.deadlines.step_deadline
  from the step's (re)start, its time limit and the working days already used).

Closed applications keep the deadlines they closed with. The rows are locked and written with
a plain UPDATE in the caller's transaction: ``lock_version`` stays, so a reviewer or a citizen
with the application open is not refused because the calendar changed. The caller's history
event of the year counts the applications changed (``applications``).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Iterable

from sqlalchemy import and_, bindparam, false, or_, select, update
from sqlalchemy.orm import load_only

from app.extensions import db
from app.models.application import Application
from app.models.item import ItemVersion
from app.workdays import CST, ONE_DAY, add_working_days, held, invalidate

OPEN = ("submitted", "returned")
_COLUMNS = (Application.id, Application.version_id, Application.status,
            Application.current_step, Application.submitted_at, Application.deadline,
            Application.deadline_provisional, Application.paused_working_days,
            Application.step_started_at, Application.step_deadline,
            Application.step_due_soon_from, Application.working_days_used)


def _reached(start: dt.date, end: dt.date, years: set[int]) -> set[int]:
    """Return which of ``years`` a count from the day after ``start`` up to ``end`` reaches."""
    return {year for year in years if (start + ONE_DAY).year <= year <= end.year}


def _local(moment: dt.datetime) -> dt.date:
    return moment.astimezone(CST).date()


def _candidates(years: set[int], newly: set[int]):
    """Select the open applications a count may have reached ``years`` for, rows locked."""
    def span(first: int, last: int, start, end):
        return and_(end >= dt.date(first, 1, 1),
                    start < dt.datetime(last + 1, 1, 1, tzinfo=CST))

    statutory = and_(Application.deadline_provisional.is_(True),
                     span(min(years), max(years), Application.submitted_at,
                          Application.deadline))
    step = span(min(newly), max(newly), Application.step_started_at,
                Application.step_deadline) if newly else false()
    return db.session.execute(select(*_COLUMNS).where(
        Application.status.in_(OPEN), or_(statutory, step)).order_by(Application.id)
        .with_for_update(of=Application)).all()


def recount_deadlines(years: Iterable[int], newly_official: Iterable[int] = ()) -> Counter:
    """Count again the open applications' provisional deadlines reaching ``years``.

    :param years: the years whose schedule the caller just wrote (official now).
    :param newly_official: those of them that were not official before: step deadlines
        reaching them were counted weekends only (a step's provisional mark is not stored).
    :returns: how many applications changed per year their recount reached (none: empty).
        Nothing is committed here.
    """
    years, newly, counts = set(years), set(newly_official), Counter()
    if not years:
        return counts
    db.session.flush()
    invalidate()  # count with the days this transaction wrote (app.reference_cache)
    rows = _candidates(years, newly)
    if not rows:
        return counts
    versions = {version.id: version for version in db.session.scalars(
        select(ItemVersion).options(load_only(ItemVersion.definition))
        .where(ItemVersion.id.in_({row.version_id for row in rows})))}
    changes = []
    with held():
        for row in rows:
            new, reached = _recount(row, versions[row.version_id], years, newly)
            if (new["deadline"], new["provisional"], new["step_deadline"]) != (
                    row.deadline, row.deadline_provisional, row.step_deadline):
                changes.append({"row_id": row.id, **new})
                counts.update(reached)
    if changes:
        table = Application.__table__
        db.session.execute(update(table).where(table.c.id == bindparam("row_id")).values(
            deadline=bindparam("deadline"), deadline_provisional=bindparam("provisional"),
            step_deadline=bindparam("step_deadline"),
            step_due_soon_from=bindparam("step_due_soon_from")), changes)
    return counts


def _recount(row, version: ItemVersion, years: set[int], newly: set[int]
             ) -> tuple[dict, set[int]]:
    """Return one candidate's deadlines counted again and the years its recounts reached."""
    from app.workflow.deadlines import due_soon_from, step_deadline
    from app.workflow.routing import step_of

    new = {"deadline": row.deadline, "provisional": row.deadline_provisional,
           "step_deadline": row.step_deadline, "step_due_soon_from": row.step_due_soon_from}
    reached: set[int] = set()
    limit = (version.definition or {}).get("time_limit_days")
    if row.deadline_provisional and limit and row.submitted_at and row.deadline:
        submitted = _local(row.submitted_at)
        if _reached(submitted, row.deadline, years):
            reached |= _reached(submitted, row.deadline, years)
            new["deadline"], new["provisional"] = add_working_days(
                submitted, int(limit) + (row.paused_working_days or 0))
    step = step_of(version, row.current_step)
    if row.status == "submitted" and row.step_deadline and row.step_started_at and step:
        started = _local(row.step_started_at)
        if _reached(started, row.step_deadline, newly):
            reached |= _reached(started, row.step_deadline, newly)
            counted = step_deadline(started, step.get("time_limit_days"),
                                    row.working_days_used or 0)
            new["step_deadline"] = counted.date if counted else row.step_deadline
            if counted:  # due soon counted again from it too
                new["step_due_soon_from"] = due_soon_from(counted.date,
                                                          step.get("time_limit_days"))
    return new, reached
