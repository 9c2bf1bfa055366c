"""Overrides a variant keeps for parts its parent no longer has (stale overrides).

A variant lists only what it changes, by key. When the parent removes a part the variant
changed or hid, the variant's entry applies to nothing: merging refuses it (a new part would
need its type and label), so the variant cannot be published until the entry goes. This module
finds such entries and removes them; nothing here touches the database.

An entry is stale when its key is not in the parent and it is not a complete new part of the
variant's own: a page without ``title`` and ``fields``, a field without ``type`` and
``label``, a material without ``label``, a step without ``name`` — or any ``hidden`` entry.
Given the parent as the variant last knew it (``before``), an entry for a part that parent had
is stale even when complete: a relabelled material whose parent removed it would otherwise
quietly become the variant's own.
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


def _keys(definition: Optional[dict]) -> set[Stale]:
    """Return every part of a definition as a Stale-shaped (kind, key)."""
    if not definition:
        return set()
    found = {Stale("page", p.get("key")) for p in definition.get("pages") or []}
    for key, field in _parent_fields(definition).items():
        found.add(Stale("field", key))
        children = field.get("fields") if isinstance(field.get("fields"), list) else []
        found |= {Stale("field", f"{key}.{c.get('key')}") for c in children}
    for kind, (name, _needed) in LISTS.items():
        found |= {Stale(kind, x.get("key")) for x in definition.get(name) or []}
    return found


def stale_overrides(parent: Optional[dict], draft: dict,
                    before: Optional[dict] = None) -> list[Stale]:
    """Return the entries of a variant's ``draft`` that change parts ``parent`` does not have
    (``before``: the parent the variant was last published against, if any)."""
    if not parent or not draft.get("derives"):
        return []
    has, had = _keys(parent), _keys(before) - _keys(parent)

    def stale(part: Stale, entry: dict, *needed: str) -> bool:
        return part not in has and (part in had or not _complete(entry, *needed))

    found: list[Stale] = []
    for page in draft.get("pages") or []:
        part = Stale("page", page.get("key"))
        if stale(part, page, "title") or part not in has and not page.get("fields"):
            found.append(part)
        for entry in page.get("fields") or []:
            key = entry.get("key")
            if stale(Stale("field", key), entry, "type", "label"):
                found.append(Stale("field", key))
                continue
            if Stale("field", key) not in has:
                continue
            for child in entry.get("fields") or [] if isinstance(entry.get("fields"),
                                                                 list) else []:
                part = Stale("field", f"{key}.{child.get('key')}")
                if stale(part, child, "type", "label"):
                    found.append(part)
    for kind, (name, needed) in LISTS.items():
        found += [Stale(kind, x.get("key")) for x in draft.get(name) or []
                  if stale(Stale(kind, x.get("key")), x, needed)]
    return found


def drop_stale(parent: dict, draft: dict, before: Optional[dict] = None) -> dict:
    """Return ``draft`` without its stale overrides. A stale page's own settings go; the field
    entries listed under it move to the page the parent now holds each field on (else its
    first page), so the variant's other changes stay."""
    draft = copy.deepcopy(draft)
    stale = set(stale_overrides(parent, draft, before))
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
    already = set(stale_overrides(old_parent, draft)) if old_parent else set()
    return [s for s in stale_overrides(new_parent, draft, old_parent) if s not in already]
