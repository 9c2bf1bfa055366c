"""无人可办: waiting applications whose current step no active account may decide now.

    found = unstaffed(user, {"item": "maternity_allowance"})  # scoped as the late queues
    found.count                                                 # exact
    page = found.page(after=None, limit=50)                     # Page, most urgent first
    found.reason(entry.application)                             # NOBODY or EXCLUDED

Scope: the steps handled in the user's subtree (a platform administrator: all), as the late
queues (supervision); ``within`` narrows it to the steps handled in another region's subtree
(``flask applications unstaffed --region``). Whether anybody may decide is
app.workflow.staffing's answer (can_decide's rule), found in a bounded number of statements,
however many applications wait:

1. the waiting applications grouped by handling region, version and step, counted;
2. the pinned versions' steps (the reference cache) and the active accounts that might decide
   them (one statement for all the groups);
3. a group no account's role and region admit is unstaffed whole (:data:`NOBODY`); in the
   others, an application is unstaffed only if every admitted account is excluded from it —
   so the first of them too: one statement (per :data:`HANDLERS_PER_STATEMENT` handling regions)
   reads the rows that exclude it (its applicant or subject, the clerk who entered it, or
   barred by ``step_barred``), each judged in full (:data:`EXCLUDED`);
4. a page: those groups and rows in the queues' keyset order, ``(step_deadline, id)``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from sqlalchemy import and_, false, func, or_, select, true, tuple_

from app.extensions import db
from app.models.application import Application
from app.scoping import subtree_codes
from app.workflow.queue.pages import _limit, _parse_deadline_cursor, _LAST
from app.workflow.queue.rows import ItemInfo, Page, _entries, item_infos, plain_rows
from app.workflow.queue.statements import _filtered, _handled_under, _keyset, _row_columns
from app.workflow.routing import step_role
from app.workflow.staffing import Staff

NOBODY = "nobody"  # no active account holds the step's role where it is handled
EXCLUDED = "excluded"  # those who do may not decide this application
#: The rows that exclude accounts are read for this many handling regions a statement (an OR
#: of one condition each: SQLite parses a longer one past its expression depth limit).
HANDLERS_PER_STATEMENT = 200
#: What the row check reads (can_decide_listed's columns).
_JUDGED = ("id", "version_id", "status", "current_step", "step_region_code", "applicant_id",
           "entered_by_id", "subject_id_number", "step_barred")


@dataclass
class Unstaffed:
    """The unstaffed applications of a scope: whole groups and single rows."""

    scope: Any  # the SQL condition of the scope (status, handling region, filters)
    user: Any
    items: dict[int, ItemInfo]
    groups: list[tuple] = field(default_factory=list)  # (handler, version, step) nobody admits
    ids: set = field(default_factory=set)  # rows whose admitted accounts are all excluded
    count: int = 0

    def reason(self, row: Any) -> str:
        return EXCLUDED if row.id in self.ids else NOBODY

    def page(self, after: Optional[str] = None, limit: int = 50) -> Page:
        """Return a page in ``(step_deadline NULLS LAST, id)`` order; ``after``: the previous
        page's cursor (app.workflow.queue.InvalidCursor when it is not one)."""
        limit = _limit(limit)
        position = _parse_deadline_cursor(after) if after else None
        chosen = []
        if self.groups:
            chosen.append(tuple_(Application.step_region_code, Application.version_id,
                                 Application.current_step).in_(self.groups))
        if self.ids:
            chosen.append(Application.id.in_(sorted(self.ids)))
        if not chosen:
            return Page([], None)
        query = select(*_row_columns()).where(self.scope, or_(*chosen))
        rows = plain_rows(db.session.execute(_keyset(
            query, position, Application.step_deadline, Application.id).limit(limit + 1)).all())
        more, rows = len(rows) > limit, rows[:limit]
        self.items.update(item_infos({r.version_id for r in rows} - set(self.items)))
        cursor = (f"{(rows[-1].step_deadline or _LAST).isoformat()}_{rows[-1].id}"
                  if more else None)
        return Page(_entries(rows, self.items, self.user), cursor)


def _scope(user: Any, filters: Optional[dict], within: Optional[str]):
    condition = and_(Application.status == "submitted",
                     _handled_under(user) if user is not None else true())
    if within:
        condition = and_(condition, Application.step_region_code.in_(subtree_codes(within)))
    return _filtered(select(Application.id).where(condition), filters).whereclause


def unstaffed(user: Any, filters: Optional[dict] = None, within: Optional[str] = None
              ) -> Unstaffed:
    """Find the unstaffed applications ``user`` supervises (None: the whole platform), with
    the queues' ``filters`` (item, region, step, …) and ``within`` a region's subtree."""
    scope = _scope(user, filters, within)
    groups = db.session.execute(select(
        Application.step_region_code, Application.version_id, Application.current_step,
        func.count()).where(scope).group_by(
        Application.step_region_code, Application.version_id, Application.current_step)).all()
    items = item_infos({version for _, version, _, _ in groups})
    found = Unstaffed(scope, user, items)
    if not groups:
        return found
    steps = {(v, k): items[v].steps.get(k) for _, v, k, _ in groups}
    staff = Staff.load({h for h, _, _, _ in groups},
                       {step_role(s) for s in steps.values() if s is not None})
    first: dict[str, set] = {}  # handler → the first admitted account of each staffed group
    for handler, version, key, count in groups:
        admitted = staff.admitted(handler, steps[version, key])
        if admitted:
            first.setdefault(handler, set()).add(admitted[0])
        else:
            found.groups.append((handler, version, key))
            found.count += count
    rows, handlers = [], sorted(first.items())
    for start in range(0, len(handlers), HANDLERS_PER_STATEMENT):
        rows += plain_rows(db.session.execute(select(
            *(getattr(Application, name) for name in _JUDGED)).where(scope, or_(*(
                _excluding(handler, actors)
                for handler, actors in handlers[start:start + HANDLERS_PER_STATEMENT])))).all())
    if rows:
        nobody = set(found.groups)
        found.ids = {row.id for row in rows
                     if (row.step_region_code, row.version_id, row.current_step) not in nobody
                     and not staff.can_decide(row, steps.get((row.version_id, row.current_step)))}
        found.count += len(found.ids)
    return found


def _excluding(handler: str, actors: set) -> Any:
    """Return "handled by ``handler`` and excluding one of ``actors``" (can_decide_listed's
    exclusions, as SQL that may match more: every match is judged in Python)."""
    ids = sorted(actor.id for actor in actors)
    numbers = sorted({actor.id_number for actor in actors if actor.id_number})
    excluded = [Application.applicant_id.in_(ids), Application.entered_by_id.in_(ids),
                *(Application.step_barred.like(f"%,{pk},%") for pk in ids)]
    if numbers:
        excluded.append(Application.subject_id_number.in_(numbers))
    return and_(Application.step_region_code == handler, or_(*excluded)) if handler else false()
