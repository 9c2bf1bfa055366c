"""Reviewers' queues: pending, done, overdue, due soon — scoped, keyset-paginated, counted.

    page = pending(user, {"item": "maternity_allowance"}, after=None, limit=50)
    for entry in page.entries: entry.application, entry.step, entry.decision
    page.after                      # cursor of the next page, None on the last one
    counts(user)                    # {"pending": 3, "done": 10, "overdue": 1, "due_soon": 2}

- ``pending``: what the user can decide now: the current step is handled by the user's region
  (app.workflow.routing) in one of the user's roles; never the user's own application; not yet
  decided by the user this round; ``distinct`` steps after another decision by the user are left
  out. Most urgent first: ``(step_deadline, id)``, steps without a deadline last.
- ``done``: the user's decisions on applications they can still see, newest first.
- ``overdue`` / ``due_soon``: open steps handled in the user's subtree (a city sees its
  counties' late steps: supervision) whose step deadline is before today / within
  :data:`app.workflow.deadlines.DUE_SOON_DAYS` working days.

Visibility for staff (:func:`visible_condition`) is ``app.scoping.scope_condition`` or "the
current step is handled in my subtree" — the second is how a cross-province transfer's sending
agency sees the application it must act on. Cursors are opaque strings; no OFFSET anywhere.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional

from flask import g, has_request_context
from sqlalchemy import Date, and_, exists, false, func, literal, or_, select, true, tuple_
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql.elements import ColumnElement

from app.engine.cel_functions import CST
from app.extensions import db
from app.models.application import STATUSES, Application, StepDecision
from app.models.item import Item, ItemStep
from app.scoping import is_platform_admin, role_names, scope_condition, subtree_codes
from app.workflow import deadlines
from app.workflow.routing import DEFAULT_ROLE, step_of

STATES = ("pending", "done", "overdue", "due_soon")
MAX_LIMIT = 200
_LAST = dt.date(9999, 12, 31)  # sorts steps without a deadline after all others
#: What a queue row shows besides the application: loaded with the page, not row by row.
_ROW_LOADS = (joinedload(Application.item), joinedload(Application.region),
              selectinload(Application.version))


class InvalidCursor(ValueError):
    """The ``after`` cursor is not one this module produced."""


@dataclass(frozen=True)
class QueueEntry:
    application: Application
    step: Optional[dict]  # the current step; for ``done``, the step decided
    decision: Optional[StepDecision] = None  # ``done`` only


@dataclass(frozen=True)
class Page:
    entries: list[QueueEntry]
    after: Optional[str]  # pass as ``after`` for the next page; None: this was the last


def _handled_under(user: Any) -> ColumnElement[bool]:
    if is_platform_admin(user):
        return true()
    if not user.region_code:
        return false()
    return Application.step_region_code.in_(subtree_codes(user.region_code))


def visible_condition(user: Any) -> ColumnElement[bool]:
    """Return the condition on Application rows ``user`` may see as staff (or own)."""
    if user is None:
        return false()
    return or_(scope_condition(Application, user), _handled_under(user))


def _not_own(user: Any) -> ColumnElement[bool]:
    condition = Application.applicant_id != user.id
    if user.id_number:
        condition = and_(condition, or_(Application.subject_id_number.is_(None),
                                        Application.subject_id_number != user.id_number))
    return condition


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), CST)


def _filtered(query, filters: Optional[dict]):
    """Apply ``item`` (code), ``region`` (subtree), ``step``, ``status`` and the submission
    days ``submitted_from`` / ``submitted_to`` (dates, Asia/Shanghai, both included)."""
    filters = filters or {}
    if filters.get("item"):
        query = query.where(Application.item_id.in_(
            select(Item.id).where(Item.code == filters["item"])))
    if filters.get("region"):
        query = query.where(Application.region_code.in_(subtree_codes(filters["region"])))
    if filters.get("step"):
        query = query.where(Application.current_step == filters["step"])
    if filters.get("status"):
        if filters["status"] not in STATUSES:
            raise ValueError(f"unknown status {filters['status']!r}")
        query = query.where(Application.status == filters["status"])
    if filters.get("submitted_from"):
        query = query.where(Application.submitted_at >= _day_start(filters["submitted_from"]))
    if filters.get("submitted_to"):
        query = query.where(Application.submitted_at < _day_start(
            filters["submitted_to"] + dt.timedelta(days=1)))
    return query


def _pending_base(user: Any) -> list[ColumnElement[bool]]:
    roles = role_names(user)
    if not user.region_code or not roles:
        return [false()]
    # A scalar look-up ((version_id, key) is unique), not EXISTS: PostgreSQL would turn EXISTS
    # into a semi-join, misjudge it as a few rows and sort them all instead of walking the index.
    step_role = select(func.coalesce(ItemStep.role, DEFAULT_ROLE)).where(
        ItemStep.version_id == Application.version_id,
        ItemStep.key == Application.current_step).scalar_subquery()
    role_matches = step_role.in_(sorted(roles))
    decided = exists().where(
        StepDecision.application_id == Application.id, StepDecision.actor_id == user.id,
        StepDecision.step_key == Application.current_step,
        StepDecision.round == Application.round)
    return [Application.status == "submitted", Application.step_region_code == user.region_code,
            role_matches, ~decided, _not_own(user)]


def _distinct_blocked(user: Any, base: list) -> list[int]:
    """Return pending candidates at a ``distinct`` step after another decision by the user.

    Small by nature (the user's own earlier decisions on open applications), so it is checked
    against each pinned definition in Python rather than in SQL.
    """
    other = exists().where(StepDecision.application_id == Application.id,
                           StepDecision.actor_id == user.id,
                           StepDecision.step_key != Application.current_step)
    # Driven from the user's decisions (index on actor_id), not from every pending candidate.
    decided_by = Application.id.in_(
        select(StepDecision.application_id).where(StepDecision.actor_id == user.id))
    rows = db.session.scalars(select(Application).where(*base, decided_by, other)
                              .options(selectinload(Application.version)))
    return [a.id for a in rows if (step_of(a.version, a.current_step) or {}).get("distinct")]


def _pending_conditions(user: Any) -> list:
    base = _pending_base(user)
    if not (user.region_code and role_names(user)):
        return base
    # A queue page and its count ask alike: one look-up per request (none is cached outside).
    cache = g.setdefault("_queue_distinct_blocked", {}) if has_request_context() else {}
    if user.id not in cache:
        cache[user.id] = _distinct_blocked(user, base)
    blocked = cache[user.id]
    return base + ([Application.id.notin_(blocked)] if blocked else [])


def _late_conditions(user: Any, state: str) -> list:
    today = deadlines.today()
    window = (Application.step_deadline < today if state == "overdue" else
              Application.step_deadline.between(today, deadlines.due_soon_cutoff(today)))
    return [Application.status == "submitted", window, _handled_under(user), _not_own(user)]


def _conditions(state: str, user: Any) -> list:
    if state == "pending":
        return _pending_conditions(user)
    if state in ("overdue", "due_soon"):
        return _late_conditions(user, state)
    raise ValueError(f"unknown queue state {state!r}; one of {', '.join(STATES)}")


def _deadline_key():
    """The queue order's deadline as one value (no deadline: :data:`_LAST`); for reference and
    ad-hoc queries only: the queues order by ``step_deadline NULLS LAST, id`` so an index on
    ``(…, step_deadline, id)`` serves them without a sort."""
    return func.coalesce(Application.step_deadline, literal(_LAST, Date))


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
    """Keyset pages in ``(step_deadline NULLS LAST, id)`` order, each an index walk: rows with a
    deadline after the cursor, then (only when those run out) the no-deadline rows by id."""
    query = _filtered(select(Application).where(*_conditions(state, user)), filters)
    query = query.options(*_ROW_LOADS)
    deadline, id_ = Application.step_deadline, Application.id
    if not after:
        segments = [query.order_by(deadline.asc().nulls_last(), id_)]
    else:
        day, pk = _parse_deadline_cursor(after)
        nulls = query.where(deadline.is_(None))
        if day is None:
            segments = [nulls.where(id_ > pk).order_by(id_)]
        else:
            segments = [query.where(tuple_(deadline, id_) > tuple_(day, pk))
                        .order_by(deadline, id_),
                        nulls.order_by(id_)]
    rows: list = []
    for segment in segments:
        rows += db.session.scalars(segment.limit(limit + 1 - len(rows)))
        if len(rows) > limit:
            break
    more, rows = len(rows) > limit, rows[:limit]
    cursor = (f"{(rows[-1].step_deadline or _LAST).isoformat()}_{rows[-1].id}"
              if more else None)
    return Page([QueueEntry(a, step_of(a.version, a.current_step)) for a in rows], cursor)


def _done_query(user: Any, filters):
    query = select(StepDecision, Application).join(
        Application, Application.id == StepDecision.application_id).where(
        StepDecision.actor_id == user.id, visible_condition(user))
    return _filtered(query, {k: v for k, v in (filters or {}).items() if k != "step"})


def done(user: Any, filters: Optional[dict] = None, after: Optional[str] = None,
         limit: int = 50) -> Page:
    """Return the user's decisions, newest first (cursor: the last decision's id)."""
    limit = _limit(limit)
    query = _done_query(user, filters)
    if after:
        try:
            query = query.where(StepDecision.id < int(after))
        except ValueError:
            raise InvalidCursor(after) from None
    rows = list(db.session.execute(query.order_by(StepDecision.id.desc()).options(*_ROW_LOADS)
                                   .limit(limit + 1)))
    more, rows = len(rows) > limit, rows[:limit]
    entries = [QueueEntry(a, step_of(a.version, d.step_key), d) for d, a in rows]
    return Page(entries, str(rows[-1][0].id) if more else None)


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
    """Return open steps handled in the user's subtree due within DUE_SOON_DAYS working days."""
    return _by_deadline("due_soon", user, filters, after, _limit(limit))


def queue_page(state: str, user: Any, filters: Optional[dict] = None,
               after: Optional[str] = None, limit: int = 50) -> Page:
    """Return the page of ``state`` (one of :data:`STATES`)."""
    functions = {"pending": pending, "done": done, "overdue": overdue, "due_soon": due_soon}
    if state not in functions:
        raise ValueError(f"unknown queue state {state!r}; one of {', '.join(STATES)}")
    return functions[state](user, filters, after, limit)


def count(state: str, user: Any, filters: Optional[dict] = None) -> int:
    """Return how many rows ``state`` holds for ``user`` (scoped like the queue itself)."""
    if state == "done":
        query = _done_query(user, filters).with_only_columns(func.count(StepDecision.id))
    else:
        query = _filtered(select(func.count(Application.id)).where(*_conditions(state, user)),
                          filters)
    return db.session.scalar(query) or 0


def counts(user: Any, filters: Optional[dict] = None) -> dict[str, int]:
    """Return the size of every queue for ``user``."""
    return {state: count(state, user, filters) for state in STATES}
