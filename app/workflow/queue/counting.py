"""Queue sizes, capped: a badge never scans the table."""
from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import Integer, bindparam, case, func, literal, select

from app.extensions import db
from app.models.application import Application, StepDecision
from app.scoping import role_names
from app.workflow.queue.candidates import (_late_dates, _late_window, _pending_keeps,
                                           _pending_params, _pending_rows)
from app.workflow.queue.rows import STATES, item_infos
from app.workflow.queue.statements import (_filtered, _handled_under, _keyset, _not_own,
                                           _scope_key, _statement, _user_params,
                                           visible_condition)
from app.workflow.queue.subtrees import handled_in, large_subtree

#: Counts stop here: a larger queue counts as COUNT_CAP + 1 ("1000+").
COUNT_CAP = 1000


def _capped(query):
    """Return the count of ``query``'s rows, stopping after ``queue_window`` of them (in the
    query's order, if it has one: the order of an index keeps the plan a walk of it)."""
    rows = query.with_only_columns(literal(1)).limit(
        bindparam("queue_window", type_=Integer)).subquery()
    return select(func.count()).select_from(rows)


def _pending_count(user: Any, filters) -> int:
    """Count pending rows up to COUNT_CAP + 1, judged as the page judges them: a window of
    candidates grouped by version and step; a window with rows dropped (a step for another
    role) grows."""
    roles = tuple(sorted(role_names(user)))

    def build():
        query = _filtered(_pending_rows(user, roles), filters)
        rows = _keyset(query.with_only_columns(Application.version_id, Application.current_step),
                       None, Application.step_deadline, Application.id).limit(
            bindparam("queue_window", type_=Integer)).subquery()
        return select(rows.c.version_id, rows.c.current_step, func.count()).group_by(
            rows.c.version_id, rows.c.current_step)

    key = ("pending count", roles, bool(user.id_number), bool(user.region_code))
    statement, params = _statement(key, build, filters), _pending_params(user)
    window = COUNT_CAP + 1
    while True:
        groups = db.session.execute(statement, {**params, "queue_window": window}).all()
        items = item_infos({version for version, _step, _n in groups})
        total = sum(n for *_rest, n in groups)
        kept = sum(n for version, step, n in groups
                   if _pending_keeps(items[version], step, roles))
        if total < window or kept > COUNT_CAP:
            return min(kept, COUNT_CAP + 1)
        # Enough rows were dropped to leave the count open: a window the size this one's
        # share of dropped rows asks for (every row in the end).
        window = max(2 * window, (COUNT_CAP + 1) * window // max(kept, 1) + COUNT_CAP // 10)


def _late_count(user: Any, state: str, filters) -> int:
    def build():
        large = large_subtree(user)
        handled = _handled_under(user) if large is None else handled_in(large)
        query = select(Application.id).where(Application.status == "submitted",
                                             _late_window(state),
                                             _not_own(user, bound=True), handled)
        if large is not None:
            # In the deadline index's order: a walk that stops at the cap (unordered,
            # PostgreSQL takes a bitmap of every late step in the database first).
            query = query.order_by(Application.step_deadline, Application.id)
        return _capped(_filtered(query, filters))

    key = ("late count", state, *_scope_key(user), bool(user.id_number),
           large_subtree(user))
    return db.session.scalar(_statement(key, build, filters), {
        **_user_params(user), **_late_dates(state), "queue_window": COUNT_CAP + 1}) or 0


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
