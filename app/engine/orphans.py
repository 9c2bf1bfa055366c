"""Overrides a variant keeps for parts its parent no longer has (stale overrides).

A variant lists only what it changes, by key. When the parent removes a part the variant
changed or hid, the variant's entry applies to nothing: merging refuses it (a new part would
need its type and label), so the variant cannot be published until the entry goes. This module
finds such entries and removes them; nothing here touches the database.

An entry is stale when its key is not in the parent and it is not a complete new part of the
variant's own: a page without ``title`` and ``fields``, a field without ``type`` and
``label``, a material without ``label``, a step without ``name`` — or any ``hidden`` entry.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Optional

LISTS = {"material": ("materials", "label"), "step": ("approval", "name")}


@dataclass(frozen=True)
class Stale:
    """A stale override: ``key`` is ``group.child`` for a field of a repeating group."""

    kind: str
    key: str


def _complete(entry: dict, *needed: str) -> bool:
    return not entry.get("hidden") and all(entry.get(name) is not None for name in needed)


def _parent_fields(parent: dict) -> dict[str, dict]:
    return {f.get("key"): f for page in parent.get("pages") or []
            for f in page.get("fields") or []}


def stale_overrides(parent: Optional[dict], draft: dict) -> list[Stale]:
    """Return the entries of a variant's ``draft`` that change parts ``parent`` does not have."""
    if not parent or not draft.get("derives"):
        return []
    found: list[Stale] = []
    pages = {p.get("key") for p in parent.get("pages") or []}
    fields = _parent_fields(parent)
    for page in draft.get("pages") or []:
        if page.get("key") not in pages and not (
                _complete(page, "title") and page.get("fields")):
            found.append(Stale("page", page.get("key")))
        for entry in page.get("fields") or []:
            key = entry.get("key")
            if key not in fields:
                if not _complete(entry, "type", "label"):
                    found.append(Stale("field", key))
                continue
            children = {c.get("key") for c in fields[key].get("fields") or []
                        if isinstance(fields[key].get("fields"), list)}
            for child in entry.get("fields") or [] if isinstance(entry.get("fields"),
                                                                 list) else []:
                if child.get("key") not in children and not _complete(child, "type", "label"):
                    found.append(Stale("field", f"{key}.{child.get('key')}"))
    for kind, (name, needed) in LISTS.items():
        keys = {x.get("key") for x in parent.get(name) or []}
        found += [Stale(kind, x.get("key")) for x in draft.get(name) or []
                  if x.get("key") not in keys and not _complete(x, needed)]
    return found


def drop_stale(parent: dict, draft: dict) -> dict:
    """Return ``draft`` without its stale overrides. A stale page's own settings go; the field
    entries listed under it move to the page the parent now holds each field on (else its
    first page), so the variant's other changes stay."""
    draft = copy.deepcopy(draft)
    stale = set(stale_overrides(parent, draft))
    fields = _parent_fields(parent)
    home = {f.get("key"): page.get("key") for page in parent.get("pages") or []
            for f in page.get("fields") or []}
    first = next((p.get("key") for p in parent.get("pages") or []), None)
    moved: list[dict] = []
    for page in list(draft.get("pages") or []):
        kept = []
        for entry in page.get("fields") or []:
            key = entry.get("key")
            if Stale("field", key) in stale:
                continue
            if isinstance(entry.get("fields"), list):
                entry["fields"] = [c for c in entry["fields"]
                                   if Stale("field", f"{key}.{c.get('key')}") not in stale]
            kept.append(entry)
        page["fields"] = kept
        if Stale("page", page.get("key")) in stale:
            draft["pages"].remove(page)
            moved += kept
    for entry in moved:
        target = home.get(entry.get("key"), first) if entry.get("key") in fields else first
        page = next((p for p in draft["pages"] if p.get("key") == target), None)
        if page is None:
            page = {"key": target, "fields": []}
            draft.setdefault("pages", []).append(page)
        page.setdefault("fields", []).append(entry)
    for page in list(draft.get("pages") or []):
        if set(page) <= {"key", "fields"} and not page.get("fields"):
            draft["pages"].remove(page)
    for kind, (name, _needed) in LISTS.items():
        if name in draft:
            draft[name] = [x for x in draft[name] if Stale(kind, x.get("key")) not in stale]
            if not draft[name]:
                del draft[name]
    if "pages" in draft and not draft["pages"]:
        del draft["pages"]
    return draft


def orphaned_by(old_parent: Optional[dict], new_parent: dict, draft: dict) -> list[Stale]:
    """Return the overrides of a variant's ``draft`` that ``new_parent`` would leave stale and
    ``old_parent`` (the parent as it is) does not."""
    before = set(stale_overrides(old_parent, draft)) if old_parent else set()
    return [s for s in stale_overrides(new_parent, draft) if s not in before]
