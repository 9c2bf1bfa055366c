"""Step clocks in working days (app.workdays): started, paused while returned, resumed.

The clock of a step runs from ``step_started_at`` (when it last (re)started) and has used
``working_days_used`` days before that. Counting is app.workdays': the day a clock starts does
not count, the day it stops does. So:

- entering a step on day ``d``: ``step_deadline = add_working_days(d, time_limit_days)``, and
  ``step_due_soon_from``, the first day the step counts as due soon (below);
- returning on day ``r``: ``working_days_used += working_days_between(start, r)``; no step
  deadline while the citizen corrects;
- resuming on day ``s``: ``step_deadline = add_working_days(s, time_limit_days - used)`` and the
  statutory ``deadline`` moves by ``working_days_between(r, s)`` (补正期间不计入办理时限),
  and the same days are added to ``paused_working_days``;
- closing (办结 or refusal) on day ``c``: ``working_days_taken = working_days_between(
  submitted, c) - paused_working_days`` — what the dashboard's medians read.

Due soon (临期) is relative to the step's own time limit ``L``: the step is due soon during the
last third of its working days (rounded up, the deadline day always included) and at most the
deadline day and the :data:`DUE_SOON_DAYS` working days before it — so at most
``min(DUE_SOON_DAYS, ceil(L / 3) - 1)`` working days are left (:func:`due_soon_days`). A 2- or
3-day step is due soon on its deadline day only, a 5-day one from the day before, a step of 7
days or more from 2 working days before (the rule every step had before). The first such day is
stored when the step (re)starts (``step_due_soon_from``, :func:`due_soon_from`) so the due-soon
queue is an index walk; a step counted before (NULL) keeps the plain :data:`DUE_SOON_DAYS`
rule. Queue rows, counts, the review page and the API read it alike (:func:`is_due_soon`).

``today()``/``now()`` are the application commands' clock (``BANSHI_CLOCK`` in tests).
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from app.commands.applications.context import now, today
from app.engine.cel_functions import CST
from app.models.application import Application
from app.workdays import (ONE_DAY, Deadline, add_working_days, is_working_day,
                         span_provisional, working_days_between)

__all__ = ["DUE_SOON_DAYS", "count_pause", "due_soon_cutoff", "due_soon_days", "due_soon_from",
           "is_due_soon", "local_date", "now", "pause", "restart", "shift_statutory",
           "step_deadline", "step_deadline_provisional", "stop", "today", "working_days_left"]

#: "Due soon": at most this many working days are left before the step deadline (fewer for a
#: short step: :func:`due_soon_days`).
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


def due_soon_days(limit: Optional[int]) -> int:
    """Return how many working days may be left when a step of ``limit`` working days is due
    soon: the last third of its days, rounded up, at most :data:`DUE_SOON_DAYS` + 1 of them
    (2, 3 → 0: the deadline day only; 4–6 → 1; 7 or more → 2)."""
    if not limit or limit <= 0:
        return DUE_SOON_DAYS
    return max(0, min(DUE_SOON_DAYS, -(-int(limit) // 3) - 1))


def due_soon_from(deadline: Optional[dt.date], limit: Optional[int]) -> Optional[dt.date]:
    """Return the first day a step due on ``deadline`` with ``limit`` working days is due
    soon: the working day :func:`due_soon_days` working days before the deadline (the deadline
    itself for 0). From that day on ``working_days_between(day, deadline) <= due_soon_days``."""
    if deadline is None:
        return None
    day = deadline
    for _ in range(due_soon_days(limit)):
        day -= ONE_DAY
        while not is_working_day(day):
            day -= ONE_DAY
    return day


def restart(application: Application, limit: Optional[int], at: dt.datetime) -> None:
    """(Re)start the step clock at ``at``, keeping the working days already used."""
    application.step_started_at = at
    deadline = step_deadline(local_date(at), limit, application.working_days_used or 0)
    application.step_deadline = deadline.date if deadline else None
    application.step_due_soon_from = due_soon_from(application.step_deadline, limit)
    application.step_urged_at = None  # an urge was of the step (or round) left behind


def pause(application: Application, on: dt.date) -> int:
    """Stop the step clock on ``on`` (a return); return the working days used so far."""
    started = local_date(application.step_started_at) or on
    used, _ = working_days_between(started, on) if on >= started else (0, False)
    application.working_days_used = (application.working_days_used or 0) + used
    application.step_deadline = application.step_due_soon_from = None
    application.step_urged_at = None
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
    """Return the last deadline that can be due soon on ``on`` (today by default): the
    :data:`DUE_SOON_DAYS`-th working day after it."""
    return add_working_days(on or today(), DUE_SOON_DAYS).date


def is_due_soon(deadline: Optional[dt.date], starts: Optional[dt.date], on: dt.date,
                cutoff: dt.date) -> bool:
    """Tell whether a deadline is due soon on ``on`` (``cutoff``: :func:`due_soon_cutoff`
    of it), ``starts`` being its ``step_due_soon_from`` (None: the :data:`DUE_SOON_DAYS`
    rule) — the condition the due-soon queue puts in SQL (app.workflow.queue.candidates)."""
    if deadline is None or not on <= deadline <= cutoff:
        return False
    return starts is None or starts <= on


def working_days_left(application: Application, on: Optional[dt.date] = None) -> Optional[int]:
    """Return the working days left on the current step (negative when overdue), or None."""
    if application.step_deadline is None:
        return None
    on = on or today()
    if on <= application.step_deadline:
        return working_days_between(on, application.step_deadline)[0]
    return -working_days_between(application.step_deadline, on)[0]
