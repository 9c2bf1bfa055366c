"""Step clocks in working days (app.workdays): started, paused while returned, resumed.

The clock of a step runs from ``step_started_at`` (when it last (re)started) and has used
``working_days_used`` days before that. Counting is app.workdays': the day a clock starts does
not count, the day it stops does. So:

- entering a step on day ``d``: ``step_deadline = add_working_days(d, time_limit_days)``;
- returning on day ``r``: ``working_days_used += working_days_between(start, r)``; no step
  deadline while the citizen corrects;
- resuming on day ``s``: ``step_deadline = add_working_days(s, time_limit_days - used)`` and the
  statutory ``deadline`` moves by ``working_days_between(r, s)`` (补正期间不计入办理时限),
  and the same days are added to ``paused_working_days``;
- closing (办结 or refusal) on day ``c``: ``working_days_taken = working_days_between(
  submitted, c) - paused_working_days`` — what the dashboard's medians read.

``today()``/``now()`` are the application commands' clock (``BANSHI_CLOCK`` in tests).
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from app.commands.applications.context import now, today
from app.engine.cel_functions import CST
from app.models.application import Application
from app.workdays import Deadline, add_working_days, span_provisional, working_days_between

__all__ = ["DUE_SOON_DAYS", "count_pause", "due_soon_cutoff", "local_date", "now", "pause",
           "restart", "shift_statutory", "step_deadline", "step_deadline_provisional", "stop",
           "today", "working_days_left"]

#: "Due soon": the step deadline falls within this many working days from today.
DUE_SOON_DAYS = 2


def local_date(moment: Optional[dt.datetime]) -> Optional[dt.date]:
    """Return the Asia/Shanghai date of an aware datetime."""
    return moment.astimezone(CST).date() if moment is not None else None


def step_deadline(start: dt.date, limit: Optional[int], used: int = 0) -> Optional[Deadline]:
    """Return the deadline of a step started on ``start`` that has already used ``used`` days."""
    if not limit:
        return None
    return add_working_days(start, max(limit - used, 0))


def step_deadline_provisional(application) -> bool:
    """Tell whether ``application``'s step deadline is provisional: the working days counted
    from the step's (re)start to it reach a year without an official schedule (counted weekends
    only). Computed from the dates, so an ORM object or a queue row (app.workflow.queue COLUMNS)
    both do, and the flag clears once that year's schedule is official."""
    deadline = application.step_deadline
    if deadline is None:
        return False
    started = local_date(application.step_started_at) or deadline - dt.timedelta(days=1)
    return span_provisional(min(started, deadline), deadline)


def restart(application: Application, limit: Optional[int], at: dt.datetime) -> None:
    """(Re)start the step clock at ``at``, keeping the working days already used."""
    application.step_started_at = at
    deadline = step_deadline(local_date(at), limit, application.working_days_used or 0)
    application.step_deadline = deadline.date if deadline else None


def pause(application: Application, on: dt.date) -> int:
    """Stop the step clock on ``on`` (a return); return the working days used so far."""
    started = local_date(application.step_started_at) or on
    used, _ = working_days_between(started, on) if on >= started else (0, False)
    application.working_days_used = (application.working_days_used or 0) + used
    application.step_deadline = None
    return application.working_days_used


def shift_statutory(application: Application, paused_from: Optional[dt.date], to: dt.date) -> int:
    """Move the statutory deadline by the working days paused; return how many."""
    if application.deadline is None or paused_from is None or to <= paused_from:
        return 0
    paused, provisional = working_days_between(paused_from, to)
    if paused:
        moved = add_working_days(application.deadline, paused)
        application.deadline = moved.date
        application.deadline_provisional = bool(
            application.deadline_provisional or provisional or moved.provisional)
    return paused


def count_pause(application: Application, paused_from: Optional[dt.date], to: dt.date) -> int:
    """Add the working days from a return to the resubmission to the pause total; return them."""
    if paused_from is None or to <= paused_from:
        return 0
    paused, _ = working_days_between(paused_from, to)
    application.paused_working_days = (application.paused_working_days or 0) + paused
    return paused


def stop(application: Application, on: dt.date) -> Optional[int]:
    """Record the working days from submission to ``on`` (closing) less the days paused."""
    submitted = local_date(application.submitted_at)
    if submitted is None:
        return None
    elapsed = working_days_between(submitted, on)[0] if on > submitted else 0
    application.working_days_taken = max(elapsed - (application.paused_working_days or 0), 0)
    return application.working_days_taken


def due_soon_cutoff(on: Optional[dt.date] = None) -> dt.date:
    """Return the last day counted as "due soon" from ``on`` (today by default)."""
    return add_working_days(on or today(), DUE_SOON_DAYS).date


def working_days_left(application: Application, on: Optional[dt.date] = None) -> Optional[int]:
    """Return the working days left on the current step (negative when overdue), or None."""
    if application.step_deadline is None:
        return None
    on = on or today()
    if on <= application.step_deadline:
        return working_days_between(on, application.step_deadline)[0]
    return -working_days_between(application.step_deadline, on)[0]
