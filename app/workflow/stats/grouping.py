"""The dashboard's one statement: the applications in view, grouped and counted in SQL.

It groups the matching applications by their plain columns (item, region, status, working
days taken) and everything else — item codes, the drill-down level, the counts, the medians
(app.workflow.stats.median) — works on those groups. What comes back is bounded by items ×
child regions × statuses (plus the medians' rows); nothing loops over applications in Python.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import (Date, Float, Integer, String, and_, case, cast, func, literal_column,
                        null, select, union_all)
from sqlalchemy.sql.elements import ColumnElement

from app.engine.cel_functions import CST
from app.extensions import db
from app.models.application import Application, StepDecision
from app.models.item import Item
from app.models.region import Region
from app.scoping import scope_condition
from app.workflow import deadlines
from app.workflow.stats.median import KEYS, medians
from app.workflow.stats.regions import subtree_codes
from app.workflow.stats.rows import DECIDED, Filters

#: PostgreSQL memory for the dashboard statement's hash tables (SET LOCAL, see run).
WORK_MEM = "32MB"
#: The zone of the dashboard's days (the PostgreSQL session's while the statement runs).
LOCAL_ZONE = "Asia/Shanghai"
#: The sums of each group, in the order the statement returns them.
SUMS = ("n", "late", "with_deadline", "returns")


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _local_day(moment) -> ColumnElement:
    """The Asia/Shanghai date of a UTC timestamp column (SQLite keeps naive UTC text).

    PostgreSQL: a plain cast, read in the session time zone that :func:`run` sets — a
    ``timezone('Asia/Shanghai', …)`` per row looks the zone up on every call.
    """
    if _dialect() == "postgresql":
        return cast(moment, Date)
    return func.date(moment, "+8 hours")


def _child_code(prefix_length: int) -> ColumnElement:
    """The code of the chosen region's child on the application region's path ("" for itself).

    Paths are ``130000/130200/130203/``; the chosen region's path is ``prefix_length`` long.
    """
    start = literal_column(str(int(prefix_length) + 1))  # inline: the same text in GROUP BY
    rest = func.substr(Region.path, start)
    if _dialect() == "postgresql":
        return func.split_part(rest, literal_column("'/'"), literal_column("1"))
    return func.substr(rest, literal_column("1"), func.instr(rest, literal_column("'/'")) - 1)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), CST)


def _application_groups(user: Any, filters: Filters, region: Optional[Region]):
    """Return the in-scope, filtered applications grouped by their plain columns (item id,
    region code, status, working days taken): count, overdue, with a deadline, returns.

    Grouping raw columns first is what keeps a million rows cheap: the joins to item and region,
    the drill-down level and the medians then work on these groups, not on applications.
    """
    today = deadlines.today()
    closed_on = _local_day(Application.closed_at)
    returned_on = Application.return_request["returned_on"].as_string()
    late = case(
        (and_(Application.status.in_(DECIDED), closed_on > Application.deadline), 1),
        (and_(Application.status == "submitted", Application.deadline < today), 1),
        (and_(Application.status == "returned",
              returned_on > cast(Application.deadline, String)), 1),
        else_=0)
    with_deadline = case((and_(Application.deadline.is_not(None),
                               Application.status != "withdrawn"), 1), else_=0)
    # All returns per application (the partial index ix_step_decision_return), hash-joined.
    returns = (select(StepDecision.application_id.label("application_id"),
                      func.count().label("n"))
               .where(StepDecision.decision == "return")
               .group_by(StepDecision.application_id).subquery("returns"))
    conditions = [Application.submitted_at.is_not(None), Application.status != "draft",
                  scope_condition(Application, user)]
    if region is not None:
        conditions.append(Application.region_code.in_(subtree_codes(region)))
    if filters.item:
        conditions.append(Application.item_id.in_(
            select(Item.id).where(Item.code == filters.item)))
    if filters.submitted_from:
        conditions.append(Application.submitted_at >= _day_start(filters.submitted_from))
    if filters.submitted_to:
        conditions.append(Application.submitted_at < _day_start(
            filters.submitted_to + dt.timedelta(days=1)))
    keys = (Application.item_id, Application.region_code, Application.status,
            Application.working_days_taken)
    return (select(*keys, func.count().label("n"), func.sum(late).label("late"),
                   func.sum(with_deadline).label("with_deadline"),
                   func.sum(func.coalesce(returns.c.n, 0)).label("returns"))
            .outerjoin(returns, returns.c.application_id == Application.id)
            .where(*conditions).group_by(*keys).subquery("groups"))


def _histogram(user: Any, filters: Filters, region: Optional[Region]):
    """Return a CTE: per item code, child region, status and working days taken, the sums."""
    groups = _application_groups(user, filters, region)
    child = _child_code(len(region.path) if region is not None else 0)
    keys = (Item.code.label("item"), child.label("child"), groups.c.status.label("status"),
            groups.c.working_days_taken.label("days"))
    return (select(*keys, *(func.sum(groups.c[name]).label(name) for name in SUMS))
            .select_from(groups)
            .join(Region, Region.code == groups.c.region_code)
            .join(Item, Item.id == groups.c.item_id)
            .group_by(*keys).cte("histogram"))


def _statement(user: Any, filters: Filters, region: Optional[Region]):
    """Return the one statement of the dashboard: rows (kind, item, child, status, n, late,
    with_deadline, returns, median) — kind "counts" per item × child × status, then "item",
    "child" and "all" medians. Its days are right only as :func:`run` executes it."""
    histogram = _histogram(user, filters, region)
    no_text, no_number = cast(null(), String), cast(null(), Integer)
    counts = (select(literal_column("'counts'").label("kind"), histogram.c.item,
                     histogram.c.child, histogram.c.status,
                     *(cast(func.sum(histogram.c[name]), Integer) for name in SUMS),
                     cast(null(), Float))
              .group_by(histogram.c.item, histogram.c.child, histogram.c.status))
    parts = []
    for key in KEYS:
        query = medians(histogram, key).subquery()
        kind, value, median = query.c
        parts.append(select(kind, value if key == "item" else no_text,
                            value if key == "child" else no_text, no_text,
                            no_number, no_number, no_number, no_number, median))
    return union_all(counts, *parts)


def run(user: Any, filters: Filters, region: Optional[Region]) -> list:
    """Execute the dashboard's statement and return its rows.

    PostgreSQL: inside a savepoint that sets, for this statement only, no JIT (on a million
    applications compiling took longer, 4–6 s in every parallel worker, than running it),
    WORK_MEM (the default 4 MB made the grouping sort) and the local time zone
    (:func:`_local_day`); rolling the savepoint back undoes all three.
    """
    query = _statement(user, filters, region)
    if _dialect() != "postgresql":
        return db.session.execute(query).all()
    with db.session.begin_nested() as savepoint:
        db.session.execute(select(*(func.set_config(name, value, True) for name, value in (
            ("jit", "off"), ("work_mem", WORK_MEM), ("TimeZone", LOCAL_ZONE)))))
        rows = db.session.execute(query).all()
        savepoint.rollback()
    return rows
