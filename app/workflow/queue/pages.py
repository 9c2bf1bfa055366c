"""Queue pages: keyset walks in deadline order (pending, overdue, due soon), 已办 by decision."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Optional

from sqlalchemy import Integer, bindparam, select

from app.extensions import db
from app.models.application import Application, StepDecision
from app.scoping import role_names
from app.workflow.queue.candidates import _fetch, _pending_keeps
from app.workflow.queue.rows import (MAX_LIMIT, STATES, Decision, InvalidCursor, ItemInfo, Page,
                                     _entries, item_infos, plain_rows)
from app.workflow.queue.statements import (_filtered, _row_columns, _scope_key, _statement,
                                           visible_condition)

_LAST = dt.date(9999, 12, 31)  # a cursor inside the no-deadline segment


def _parse_deadline_cursor(after: str) -> tuple[Optional[dt.date], int]:
    """Return ``(deadline, id)`` of a cursor; deadline None: inside the no-deadline segment
    (written as :data:`_LAST`, as cursors always were)."""
    try:
        day, pk = after.split("_", 1)
        deadline = dt.date.fromisoformat(day)
        return (None if deadline == _LAST else deadline), int(pk)
    except (AttributeError, ValueError):
        raise InvalidCursor(after) from None


def _by_deadline(state: str, user: Any, filters, after, limit) -> Page:
    """Keyset pages in ``(step_deadline NULLS LAST, id)`` order: rows with a deadline after the
    cursor, then (only when those run out) the no-deadline rows by id, ``limit`` + 1 rows at a
    time. Rows the SQL leaves to this function (pending: :func:`_pending_keeps`, a step for
    another role; late: the user's own applications) are dropped here and the walk goes on
    until the page is full."""
    position = _parse_deadline_cursor(after) if after else None
    kept: list = []
    items: dict[int, ItemInfo] = {}
    roles = role_names(user)
    batch = 0
    while len(kept) <= limit:
        # Each further batch at least twice the last: many rows dropped in a row cost a few
        # statements, not one per page-full.
        batch = max(limit + 1 - len(kept), 2 * batch)
        rows = _fetch(state, user, filters, position, batch)
        items.update(item_infos({r.version_id for r in rows}))
        for r in rows:
            if (_pending_keeps(items[r.version_id], r.current_step, roles)
                    if state == "pending" else r.not_own):
                kept.append(r)
                if len(kept) > limit:
                    break
        if len(rows) == batch:
            position = (rows[-1].step_deadline, rows[-1].id)
        elif position is None or position[0] is None:
            break  # the walk covered the no-deadline rows too
        else:
            position = (None, 0)  # dated rows ran out: the no-deadline segment from its start
    more, kept = len(kept) > limit, kept[:limit]
    cursor = (f"{(kept[-1].step_deadline or _LAST).isoformat()}_{kept[-1].id}"
              if more else None)
    return Page(_entries(kept, items, user), cursor)


def _done_query(user: Any, filters):
    query = select(
        StepDecision.id.label("decision_id"), StepDecision.step_key.label("decision_step"),
        StepDecision.decision.label("decision"), StepDecision.at.label("decided_at"),
        *_row_columns(),
    ).join(Application, Application.id == StepDecision.application_id).where(
        StepDecision.actor_id == user.id, visible_condition(user))
    return _filtered(query, {k: v for k, v in (filters or {}).items() if k != "step"})


def done(user: Any, filters: Optional[dict] = None, after: Optional[str] = None,
         limit: int = 50) -> Page:
    """Return the user's decisions, newest first (cursor: the last decision's id)."""
    limit = _limit(limit)
    params = {"queue_batch": limit + 1}
    if after:
        try:
            params["queue_after"] = int(after)
        except ValueError:
            raise InvalidCursor(after) from None

    def build():
        query = _done_query(user, filters)
        if after:
            query = query.where(StepDecision.id < bindparam("queue_after", type_=Integer))
        return query.order_by(StepDecision.id.desc()).limit(
            bindparam("queue_batch", type_=Integer))

    # The statement holds the user's scope (app.scoping): one per user and shape.
    key = ("done", user.id, *_scope_key(user), bool(after))
    rows = plain_rows(
        db.session.connection().execute(_statement(key, build, filters), params).all())
    more, rows = len(rows) > limit, rows[:limit]
    items = item_infos({r.version_id for r in rows})
    entries = _entries(rows, items, user, lambda r, item: Decision(
        r.decision_id, r.decision_step, r.decision, r.decided_at,
        item.steps.get(r.decision_step)))
    return Page(entries, str(rows[-1].decision_id) if more else None)


def _limit(limit: Any) -> int:
    return max(1, min(int(limit or 50), MAX_LIMIT))


def pending(user: Any, filters: Optional[dict] = None, after: Optional[str] = None,
            limit: int = 50) -> Page:
    """Return what ``user`` can decide now, most urgent first."""
    return _by_deadline("pending", user, filters, after, _limit(limit))


def overdue(user: Any, filters: Optional[dict] = None, after: Optional[str] = None,
            limit: int = 50) -> Page:
    """Return open steps handled in the user's subtree whose step deadline has passed."""
    return _by_deadline("overdue", user, filters, after, _limit(limit))


def due_soon(user: Any, filters: Optional[dict] = None, after: Optional[str] = None,
             limit: int = 50) -> Page:
    """Return open steps handled in the user's subtree that are due soon (relative to each
    step's own limit, at most DUE_SOON_DAYS working days before its deadline)."""
    return _by_deadline("due_soon", user, filters, after, _limit(limit))


def queue_page(state: str, user: Any, filters: Optional[dict] = None,
               after: Optional[str] = None, limit: int = 50) -> Page:
    """Return the page of ``state`` (one of :data:`STATES`)."""
    functions: dict[str, Callable[..., Page]] = {
        "pending": pending, "done": done, "overdue": overdue, "due_soon": due_soon}
    if state not in functions:
        raise ValueError(f"unknown queue state {state!r}; one of {', '.join(STATES)}")
    return functions[state](user, filters, after, limit)
