"""What a queue row carries: the page and entry shapes, pinned versions' items, region names
(both from the reference cache)."""
from __future__ import annotations

import datetime as dt
import functools
from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Optional

from sqlalchemy import select

from app.extensions import db
from app.models.item import ItemVersion
from app.reference_cache import cached_many
from app.region_tree import region_tree

STATES = ("pending", "done", "overdue", "due_soon")
MAX_LIMIT = 200
#: What a queue row carries of the application.
COLUMNS = ("id", "serial", "version_id", "region_code", "subject_name", "subject_id_number",
           "status", "current_step", "step_region_code", "submitted_at", "step_deadline",
           "deadline", "lock_version")
#: The reference cache's namespace of ItemInfo by version id.
ITEMS_NAMESPACE = "queue_item"


class InvalidCursor(ValueError):
    """The ``after`` cursor is not one the queues produced."""


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
    region_name: Optional[str] = None  # of ``application.region_code``, in the current locale


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
    nodes = region_tree().nodes
    return {code: nodes[code].name_for() for code in codes if code in nodes}


def _entries(rows, items: dict[int, ItemInfo], step_of_row, decision_of_row=None) -> list:
    names = _region_names({r.region_code for r in rows})
    return [QueueEntry(r, items[r.version_id].steps.get(step_of_row(r)),
                       decision_of_row(r) if decision_of_row else None, items[r.version_id],
                       names.get(r.region_code)) for r in rows]
