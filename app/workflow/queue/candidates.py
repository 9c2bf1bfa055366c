"""Which rows the deadline queues walk: the pending and late statements, and what is judged
in Python after them."""
from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import Date, Integer, and_, bindparam, false, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db
from app.models.application import Application
from app.models.item import ItemStep
from app.scoping import is_platform_admin, role_names, subtree_codes
from app.workflow import deadlines
from app.workflow.queue.rows import STATES, ItemInfo, plain_rows
from app.workflow.queue.statements import (_bound_position, _filtered, _keyset, _not_own,
                                           _row_columns, _scope_key, _statement, _user_params)
from app.workflow.queue.subtrees import handled_in, large_subtree
from app.workflow.routing import DEFAULT_ROLE


def _pending_query(user: Any, filters, position=None) -> tuple[Any, dict]:
    """Return the pending candidates after ``position`` (keyset order, LIMIT ``queue_batch``)
    and the statement's parameters; :func:`_pending_keeps` decides on each.

    One walk of ``ix_application_step_region`` at the user's region: submitted, not the user's
    own, the user not barred from the step (``step_barred``: co-signed it this round, or a
    ``distinct`` step after deciding another). The step's role comes from the definition,
    except for a user without the default role (whose steps are the exception), where
    ``item_step`` keeps the walk to them. The user's values are parameters: one statement per
    shape.
    """
    roles = tuple(sorted(role_names(user)))
    kind, at, values = _bound_position(position)

    def build():
        query = _filtered(_pending_rows(user, roles), filters)
        return _keyset(query, at, Application.step_deadline, Application.id).limit(
            bindparam("queue_batch", type_=Integer))

    key = ("pending", roles, bool(user.id_number), bool(user.region_code), kind)
    return _statement(key, build, filters), {**_pending_params(user), **values}


def _pending_params(user: Any) -> dict:
    return {**_user_params(user), "queue_barred": f"%,{user.id},%"}


def _pending_rows(user: Any, roles: tuple):
    query = select(*_row_columns())
    if not user.region_code or not roles:
        return query.where(false())
    query = query.where(
        Application.step_region_code == bindparam("queue_region"),
        Application.status == "submitted", _not_own(user, bound=True),
        or_(Application.step_barred.is_(None),
            Application.step_barred.not_like(bindparam("queue_barred"))))
    if DEFAULT_ROLE not in roles:
        query = query.join(ItemStep, and_(
            ItemStep.version_id == Application.version_id,
            ItemStep.key == Application.current_step)).where(ItemStep.role.in_(roles))
    return query


def _pending_keeps(item: ItemInfo, step_key: Optional[str], roles: set[str]) -> bool:
    """Tell whether a pending candidate is the user's to decide: its step exists in the pinned
    definition and is for one of the user's roles (the SQL has judged the rest)."""
    step = item.steps.get(step_key)
    return step is not None and (step.get("role") or DEFAULT_ROLE) in roles


def _late_window(state: str) -> ColumnElement[bool]:
    """Return the deadline window of ``state`` (parameters: :func:`_late_dates`). Due soon is
    app.workflow.deadlines.is_due_soon: the deadline within DUE_SOON_DAYS working days (the
    range the index walks) and the step's own ``step_due_soon_from`` reached (read from the
    same index: no table row is read for it)."""
    today = bindparam("queue_today", type_=Date)
    if state == "overdue":
        return Application.step_deadline < today
    return and_(Application.step_deadline.between(today, bindparam("queue_cutoff", type_=Date)),
                or_(Application.step_due_soon_from.is_(None),
                    Application.step_due_soon_from <= today))


def _late_dates(state: str) -> dict:
    """Return the parameters of ``state``'s window: today and (due soon) the cutoff."""
    today = deadlines.today()
    if state == "overdue":
        return {"queue_today": today}
    return {"queue_today": today, "queue_cutoff": deadlines.due_soon_cutoff(today)}


def _late_candidates(user: Any, window, filters, at):
    """Return a subquery of the first ``queue_batch`` ``(id, step_deadline)`` after ``at``.

    PostgreSQL: for each region of the user's subtree (``app.scoping.subtree_codes``) the
    index-only walk of ``ix_application_step_region`` (LATERAL, a batch at most), the first
    batch of those. A platform administrator walks ``ix_application_step_deadline``, and so
    does a large subtree (a province: app.workflow.queue.subtrees). Elsewhere one query over
    the subtree. Runs when a statement is built.
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
    large = large_subtree(user)
    if large is not None:
        query = query.where(handled_in(large))
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
    kind, at, values = _bound_position(position)

    def build():
        top = _late_candidates(user, _late_window(state), filters, at)
        return select(*_row_columns(user)).join(top, Application.id == top.c.id).order_by(
            top.c.step_deadline, top.c.id)

    key = ("late", state, *_scope_key(user), bool(user.id_number), kind,
           large_subtree(user))
    return _statement(key, build, filters), {
        **_user_params(user), **_late_dates(state), **values}


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
    return plain_rows(db.session.connection().execute(
        query, {**params, "queue_batch": batch}).all())
