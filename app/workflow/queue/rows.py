"""What a queue row carries: the page and entry shapes, pinned versions' items, region names
(both from the reference cache)."""
from __future__ import annotations

import datetime as dt
import functools
from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Optional

from flask_babel import get_locale
from sqlalchemy import select

from app.extensions import db
from app.models.item import ItemVersion
from app.reference_cache import cached_many
from app.region_tree import region_tree
from app.workflow.cosign import CoSign, progress
from app.workflow.routing import Actor, can_decide_listed

STATES = ("pending", "done", "overdue", "due_soon")
MAX_LIMIT = 200
#: What a queue row carries of the application (``step_started_at``: when the step deadline's
#: count began, to tell whether it is provisional; ``step_due_soon_from``: when the step is due
#: soon; app.workflow.deadlines; ``step_urged_at``: when the applicant urged the step, 已催办).
COLUMNS = ("id", "serial", "version_id", "region_code", "subject_name", "subject_id_number",
           "status", "current_step", "step_region_code", "submitted_at", "step_deadline",
           "deadline", "lock_version", "applicant_id", "entered_by_id", "step_barred",
           "step_signed", "step_started_at", "step_due_soon_from", "step_urged_at")
#: The reference cache's namespace of ItemInfo by version id.
ITEMS_NAMESPACE = "queue_item"


class InvalidCursor(ValueError):
    """The ``after`` cursor is not one the queues produced."""


class ItemInfo(NamedTuple):
    """What a queue row shows of its pinned version: item code, name, steps by key, its
    wording for statuses (``outcomes``). Not its ``summary``: the rows carry no answers (loading
    them slowed every queue page by a quarter, docs/engine.md)."""

    code: str
    name: Any  # {"zh": …, "en": …} or text
    steps: dict[str, dict]
    outcomes: Any = None

    @classmethod
    def of(cls, definition: Optional[dict]) -> "ItemInfo":
        definition = definition or {}
        steps: dict[str, dict] = {}
        for step in definition.get("approval") or ():
            if isinstance(step, dict):
                steps.setdefault(step.get("key"), step)
        return cls(definition.get("code") or "", definition.get("name") or "", steps,
                   definition.get("outcomes"))


class Decision(NamedTuple):
    """One of the user's decisions (已办): what they did, on which step, when."""

    id: int
    step_key: str
    decision: str
    at: dt.datetime
    step: Optional[dict] = None  # the step decided, from the pinned definition


class QueueEntry(NamedTuple):
    """One row of a queue. ``step`` is always the step the application waits at now (None when
    it waits at none: returned, closed); in 已办 the step decided is ``decision.step``."""

    application: Any  # a row: COLUMNS and applicant_name
    step: Optional[dict]  # the current step, while the application is submitted
    decision: Optional[Decision] = None  # ``done`` only
    item: Optional[ItemInfo] = None
    region_name: Optional[str] = None  # of ``application.region_code``, in the current locale
    #: The user may decide the current step now, by can_decide's rules
    #: (app.workflow.routing.can_decide_listed): always in pending; in the late queues false
    #: for what the user only supervises; in 已办 true when it is the user's turn again.
    yours_to_decide: bool = False
    #: The current step's 会签 progress (None unless it needs several approvers): from the
    #: row's ``step_signed`` (app.workflow.cosign), no statement of its own.
    cosign: Optional[CoSign] = None


@dataclass(frozen=True)
class Page:
    entries: list[QueueEntry]
    after: Optional[str]  # pass as ``after`` for the next page; None: this was the last


@functools.lru_cache(maxsize=64)
def _row_class(fields: tuple[str, ...]) -> type:
    return namedtuple("QueueRow", fields)


def plain_rows(rows: Sequence) -> list:
    """Return ``rows`` (SQLAlchemy rows of one statement) as named tuples: the same fields by
    name and position, but reading a field is a tuple lookup (a Row's attribute access goes
    through ``__getattr__``, ten times slower; a page reads each row's fields a dozen times)."""
    if not rows:
        return []
    make = _row_class(tuple(rows[0]._fields))._make
    return [make(row) for row in rows]


def _database() -> str:
    return db.engine.url.render_as_string()


def _load_infos(versions: list[int]) -> dict[int, ItemInfo]:
    rows = db.session.execute(select(ItemVersion.id, ItemVersion.definition).where(
        ItemVersion.id.in_(sorted(versions))))
    found = {version: ItemInfo.of(definition) for version, definition in rows}
    return {version: found.get(version) or ItemInfo.of(None) for version in versions}


def item_infos(versions: set[int]) -> dict[int, ItemInfo]:
    """Return ``{version_id: ItemInfo}``: kept with the reference data (app.reference_cache),
    the versions not seen in this generation read in one query."""
    return cached_many(ITEMS_NAMESPACE, versions, _load_infos)


def _region_names(codes: set[str]) -> dict[str, str]:
    """Return the names of region ``codes`` in the current locale, from the region tree
    (app.region_tree)."""
    nodes, locale = region_tree().nodes, get_locale()  # the locale once, not once a name
    return {code: nodes[code].name_for(locale) for code in codes if code in nodes}


def _entries(rows, items: dict[int, ItemInfo], user: Any, decision_of_row=None) -> list:
    """Return the rows as QueueEntry (``decision_of_row(row, item)``: 已办's Decision)."""
    names = _region_names({r.region_code for r in rows})
    actor = Actor.of(user)
    entries = []
    for r in rows:
        item = items[r.version_id]
        step = item.steps.get(r.current_step) if r.status == "submitted" else None
        entries.append(QueueEntry(
            r, step, decision_of_row(r, item) if decision_of_row else None, item,
            names.get(r.region_code), can_decide_listed(actor, r, step), progress(r, step)))
    return entries
