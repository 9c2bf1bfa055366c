"""The SQL every queue shares: scope conditions, filters, row columns, keyset order, and the
statements built once per shape."""
from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from typing import Any, Callable, Optional

from sqlalchemy import Date, and_, bindparam, case, false, func, or_, select, tuple_
from sqlalchemy.sql.elements import ColumnElement

from app.engine.cel_functions import CST
from app.models.application import STATUSES, Application
from app.models.item import Item
from app.models.user import BanshiUser
from app.scoping import is_platform_admin, role_names, scope_condition, subtree_codes
from app.workflow.queue.rows import COLUMNS, _database
from app.workflow.queue.search import search_condition


# --- scope -------------------------------------------------------------------------------------


def _handled_under(user: Any) -> ColumnElement[bool]:
    if is_platform_admin(user):  # a step anywhere; a draft is at none (its citizen's alone)
        return Application.status != "draft"
    if not user.region_code:
        return false()
    return Application.step_region_code.in_(subtree_codes(user.region_code))


def visible_condition(user: Any) -> ColumnElement[bool]:
    """Return the condition on Application rows ``user`` may see as staff (or own)."""
    if user is None:
        return false()
    return or_(scope_condition(Application, user), _handled_under(user))


def _not_own(user: Any, bound: bool = False) -> ColumnElement[bool]:
    """Never the user's own application (as applicant, as its subject, or as the clerk who
    entered it at the counter); ``bound``: with the parameters ``queue_user`` and
    ``queue_id_number`` instead of the user's values."""
    user_id = bindparam("queue_user") if bound else user.id
    condition = and_(Application.applicant_id != user_id,
                     or_(Application.entered_by_id.is_(None), Application.entered_by_id != user_id))
    if user.id_number:
        id_number = bindparam("queue_id_number") if bound else user.id_number
        condition = and_(condition, or_(Application.subject_id_number.is_(None),
                                        Application.subject_id_number != id_number))
    return condition


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), CST)


def _filtered(query, filters: Optional[dict]):
    """Apply ``item`` (code), ``region`` (subtree), ``step``, ``status``, the submission
    days ``submitted_from`` / ``submitted_to`` (dates, Asia/Shanghai, both included) and the
    search box's ``q`` (app.workflow.queue.search)."""
    filters = filters or {}
    if filters.get("q"):
        query = query.where(search_condition(filters["q"]))
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
    if filters.get("urged"):  # 只看已催办: urged at the step it waits at now
        query = query.where(Application.step_urged_at.is_not(None),
                            Application.status == "submitted")
    if filters.get("submitted_from"):
        query = query.where(Application.submitted_at >= _day_start(filters["submitted_from"]))
    if filters.get("submitted_to"):
        query = query.where(Application.submitted_at < _day_start(
            filters["submitted_to"] + dt.timedelta(days=1)))
    return query


# --- rows and their order ----------------------------------------------------------------------


def _row_columns(user: Any = None) -> list:
    """Return COLUMNS and what is computed for the rows returned only (the scan projects them
    after filtering): the account's name where the subject's is missing; with ``user``:
    whether it is the user's own application."""
    columns = [getattr(Application, name) for name in COLUMNS] + [
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
