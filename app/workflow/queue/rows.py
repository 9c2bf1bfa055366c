"""What a queue row carries: the page and entry shapes, pinned versions' items, region names."""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any, NamedTuple, Optional

from sqlalchemy import select

from app.extensions import db
from app.models.item import ItemVersion
from app.models.region import Region

STATES = ("pending", "done", "overdue", "due_soon")
MAX_LIMIT = 200
#: What a queue row carries of the application.
COLUMNS = ("id", "serial", "version_id", "region_code", "subject_name", "subject_id_number",
           "status", "current_step", "step_region_code", "submitted_at", "step_deadline",
           "deadline", "lock_version")
#: Seconds a region's name is kept (names change rarely: an administrator renames a 医保 node).
REGION_NAMES_TTL = 300.0
_ITEMS_MAX = 4096


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
    region_name: Optional[str] = None  # of ``application.region_code``


@dataclass(frozen=True)
class Page:
    entries: list[QueueEntry]
    after: Optional[str]  # pass as ``after`` for the next page; None: this was the last


def _database() -> str:
    return db.engine.url.render_as_string()


_ITEMS: dict[tuple[int, str], ItemInfo] = {}


def item_infos(pairs: set[tuple[int, str]]) -> dict[int, ItemInfo]:
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
