"""Reviewers' queues: pending, done, overdue, due soon — scoped, keyset-paginated, counted.

    page = pending(user, {"item": "maternity_allowance"}, after=None, limit=50)
    for entry in page.entries: entry.application.serial, entry.item.code, entry.step
    page.after                      # cursor of the next page, None on the last one
    count("pending", user)          # 3; COUNT_CAP + 1 means "more than COUNT_CAP"
    counts(user)                    # {"pending": 3, "done": 10, "overdue": 1, "due_soon": 2}

- ``pending``: what the user can decide now: the current step is handled by the user's region
  (app.workflow.routing) in one of the user's roles; never the user's own application; not yet
  decided by the user this round; ``distinct`` steps after another decision by the user are left
  out. Most urgent first: ``(step_deadline, id)``, steps without a deadline last.
- ``done``: the user's decisions on applications they can still see, newest first.
- ``overdue`` / ``due_soon``: open steps handled in the user's subtree (a city sees its
  counties' late steps: supervision) whose step deadline is before today / within
  :data:`app.workflow.deadlines.DUE_SOON_DAYS` working days; most urgent first, as pending.

Visibility for staff (:func:`visible_condition`) is ``app.scoping.scope_condition`` or "the
current step is handled in my subtree" — the second is how a cross-province transfer's sending
agency sees the application it must act on. Cursors are opaque strings; no OFFSET anywhere.

Rows are not ORM objects. ``entry.application`` is a row of :data:`COLUMNS` (what a list shows)
plus ``applicant_name`` (the account's name where the subject's is missing); ``entry.item``
(code, name, steps) is read from the pinned version's definition and kept per process under the
version's id and definition hash (a published version never changes); ``entry.region_name``
comes from a per-process look-up kept :data:`REGION_NAMES_TTL` seconds; ``entry.decision``
(done) is a :class:`Decision`.

Every page is an index walk in queue order, never a sort of all the matches:

- pending: ``ix_application_step_region`` at the user's region. What needs the definition or
  the user's decisions (the step's role, decided this round, ``distinct``) is read per row and
  judged in Python (:func:`_pending_keeps`); the walk asks for a third more rows than the page
  shows for that;
- overdue / due soon (PostgreSQL): for each region of the user's subtree an index-only walk of
  the same index, at most a page each (LATERAL), the first page of those, then the rows by
  primary key; a platform administrator walks ``ix_application_step_deadline``;
- done: ``ix_step_decision_actor`` (actor_id, id) backwards, each application by primary key.

A page is one statement — another when it crosses from dated to undated steps or when dropped
rows leave it short — plus the definitions of versions and names of regions not seen before.
The statements are built once per shape and reused with parameters. Counts stop after
:data:`COUNT_CAP` rows: a badge never scans the table.
"""
from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple, Optional

from sqlalchemy import (Date, Integer, and_, bindparam, case, false, func, literal, or_, select,
                        true, tuple_)
from sqlalchemy.sql.elements import ColumnElement

from app.engine.cel_functions import CST
from app.extensions import db
from app.models.application import STATUSES, Application, StepDecision
from app.models.item import Item, ItemStep, ItemVersion
from app.models.region import Region
from app.models.user import BanshiUser
from app.scoping import is_platform_admin, role_names, scope_condition, subtree_codes
from app.workflow import deadlines
from app.workflow.routing import DEFAULT_ROLE

STATES = ("pending", "done", "overdue", "due_soon")
MAX_LIMIT = 200
#: Counts stop here: a larger queue counts as COUNT_CAP + 1 ("1000+").
COUNT_CAP = 1000
#: What a queue row carries of the application.
COLUMNS = ("id", "serial", "version_id", "region_code", "subject_name", "subject_id_number",
           "status", "current_step", "step_region_code", "submitted_at", "step_deadline",
           "deadline", "lock_version")
#: Seconds a region's name is kept (names change rarely: an administrator renames a 医保 node).
REGION_NAMES_TTL = 300.0
_LAST = dt.date(9999, 12, 31)  # a cursor inside the no-deadline segment
_ITEMS_MAX = 4096


class InvalidCursor(ValueError):
    """The ``after`` cursor is not one this module produced."""


class ItemInfo(NamedTuple):
    """What a queue row shows of its pinned version: item code, name, steps by key."""

    code: str
    name: Any  # {"zh": …, "en": …} or text
    steps: dict[str, dict]

    @classmethod
    def of(cls, definition: Optional[dict]) -> "ItemInfo":
        definition = definition or {}
        steps: dict[str, dict] = {}
        for step in definition.get("approval") or ():
            if isinstance(step, dict):
                steps.setdefault(step.get("key"), step)
        return cls(definition.get("code") or "", definition.get("name") or "", steps)


class Decision(NamedTuple):
    id: int
    step_key: str
    decision: str
    at: dt.datetime


class QueueEntry(NamedTuple):
    application: Any  # a row: COLUMNS and applicant_name
    step: Optional[dict]  # the current step; for ``done``, the step decided
    decision: Optional[Decision] = None  # ``done`` only
    item: Optional[ItemInfo] = None
    region_name: Optional[str] = None  # of ``application.region_code``


@dataclass(frozen=True)
class Page:
    entries: list[QueueEntry]
    after: Optional[str]  # pass as ``after`` for the next page; None: this was the last


# --- scope -------------------------------------------------------------------------------------

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


def _not_own(user: Any, bound: bool = False) -> ColumnElement[bool]:
    """Never the user's own application (as applicant or as its subject); ``bound``: with
    the parameters ``queue_user`` and ``queue_id_number`` instead of the user's values."""
    user_id = bindparam("queue_user") if bound else user.id
    condition = Application.applicant_id != user_id
    if user.id_number:
        id_number = bindparam("queue_id_number") if bound else user.id_number
        condition = and_(condition, or_(Application.subject_id_number.is_(None),
                                        Application.subject_id_number != id_number))
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


# --- which rows --------------------------------------------------------------------------------

def _row_columns(user: Any = None) -> list:
    """Return COLUMNS and what is computed for the rows returned only (the scan projects them
    after filtering): the definition hash and the account's name where the subject's is
    missing; with ``user``: whether it is the user's own application."""
    columns = [getattr(Application, name) for name in COLUMNS] + [
        select(ItemVersion.lint_hash).where(ItemVersion.id == Application.version_id)
        .scalar_subquery().label("definition_hash"),
        case((func.coalesce(Application.subject_name, "") == "",
              select(BanshiUser.first_name).where(BanshiUser.id == Application.applicant_id)
              .scalar_subquery())).label("applicant_name"),
    ]
    if user is not None:
        columns.append(_not_own(user, bound=True).label("not_own"))
    return columns


def _keyset(query, position, deadline, id_):
    """Return ``query`` after ``position`` in ``(deadline NULLS LAST, id)`` order: None (from
    the start), ``(day, id)`` (dated rows after it) or ``(None, id)`` (undated rows after it)."""
    if position is None:
        return query.order_by(deadline.asc().nulls_last(), id_)
    if position[0] is None:
        # Ordered as the index is (the deadline is NULL throughout): by id alone, PostgreSQL
        # may walk the primary key instead and filter its way through the table.
        return query.where(deadline.is_(None), id_ > position[1]).order_by(
            deadline.asc().nulls_last(), id_)
    return query.where(tuple_(deadline, id_) > tuple_(*position)).order_by(deadline, id_)


# Statements built once per shape and reused (least recently used dropped): building and
# keying a statement of this size costs about as much as running it. What varies between
# calls of one shape is a parameter (``queue_*``); what a shape bakes in is in its key.
_BUILT: OrderedDict[tuple, Any] = OrderedDict()
_BUILT_MAX = 512
_BUILT_LOCK = threading.Lock()


def _database() -> str:
    return db.engine.url.render_as_string()


def _statement(key: tuple, build: Callable[[], Any], filters) -> Any:
    """Return ``build()``, kept under ``key`` (and the database) when there are no filters."""
    if filters:
        return build()
    key = (_database(), *key)
    with _BUILT_LOCK:
        statement = _BUILT.get(key)
        if statement is not None:
            _BUILT.move_to_end(key)
            return statement
    statement = build()
    with _BUILT_LOCK:
        _BUILT[key] = statement
        while len(_BUILT) > _BUILT_MAX:
            _BUILT.popitem(last=False)
    return statement


def _scope_key(user: Any) -> tuple:
    """Return what a statement holding the user's scope (app.scoping) depends on: roles,
    region and that region's path (loaded with the signed-in user)."""
    region = user.region if user.region_code else None
    return (tuple(sorted(role_names(user))), user.region_code,
            region.path if region is not None else None)


def _bound_position(position) -> tuple[Optional[str], Optional[tuple], dict]:
    """Return the cursor's kind, its parameters' placeholders for :func:`_keyset` and values."""
    if position is None:
        return None, None, {}
    values = {"queue_day": position[0], "queue_pk": position[1]}
    if position[0] is None:
        return "undated", (None, bindparam("queue_pk")), values
    return "dated", (bindparam("queue_day", type_=Date), bindparam("queue_pk")), values


def _user_params(user: Any) -> dict:
    return {"queue_user": user.id, "queue_region": user.region_code,
            "queue_id_number": user.id_number}


def _pending_query(user: Any, filters, position=None) -> tuple[Any, dict]:
    """Return the pending candidates after ``position`` (keyset order, LIMIT ``queue_batch``)
    and the statement's parameters; :func:`_pending_keeps` decides on each.

    One walk of ``ix_application_step_region`` at the user's region, submitted, not the user's
    own. What needs the definition or the user's decisions is read per row and judged in
    Python: ``mark`` says whether the user decided this step this round (2) or another step
    (1); the step's role comes from the definition, except for a user without the default role
    (whose steps are the exception), where ``item_step`` keeps the walk to them. The user's
    values are parameters: one statement per shape.
    """
    roles = tuple(sorted(role_names(user)))
    kind, at, values = _bound_position(position)

    def build():
        query = _filtered(_pending_rows(user, roles), filters)
        return _keyset(query, at, Application.step_deadline, Application.id).limit(
            bindparam("queue_batch", type_=Integer))

    key = ("pending", roles, bool(user.id_number), bool(user.region_code), kind)
    return _statement(key, build, filters), {**_user_params(user), **values}


def _pending_rows(user: Any, roles: tuple):
    decision = StepDecision.__table__.alias("mine")
    mark = select(func.max(case(
        (and_(decision.c.step_key == Application.current_step,
              decision.c.round == Application.round), 2),
        (decision.c.step_key != Application.current_step, 1), else_=0))).where(
        decision.c.application_id == Application.id,
        decision.c.actor_id == bindparam("queue_user")).scalar_subquery()
    query = select(*_row_columns(), mark.label("mark"))
    if not user.region_code or not roles:
        return query.where(false())
    query = query.where(Application.step_region_code == bindparam("queue_region"),
                        Application.status == "submitted", _not_own(user, bound=True))
    if DEFAULT_ROLE not in roles:
        query = query.join(ItemStep, and_(
            ItemStep.version_id == Application.version_id,
            ItemStep.key == Application.current_step)).where(ItemStep.role.in_(roles))
    return query


def _pending_keeps(item: ItemInfo, step_key: Optional[str], mark: Optional[int],
                   roles: set[str]) -> bool:
    """Tell whether a pending candidate is the user's to decide: the step exists and is for one
    of the user's roles, not decided by the user this round, and not ``distinct`` after the
    user's decision on another step."""
    step = item.steps.get(step_key)
    if step is None or (step.get("role") or DEFAULT_ROLE) not in roles or mark == 2:
        return False
    return not (mark == 1 and step.get("distinct"))


def _late_window(state: str) -> tuple[ColumnElement[bool], dict]:
    """Return the deadline window of ``state`` and its parameters (today, the cutoff)."""
    today = deadlines.today()
    if state == "overdue":
        return Application.step_deadline < bindparam("queue_today", type_=Date), {
            "queue_today": today}
    return Application.step_deadline.between(
        bindparam("queue_today", type_=Date), bindparam("queue_cutoff", type_=Date)), {
        "queue_today": today, "queue_cutoff": deadlines.due_soon_cutoff(today)}


def _late_candidates(user: Any, window, filters, at):
    """Return a subquery of the first ``queue_batch`` ``(id, step_deadline)`` after ``at``.

    PostgreSQL: for each region of the user's subtree (``app.scoping.subtree_codes``) the
    index-only walk of ``ix_application_step_region`` (LATERAL, a batch at most), the first
    batch of those; a platform administrator walks ``ix_application_step_deadline``.
    Elsewhere one query over the subtree.
    """
    batch = bindparam("queue_batch", type_=Integer)
    query = _filtered(select(Application.id, Application.step_deadline).where(
        Application.status == "submitted", window), filters)
    if is_platform_admin(user):
        return _keyset(query, at, Application.step_deadline, Application.id).limit(
            batch).subquery("top")
    if not user.region_code:
        return query.where(false()).subquery("top")
    codes = subtree_codes(user.region_code)
    if db.engine.dialect.name != "postgresql":
        query = query.where(Application.step_region_code.in_(codes))
        return _keyset(query, at, Application.step_deadline, Application.id).limit(
            batch).subquery("top")
    regions = codes.subquery("regions")
    walk = _keyset(query.where(Application.step_region_code == regions.c.code), at,
                   Application.step_deadline, Application.id).limit(batch).lateral("walk")
    merged = select(walk.c.id, walk.c.step_deadline).select_from(regions).join(walk, true())
    return merged.order_by(walk.c.step_deadline, walk.c.id).limit(batch).subquery("top")


def _late_query(user: Any, state: str, filters, position) -> tuple[Any, dict]:
    """Return the late rows after ``position`` with whether each is the user's own, and the
    parameters. The statement holds the user's subtree: one per region and shape."""
    window, dates = _late_window(state)
    kind, at, values = _bound_position(position)

    def build():
        top = _late_candidates(user, window, filters, at)
        return select(*_row_columns(user)).join(top, Application.id == top.c.id).order_by(
            top.c.step_deadline, top.c.id)

    key = ("late", state, *_scope_key(user), bool(user.id_number), kind)
    return _statement(key, build, filters), {**_user_params(user), **dates, **values}


def _fetch(state: str, user: Any, filters, position, batch: int) -> list:
    """Return up to ``batch`` rows of ``state`` after ``position``, in queue order."""
    if state == "pending":
        query, params = _pending_query(user, filters, position)
    elif state in ("overdue", "due_soon"):
        if position is not None and position[0] is None:
            return []  # late rows all have a deadline
        query, params = _late_query(user, state, filters, position)
    else:
        raise ValueError(f"unknown queue state {state!r}; one of {', '.join(STATES)}")
    return db.session.connection().execute(query, {**params, "queue_batch": batch}).all()


# --- definitions of the pinned versions --------------------------------------------------------

_ITEMS: dict[tuple[int, str], ItemInfo] = {}


def _items(pairs: set[tuple[int, str]]) -> dict[int, ItemInfo]:
    """Return ``{version_id: ItemInfo}`` for ``(version_id, definition hash)`` pairs."""
    missing = sorted({version for version, digest in pairs if (version, digest) not in _ITEMS})
    if missing:
        if len(_ITEMS) > _ITEMS_MAX:
            _ITEMS.clear()
        for version, digest, definition in db.session.execute(
                select(ItemVersion.id, ItemVersion.lint_hash, ItemVersion.definition)
                .where(ItemVersion.id.in_(missing))):
            _ITEMS[(version, digest)] = ItemInfo.of(definition)
    return {version: _ITEMS.get((version, digest)) or ItemInfo.of(None)
            for version, digest in pairs}


_REGION_NAMES: dict[tuple[str, str], tuple[float, str]] = {}


def _region_names(codes: set[str]) -> dict[str, str]:
    """Return the names of region ``codes``, kept per process for REGION_NAMES_TTL seconds."""
    database, now = _database(), time.monotonic()
    names, missing = {}, []
    for code in codes:
        kept = _REGION_NAMES.get((database, code))
        if kept is not None and kept[0] > now:
            names[code] = kept[1]
        else:
            missing.append(code)
    if missing:
        for code, name in db.session.execute(
                select(Region.code, Region.name).where(Region.code.in_(sorted(missing)))):
            _REGION_NAMES[(database, code)] = (now + REGION_NAMES_TTL, name)
            names[code] = name
    return names


def _entries(rows, items: dict[int, ItemInfo], step_of_row, decision_of_row=None) -> list:
    names = _region_names({r.region_code for r in rows})
    return [QueueEntry(r, items[r.version_id].steps.get(step_of_row(r)),
                       decision_of_row(r) if decision_of_row else None, items[r.version_id],
                       names.get(r.region_code)) for r in rows]


# --- pages -------------------------------------------------------------------------------------

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
    cursor, then (only when those run out) the no-deadline rows by id. Rows the SQL leaves to
    this function (pending: :func:`_pending_keeps`; late: the user's own applications) are
    dropped here and the walk goes on until the page is full; pending asks for a few more rows
    than it shows for that."""
    position = _parse_deadline_cursor(after) if after else None
    kept: list = []
    items: dict[int, ItemInfo] = {}
    roles = role_names(user)
    spare = max(4, limit // 3) if state == "pending" else 0
    batch = 0
    while len(kept) <= limit:
        # Each further batch at least twice the last: many rows dropped in a row cost a few
        # statements, not one per page-full.
        batch = max(limit + 1 - len(kept) + spare, 2 * batch)
        rows = _fetch(state, user, filters, position, batch)
        items.update(_items({(r.version_id, r.definition_hash) for r in rows}))
        for r in rows:
            if (_pending_keeps(items[r.version_id], r.current_step, r.mark, roles)
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
    return Page(_entries(kept, items, lambda r: r.current_step), cursor)


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
    rows = db.session.connection().execute(_statement(key, build, filters), params).all()
    more, rows = len(rows) > limit, rows[:limit]
    items = _items({(r.version_id, r.definition_hash) for r in rows})
    entries = _entries(rows, items, lambda r: r.decision_step, lambda r: Decision(
        r.decision_id, r.decision_step, r.decision, r.decided_at))
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
    """Return open steps handled in the user's subtree due within DUE_SOON_DAYS working days."""
    return _by_deadline("due_soon", user, filters, after, _limit(limit))


def queue_page(state: str, user: Any, filters: Optional[dict] = None,
               after: Optional[str] = None, limit: int = 50) -> Page:
    """Return the page of ``state`` (one of :data:`STATES`)."""
    functions: dict[str, Callable[..., Page]] = {
        "pending": pending, "done": done, "overdue": overdue, "due_soon": due_soon}
    if state not in functions:
        raise ValueError(f"unknown queue state {state!r}; one of {', '.join(STATES)}")
    return functions[state](user, filters, after, limit)


# --- counts ------------------------------------------------------------------------------------

def _capped(query):
    """Return the count of ``query``'s rows, stopping after ``queue_window`` of them (in the
    query's order, if it has one: the order of an index keeps the plan a walk of it)."""
    rows = query.with_only_columns(literal(1)).limit(
        bindparam("queue_window", type_=Integer)).subquery()
    return select(func.count()).select_from(rows)


def _pending_count(user: Any, filters) -> int:
    """Count pending rows up to COUNT_CAP + 1, judged as the page judges them: a window of
    candidates grouped by version, step and ``mark``; a window too full of dropped rows grows."""
    roles = tuple(sorted(role_names(user)))

    def build():
        query = _filtered(_pending_rows(user, roles), filters)
        rows = _keyset(query.with_only_columns(
            Application.version_id, Application.current_step, query.selected_columns.mark),
            None, Application.step_deadline, Application.id).limit(
            bindparam("queue_window", type_=Integer)).subquery()
        digest = select(ItemVersion.lint_hash).where(ItemVersion.id == rows.c.version_id)
        return select(rows.c.version_id, rows.c.current_step, rows.c.mark,
                      digest.scalar_subquery(), func.count()).group_by(
            rows.c.version_id, rows.c.current_step, rows.c.mark)

    key = ("pending count", roles, bool(user.id_number), bool(user.region_code))
    statement, params = _statement(key, build, filters), _user_params(user)
    window = COUNT_CAP + 1 + COUNT_CAP // 4  # a quarter more: some rows are dropped
    while True:
        groups = db.session.execute(statement, {**params, "queue_window": window}).all()
        items = _items({(version, digest) for version, _step, _mark, digest, _n in groups})
        total = sum(n for *_rest, n in groups)
        kept = sum(n for version, step, mark, _digest, n in groups
                   if _pending_keeps(items[version], step, mark, roles))
        if total < window or kept > COUNT_CAP:
            return min(kept, COUNT_CAP + 1)
        # Enough rows were dropped to leave the count open: a window the size this one's
        # share of dropped rows asks for (every row in the end).
        window = max(2 * window, (COUNT_CAP + 1) * window // max(kept, 1) + COUNT_CAP // 10)


def _late_count(user: Any, state: str, filters) -> int:
    window, dates = _late_window(state)

    def build():
        query = select(Application.id).where(Application.status == "submitted", window,
                                             _not_own(user, bound=True), _handled_under(user))
        return _capped(_filtered(query, filters))

    key = ("late count", state, *_scope_key(user), bool(user.id_number))
    return db.session.scalar(_statement(key, build, filters), {
        **_user_params(user), **dates, "queue_window": COUNT_CAP + 1}) or 0


def _done_count(user: Any, filters) -> int:
    """Count the user's decisions up to COUNT_CAP + 1: a window of the newest (an index-only
    walk of ``ix_step_decision_actor``), then how many of them the user may still see; a window
    with decisions left out grows."""

    def build():
        decisions = select(StepDecision.application_id).where(
            StepDecision.actor_id == user.id).order_by(StepDecision.id.desc()).limit(
            bindparam("queue_window", type_=Integer)).subquery()
        shown = _filtered(select(Application.id).where(
            Application.id == decisions.c.application_id, visible_condition(user)),
            {k: v for k, v in (filters or {}).items() if k != "step"}).exists()
        return select(func.coalesce(func.sum(case((shown, 1), else_=0)), 0), func.count()
                      ).select_from(decisions)

    statement = _statement(("done count", user.id, *_scope_key(user)), build, filters)
    window = COUNT_CAP + 1
    while True:
        kept, total = db.session.execute(statement, {"queue_window": window}).one()
        if total < window or kept > COUNT_CAP:
            return min(kept, COUNT_CAP + 1)
        window *= 4


def count(state: str, user: Any, filters: Optional[dict] = None) -> int:
    """Return how many rows ``state`` holds for ``user`` (scoped like the queue itself),
    counting at most COUNT_CAP: a larger queue returns COUNT_CAP + 1."""
    if state == "done":
        return _done_count(user, filters)
    if state == "pending":
        return _pending_count(user, filters)
    if state in ("overdue", "due_soon"):
        return _late_count(user, state, filters)
    raise ValueError(f"unknown queue state {state!r}; one of {', '.join(STATES)}")


def count_text(value: int) -> str:
    """Return a count as a list shows it: "1000+" past COUNT_CAP."""
    return f"{COUNT_CAP}+" if value > COUNT_CAP else str(value)


def counts(user: Any, filters: Optional[dict] = None) -> dict[str, int]:
    """Return the size of every queue for ``user`` (each capped as :func:`count`)."""
    return {state: count(state, user, filters) for state in STATES}
