"""The dashboard's figures (办件统计), aggregated in SQL within what the viewer may see.

    region = stats.viewing_region(user, "130200")      # RegionNotInScope outside the subtree
    figures = stats.dashboard(user, stats.Filters(submitted_from=date(2025, 9, 1), item=None),
                              region)
    figures.totals, figures.by_item, figures.by_region, figures.by_status

Every figure is about the applications **submitted** in the period (drafts never count) in the
chosen region's subtree — and among those, only what ``app.scoping.scope_condition`` lets the
viewer see: a region never widens the scope, it narrows it.

- *median processing time*: over the approved and refused applications, ``working_days_taken``
  (working days from submission to closing, the days with the citizen after a return left out;
  written when the application closes, app.workflow.deadlines.stop). Exact — what
  ``percentile_cont(0.5)`` gives — but read off a histogram of whole days (see _medians), so
  it costs no sort of the applications on either database.
- *overdue*: among the applications the bureau has to decide (all but the withdrawn) that carry
  a statutory deadline: closed after the deadline day, still under review after it (today), or
  returned when it had already passed (the clock is paused while the citizen corrects).
- *returns*: return-for-correction decisions (``StepDecision.decision == "return"``) on these
  applications, and per 100 applications.
- *by region*: per child of the chosen region (the drill-down level); applications filed at
  the chosen region itself form their own row (key ``""``).

Cost: one statement. It groups the matching applications by their plain columns (item,
region, status, working days taken) — read through ``ix_application_region_submitted`` or one
scan, returns from the partial ``ix_step_decision_return`` — and everything else (item codes,
the drill-down level, the counts, the medians from cumulative counts) works on those groups.
Nothing loops over applications in Python: what comes back is bounded by items × child
regions × statuses. On PostgreSQL the statement runs without JIT and with WORK_MEM.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Optional

from sqlalchemy import (Date, Float, Integer, String, and_, case, cast, func, literal_column,
                        null, select, text, union_all)
from sqlalchemy.sql.elements import ColumnElement

from app.engine.cel_functions import CST
from app.engine.fields import EngineContext
from app.extensions import db
from app.models.application import Application, StepDecision
from app.models.item import Item, ItemVersion
from app.models.region import Region
from app.scoping import in_subtree, is_platform_admin, scope_condition
from app.workflow import deadlines

#: The statuses a submitted application can have, in the order the dashboard shows them.
STATUSES = ("submitted", "returned", "approved", "refused", "withdrawn")
OPEN = ("submitted", "returned")
DECIDED = ("approved", "refused")
#: The drill-down row of applications filed at the chosen region itself.
ITSELF = ""
#: PostgreSQL memory for the dashboard statement's hash tables (SET LOCAL, this transaction).
WORK_MEM = "32MB"


class RegionNotInScope(LookupError):
    """The region asked for does not exist or lies outside the viewer's subtree."""


@dataclass(frozen=True)
class Filters:
    submitted_from: Optional[dt.date] = None  # Asia/Shanghai days, both ends included
    submitted_to: Optional[dt.date] = None
    item: Optional[str] = None  # an item code (a variant's applications count under its code)


@dataclass
class Row:
    """The figures of one group (an item, a child region, or everything)."""

    key: str
    label: str = ""
    statuses: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    with_deadline: int = 0  # the overdue rate's denominator
    returns: int = 0
    median_days: Optional[float] = None

    @property
    def applications(self) -> int:
        return sum(self.statuses.values())

    @property
    def open(self) -> int:
        return sum(self.statuses.get(status, 0) for status in OPEN)

    @property
    def decided(self) -> int:
        return sum(self.statuses.get(status, 0) for status in DECIDED)

    @property
    def overdue_rate(self) -> Optional[float]:
        """Overdue share in per cent, or None when nothing here has a deadline."""
        return 100.0 * self.overdue / self.with_deadline if self.with_deadline else None

    @property
    def returns_per_100(self) -> Optional[float]:
        return 100.0 * self.returns / self.applications if self.applications else None

    def add(self, status: str, count: int, overdue: int, with_deadline: int) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + count
        self.overdue += overdue
        self.with_deadline += with_deadline


@dataclass
class Figures:
    region: Optional[Region]  # None: the whole country
    totals: Row
    by_item: list[Row]
    by_region: list[Row]

    @property
    def by_status(self) -> list[tuple[str, int]]:
        return [(status, self.totals.statuses.get(status, 0)) for status in STATUSES]


# --- the region being looked at ---------------------------------------------------------------

def top_region(user: Any) -> Optional[str]:
    """Return the region at the top of what ``user`` may look at; None for the whole country.

    :raises RegionNotInScope: staff without a region see nothing.
    """
    if is_platform_admin(user):
        return None
    if not getattr(user, "region_code", None):
        raise RegionNotInScope()
    return user.region_code


def viewing_region(user: Any, code: Optional[str] = None) -> Optional[Region]:
    """Return the region ``code`` (default: the top of the viewer's subtree) if in scope.

    :raises RegionNotInScope: unknown or outside the viewer's subtree (the same either way).
    """
    top = top_region(user)
    code = code or top
    if code is None:
        return None
    region = db.session.get(Region, code)
    if region is None or (top is not None and not in_subtree(code, top)):
        raise RegionNotInScope()
    return region


def trail(user: Any, region: Optional[Region]) -> list[Region]:
    """Return the regions from the top of the viewer's subtree down to ``region``."""
    if region is None:
        return []
    codes = region.path.strip("/").split("/")
    top = top_region(user)
    if top is not None:
        codes = codes[codes.index(top):] if top in codes else [region.code]
    return list(db.session.scalars(select(Region).where(Region.code.in_(codes))
                                   .order_by(func.length(Region.path))))


# --- SQL pieces ---------------------------------------------------------------------------------

def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _local_day(moment) -> ColumnElement:
    """The Asia/Shanghai date of a UTC timestamp column (SQLite keeps naive UTC text)."""
    if _dialect() == "postgresql":
        return cast(func.timezone("Asia/Shanghai", moment), Date)
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
        conditions.append(Application.region_code.in_(
            select(Region.code).where(Region.path.startswith(region.path, autoescape=True))))
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
    return (select(*keys, *(func.sum(groups.c[name]).label(name)
                            for name in ("n", "late", "with_deadline", "returns")))
            .select_from(groups)
            .join(Region, Region.code == groups.c.region_code)
            .join(Item, Item.id == groups.c.item_id)
            .group_by(*keys).cte("histogram"))


def _medians(histogram, key: Optional[str]):
    """Return SELECT (kind, key, median) of the decided applications' working days per ``key``
    ("item", "child", or None for all), read off the histogram's cumulative counts: the
    median of N values is the mean of the smallest day with 2·cum ≥ N and of the smallest
    with 2·cum > N — exact, as ``percentile_cont(0.5)``, without sorting applications."""
    days, count = histogram.c.days, func.sum(histogram.c.n)
    column = histogram.c[key] if key else literal_column("''")
    partition = {"partition_by": column} if key else {}
    cumulative = (select(column.label("key"), days.label("days"),
                         func.sum(count).over(order_by=days, **partition).label("cum"),
                         func.sum(count).over(**partition).label("total"))
                  .where(histogram.c.status.in_(DECIDED), days.is_not(None))
                  .group_by(*((column,) if key else ()), days).subquery())
    lower = func.min(case((2 * cumulative.c.cum >= cumulative.c.total, cumulative.c.days)))
    upper = func.min(case((2 * cumulative.c.cum > cumulative.c.total, cumulative.c.days)))
    return (select(literal_column(f"'{key or 'all'}'").label("kind"), cumulative.c.key,
                   cast((lower + upper) / 2.0, Float))
            .group_by(cumulative.c.key))


def _statement(user: Any, filters: Filters, region: Optional[Region]):
    """Return the one statement of the dashboard: rows (kind, item, child, status, n, late,
    with_deadline, returns, median) — kind "counts" per item × child × status, then "item",
    "child" and "all" medians."""
    histogram = _histogram(user, filters, region)
    no_text, no_number = cast(null(), String), cast(null(), Integer)
    counts = (select(literal_column("'counts'").label("kind"), histogram.c.item,
                     histogram.c.child, histogram.c.status,
                     *(cast(func.sum(histogram.c[name]), Integer)
                       for name in ("n", "late", "with_deadline", "returns")),
                     cast(null(), Float))
              .group_by(histogram.c.item, histogram.c.child, histogram.c.status))
    medians = []
    for key in ("item", "child", None):
        query = _medians(histogram, key).subquery()
        kind, value, median = query.c
        medians.append(select(kind, value if key == "item" else no_text,
                              value if key == "child" else no_text, no_text,
                              no_number, no_number, no_number, no_number, median))
    return union_all(counts, *medians)


def _tuned() -> None:
    """PostgreSQL: no JIT and room to hash for this transaction's dashboard statement.

    Measured on a million applications: JIT compiling took longer (4–6 s, in every parallel
    worker) than running the statement, and the default 4 MB work_mem made the grouping sort.
    """
    if _dialect() == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))
        db.session.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))


# --- the figures --------------------------------------------------------------------------------

def dashboard(user: Any, filters: Filters, region: Optional[Region],
              locale: str = "zh") -> Figures:
    """Return the dashboard's figures for ``user`` looking at ``region`` (from viewing_region)."""
    totals, items, children = Row(ITSELF), {}, {}
    medians = {"all": {ITSELF: totals}, "item": items, "child": children}
    _tuned()
    rows = db.session.execute(_statement(user, filters, region)).all()
    for kind, item, child, status, count, late, with_deadline, returns, median in rows:
        if kind == "counts":
            child = child or ITSELF
            for row in (totals, items.setdefault(item, Row(item)),
                        children.setdefault(child, Row(child))):
                row.add(status, int(count), int(late or 0), int(with_deadline or 0))
                row.returns += int(returns or 0)
        elif median is not None:
            key = item if kind == "item" else child if kind == "child" else ITSELF
            medians[kind][key or ITSELF].median_days = float(median)
    names = item_names(items, locale)
    for code, row in items.items():
        row.label = names.get(code, code)
    return Figures(region=region, totals=totals,
                   by_item=sorted(items.values(), key=lambda r: (-r.applications, r.key)),
                   by_region=_region_rows(region, children))


def _region_rows(region: Optional[Region], found: dict[str, Row]) -> list[Row]:
    """Return a row per current child of ``region`` (and any other child with applications)."""
    parent = Region.parent_code == region.code if region is not None \
        else Region.parent_code.is_(None)
    children = db.session.execute(
        select(Region.code, Region.name, Region.valid_to).where(parent).order_by(Region.code))
    rows = []
    for code, name, valid_to in children:
        if valid_to is None or code in found:
            row = found.get(code) or Row(code)
            row.label = name
            rows.append(row)
    if ITSELF in found:
        found[ITSELF].label = region.name if region is not None else ""
        rows.insert(0, found[ITSELF])
    return rows


def item_names(codes, locale: str = "zh") -> dict[str, str]:
    """Return each item code's name in ``locale`` (from its newest published version)."""
    codes = sorted(set(codes))
    if not codes:
        return {}
    context = EngineContext(locale=locale)
    names: dict[str, str] = {}
    query = (select(Item.code, Item.name_zh, ItemVersion.definition["name"])
             .outerjoin(ItemVersion, ItemVersion.item_id == Item.id)
             .where(Item.code.in_(codes)).order_by(Item.id, ItemVersion.number))
    for code, name_zh, name in db.session.execute(query):
        names[code] = context.text(name) or name_zh or code
    return names
