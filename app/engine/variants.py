"""Regional variants: which item is in effect for a region, and what changed upstream.

**In effect for region R**: walk R's path to the root (R, its parent, … the province, the
country); at each region take the published, not retired, items that have a version in effect
(:func:`starts_on` not after the day asked about); the nearest one with the code asked
for — or deriving, directly or through its ancestors, from an item with that code — wins. So a
city variant overrides the province item in the city's subtree only, and a variant whose first
version starts next month leaves the province item in effect until then.

**Pinning**: a variant's version is the merge (:mod:`app.engine.merge`) of its overrides onto the
parent version it was published against (``ItemVersion.derives_version``); a newer parent version
changes nothing until the variant is published again. :func:`upstream_changes` lists what the
newer parent version changed, for the administrator deciding to republish.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field as dataclass_field
from typing import Optional

from sqlalchemy import select

from app.clock import today as clock_today
from app.engine.cel_functions import CST
from app.engine.merge import ITEM_KEYS, Merged, merge  # noqa: F401  (re-exported)
from app.extensions import db
from app.models.item import Item, ItemVersion
from app.models.region import Region


@dataclass(frozen=True)
class Change:
    """One difference between two versions of a parent: ``part`` field/material/step/item."""

    part: str
    key: str
    change: str  # added, removed, changed
    settings: tuple = dataclass_field(default=())

    def __str__(self) -> str:
        detail = f" ({', '.join(self.settings)})" if self.settings else ""
        return f"{self.part} {self.key} {self.change}{detail}"


def _parts(definition: dict) -> dict[tuple[str, str], dict]:
    parts = {("item", key): {"value": definition[key]} for key in ITEM_KEYS if key in definition}
    for page in definition.get("pages", []):
        for field in page.get("fields", []):
            parts[("field", field["key"])] = dict(field, page=page.get("key"))
            for child in field.get("fields", []) if isinstance(field.get("fields"), list) else []:
                parts[("field", f"{field['key']}.{child['key']}")] = child
    for part, name in (("materials", "material"), ("approval", "step")):
        for item in definition.get(part, []):
            parts[(name, item["key"])] = item
    return parts


def diff_definitions(old: dict, new: dict) -> list[Change]:
    """Return what ``new`` added, removed or changed relative to ``old``, in a stable order."""
    before, after = _parts(old), _parts(new)
    changes = []
    for ident in list(before) + [i for i in after if i not in before]:
        if ident not in after:
            changes.append(Change(ident[0], ident[1], "removed"))
        elif ident not in before:
            changes.append(Change(ident[0], ident[1], "added"))
        else:
            a, b = before[ident], after[ident]
            settings = tuple(k for k in list(a) + [k for k in b if k not in a]
                             if k != "fields" and a.get(k) != b.get(k))
            if settings:
                changes.append(Change(ident[0], ident[1], "changed", settings))
    return changes


def today() -> dt.date:
    """Return today in China by the application's clock (``BANSHI_CLOCK`` in tests)."""
    return clock_today()


def region_chain(region_code: str) -> list[str]:
    """Return ``region_code`` and its ancestors, nearest first (empty for an unknown region)."""
    path = db.session.scalar(select(Region.path).where(Region.code == region_code))
    return list(reversed(path.strip("/").split("/"))) if path else []


def starts_on(version: ItemVersion) -> dt.date:
    """Return the first day ``version`` is in effect: its effective date, or the day it was
    published (China time) when that is later or there is no date — a version is never in
    effect on a day before it was published, whatever date it names."""
    published = version.published_at.astimezone(CST).date() if version.published_at else None
    if published is None:
        return version.effective_from or dt.date.min
    return max(version.effective_from, published) if version.effective_from else published


def version_in_effect(item: Item, on: Optional[dt.date] = None) -> Optional[ItemVersion]:
    """Return the newest version of ``item`` in effect on ``on`` (default today): the newest
    whose :func:`starts_on` is not after that day."""
    on = on or today()
    if not item.in_service(on):  # retired, or past its scheduled end
        return None
    for version in reversed(item.versions):
        if starts_on(version) <= on:
            return version
    return None


def derivation_codes(item: Item) -> set[str]:
    """Return the codes of ``item`` and of every item it derives from (cycle-safe)."""
    codes, seen = set(), set()
    while item is not None and item.id not in seen:
        seen.add(item.id)
        codes.add(item.code)
        item = item.derives
    return codes


def _candidates(region_code: str, on: Optional[dt.date]) -> list[tuple[int, Item, ItemVersion]]:
    """Return (distance, item, version in effect) on the region's path, nearest first."""
    chain = region_chain(region_code)
    if not chain:
        return []
    items = db.session.scalars(select(Item).where(
        Item.region_code.in_(chain), Item.status == "published")).all()
    found = [(chain.index(item.region_code), item, version) for item in items
             if (version := version_in_effect(item, on)) is not None]
    return sorted(found, key=lambda entry: (entry[0], entry[1].code))


def effective_version(code: str, region_code: str,
                      on: Optional[dt.date] = None) -> Optional[ItemVersion]:
    """Return the version of item ``code`` in effect in region ``region_code``, or None.

    At the same distance an item with exactly that code wins over one deriving from it.
    """
    ranked = sorted(_candidates(region_code, on), key=lambda e: (e[0], e[1].code != code))
    for _distance, item, version in ranked:
        if code in derivation_codes(item):
            return version
    return None


def effective_item(code: str, region_code: str, on: Optional[dt.date] = None) -> Optional[Item]:
    version = effective_version(code, region_code, on)
    return version.item if version is not None else None


def versions_in_effect(region_code: str, on: Optional[dt.date] = None) -> list[ItemVersion]:
    """Return the versions a citizen of ``region_code`` can apply for (the catalogue).

    A variant hides the items it derives from that lie in regions above its own.
    """
    result, shadowed, codes = [], set(), set()
    for _distance, item, version in _candidates(region_code, on):
        if item.id in shadowed or item.code in codes:
            continue
        result.append(version)
        codes.add(item.code)
        parent, seen = item.derives, set()
        while parent is not None and parent.id not in seen:
            seen.add(parent.id)
            if parent.region_code != item.region_code:
                shadowed.add(parent.id)
            parent = parent.derives
    return result


def upstream_changes(variant: Item) -> list[Change]:
    """Return what the parent's newest published version changed since the variant's pin."""
    pinned = variant.latest_version.derives_version if variant.latest_version else None
    if pinned is None:
        return []
    newest = pinned.item.latest_version
    if newest is None or newest.id == pinned.id:
        return []
    return diff_definitions(pinned.definition, newest.definition)
