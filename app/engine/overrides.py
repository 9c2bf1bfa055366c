"""The reverse of :func:`app.engine.merge.merge`: the overrides a variant needs to look as edited.

The item designer lets an administrator edit a variant as citizens will see it — its *effective*
definition — and stores only what differs from the parent (what a variant file holds)::

    variant = overrides_for(parent, edited, previous)   # merge(parent, variant) gives `edited`

- a part the parent has is written as its key plus the settings that differ (one left out
  counts as its default: ``approvers: 1`` under a parent that leaves it out is no change); a
  setting dropped from an inherited part is written with its default or neutral value
  (``required: false``, ``approvers: 1``, ``distinct: false``, ``visible_when: true``,
  ``required_when: false``, ``rules: []``, ``integer: false``), any other as ``null``, which
  removes it (:mod:`app.engine.nulls`; the merge refuses what the part cannot do without); an
  item setting dropped (``category`` …) is ``null`` too;
- a part the parent lacks is written whole; a parent's part missing from ``edited`` becomes
  ``hidden: true``;
- order: ``after: <key>`` is added where the merged order would differ (found by merging and
  comparing, so it holds by construction). Inherited pages keep their order and fields keep
  their page: both are outside what a variant can say.

:class:`CannotExpress` names what a variant cannot say; the result is checked by merging it
again, so what is stored always merges to what the administrator saw, or nothing is stored.
"""
from __future__ import annotations

import copy
from typing import Any, Callable, Optional

from flask_babel import lazy_gettext as _l

from app.engine.merge import ITEM_KEYS, merge
from app.engine.schema import DEFAULTS, finish

OWN = ("schema", "code", "region", "derives", "effective_from")  # effective_from: merge drops it
NEUTRAL = {"visible_when": True, "required_when": False, "rules": [], "integer": False}


class CannotExpress(ValueError):
    """The edit cannot be written as a variant of its parent; ``message`` says why."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


_ABSENT = object()


def _in_effect(part: dict, key: str) -> Any:
    """Return the value of ``key`` in ``part``: a setting left out has its default."""
    if key in part:
        return part[key]
    return DEFAULTS.get(key, NEUTRAL.get(key, _ABSENT))


def _same(parent: dict, edited: dict, key: str) -> bool:
    """Whether ``key`` means the same in both (``approvers: 1`` and no ``approvers`` do)."""
    a, b = _in_effect(parent, key), _in_effect(edited, key)
    return a == b and type(a) is type(b)


def _part_override(parent: dict, edited: dict) -> dict:
    result: dict[str, Any] = {"key": edited["key"]}
    for key in list(parent) + [k for k in edited if k not in parent]:
        if key in ("key", "fields") or parent.get(key) == edited.get(key) or _same(
                parent, edited, key):
            continue
        if key in edited:
            result[key] = copy.deepcopy(edited[key])
        elif key in DEFAULTS:
            result[key] = DEFAULTS[key]
        elif key in NEUTRAL:
            result[key] = copy.deepcopy(NEUTRAL[key])
        else:
            result[key] = None  # removed (app.engine.nulls)
    if isinstance(parent.get("fields"), list) and isinstance(edited.get("fields"), list):
        children = _list(parent["fields"], edited["fields"], _part_override)
        if children:
            result["fields"] = children
    return result


def _list(parent: list, edited: list, override: Callable) -> list:
    by_key = {item["key"]: item for item in parent}
    kept = {item["key"] for item in edited}
    result = []
    for item in edited:
        entry = override(by_key[item["key"]], item) if item["key"] in by_key else copy.deepcopy(
            item)
        if len(entry) > 1:
            result.append(entry)
    result += [{"key": key, "hidden": True} for key in by_key if key not in kept]
    return result


def _pages(parent: dict, edited: dict) -> list:
    parent_pages = {p["key"]: p for p in parent.get("pages", [])}
    parent_fields = {f["key"]: f for p in parent.get("pages", []) for f in p.get("fields", [])}
    home = {f["key"]: p["key"] for p in parent.get("pages", []) for f in p.get("fields", [])}
    kept = {f["key"] for p in edited.get("pages", []) for f in p.get("fields", [])}
    result = []
    for page in edited.get("pages", []):
        known = page["key"] in parent_pages
        if known:
            entry = _part_override({k: v for k, v in parent_pages[page["key"]].items()},
                                   {k: v for k, v in page.items()})
            entry.pop("fields", None)
        else:
            entry = {k: copy.deepcopy(v) for k, v in page.items() if k != "fields"}
        fields = []
        for field in page.get("fields", []):
            if field["key"] in parent_fields:
                if home[field["key"]] != page["key"]:
                    raise CannotExpress(_l('In a variant, field "%(key)s" stays on the page it '
                                           "inherits.", key=field["key"]))
                override = _part_override(parent_fields[field["key"]], field)
                if len(override) > 1:
                    fields.append(override)
            else:
                fields.append(copy.deepcopy(field))
        if known:
            fields += [{"key": f["key"], "hidden": True}
                       for f in parent_pages[page["key"]].get("fields", [])
                       if f["key"] not in kept]
        if fields or not known:  # a new page keeps its list, empty while it is being built
            entry["fields"] = fields
        if len(entry) > 1 or not known:
            result.append(entry)
    shown = {p["key"] for p in edited.get("pages", [])}
    result += [{"key": key, "hidden": True} for key in parent_pages if key not in shown]
    return result


def _lists(definition: dict):
    """Yield (where, keys) for every ordered list of keyed parts."""
    yield ("pages",), [p["key"] for p in definition.get("pages", [])]
    for page in definition.get("pages", []):
        yield ("pages", page["key"]), [f["key"] for f in page.get("fields", [])]
        for field in page.get("fields", []):
            if isinstance(field.get("fields"), list):
                yield ("pages", page["key"], field["key"]), [c["key"] for c in field["fields"]]
    for part in ("materials", "approval"):
        yield (part,), [x["key"] for x in definition.get(part, [])]


def _entry(items: list, key: str, order: list) -> dict:
    """Return the entry for ``key`` in an override list, inserting it in ``order`` if missing."""
    found = next((x for x in items if x.get("key") == key), None)
    if found is None:
        found = {"key": key}
        before = set(order[:order.index(key)]) if key in order else set(order)
        items.insert(sum(1 for x in items if x.get("key") in before), found)
    return found


def _entries(variant: dict, where: tuple, edited: dict) -> list:
    """Return the override list at ``where``, creating the entries that lead to it."""
    if where[0] in ("materials", "approval"):
        return variant.setdefault(where[0], [])
    pages = variant.setdefault("pages", [])
    if len(where) == 1:
        return pages
    page = _entry(pages, where[1], [p["key"] for p in edited.get("pages", [])])
    fields = page.setdefault("fields", [])
    if len(where) == 2:
        return fields
    order = dict(_lists(edited)).get(where[:2], [])
    return _entry(fields, where[2], order).setdefault("fields", [])


def _fix_order(parent: dict, variant: dict, edited: dict) -> None:
    """Add ``after:`` where merging would put parts in another order than ``edited``."""
    wanted = dict(_lists(edited))
    parent_pages = {p["key"] for p in parent.get("pages", [])}
    for _attempt in range(200):
        merged = merge(parent, variant).definition
        wrong = next(((where, keys) for where, keys in _lists(merged)
                      if where in wanted and keys != wanted[where]), None)
        if wrong is None:
            return
        where, keys = wrong
        target = wanted[where]
        index = next((i for i, (a, b) in enumerate(zip(keys, target)) if a != b), None)
        if index is None:
            return  # different lengths: the final comparison reports it
        key = target[index] if index > 0 else keys[0]
        position = target.index(key) if key in target else 0
        if position == 0:
            raise CannotExpress(_l("A variant cannot put an inherited part first; move the "
                                   "others after it instead."))
        if where == ("pages",) and key in parent_pages:
            raise CannotExpress(_l("In a variant, inherited pages keep their order."))
        found = _entry(_entries(variant, where, edited), key, target)
        if found.get("after") == target[position - 1]:
            break
        found["after"] = target[position - 1]
    raise CannotExpress(_l("This order cannot be expressed in a variant."))


def normal(definition: dict) -> dict:
    """Return ``definition`` with defaults and neutral settings dropped, for comparing merges.

    A merged definition leaves defaults out (``approvers: 1``, ``distinct: false`` …) while an
    edited one may state them: both mean the same.
    """
    result = finish(copy.deepcopy(definition), drop_defaults=True)
    parts = [part for page in result.get("pages", []) for field in page.get("fields", [])
             for part in [field] + (field.get("fields") if isinstance(field.get("fields"), list)
                                    else [])]
    for part in parts + result.get("materials", []) + result.get("approval", []):
        for key, neutral in NEUTRAL.items():
            if key in part and part[key] == neutral and type(part[key]) is type(neutral):
                del part[key]
    return result


def overrides_for(parent: dict, edited: dict, previous: dict) -> dict:
    """Return the variant (overrides) that merges onto ``parent`` as ``edited``.

    :raises CannotExpress: the edit needs something a variant cannot say, or breaks a lock.
    """
    variant = {key: previous[key] for key in OWN if key in previous}
    for key in ITEM_KEYS:
        if edited.get(key) == parent.get(key):
            continue
        variant[key] = copy.deepcopy(edited[key]) if key in edited else None
    pages = _pages(parent, edited)
    if pages:
        variant["pages"] = pages
    for part in ("materials", "approval"):
        entries = _list(parent.get(part, []), edited.get(part, []), _part_override)
        if entries:
            variant[part] = entries
    merged = merge(parent, variant)  # a lock broken: say so before anything about order
    if merged.problems:
        raise CannotExpress(merged.problems[0][1])
    _fix_order(parent, variant, edited)
    merged = merge(parent, variant)
    if merged.problems:
        raise CannotExpress(merged.problems[0][1])
    difference = _difference(normal(merged.definition), normal(edited))
    if difference is not None:
        raise CannotExpress(_l('A variant cannot express this change to "%(setting)s" of '
                               '"%(key)s": stored as an override, it would read differently.',
                               setting=difference[1], key=difference[0]))
    return variant


def _difference(merged: dict, edited: dict) -> Optional[tuple[str, str]]:
    """Return (part key, setting) of the first difference, or None if there is none."""
    if merged == edited:
        return None
    for key in ITEM_KEYS:
        if merged.get(key) != edited.get(key):
            return edited.get("code", ""), key
    parts = dict(_walk_parts(edited))
    for key, part in _walk_parts(merged):
        other = parts.pop(key, None)
        if other is None:
            return key[1], "hidden"
        setting = next((s for s in sorted(set(part) | set(other)) if s != "fields"
                        and part.get(s) != other.get(s)), None)
        if setting is not None:
            return key[1], setting
    return (next(iter(parts))[1], "key") if parts else (edited.get("code", ""), "order")


def _walk_parts(definition: dict):
    """Yield (key, part) for pages, fields, group fields, materials and steps."""
    for page in definition.get("pages", []):
        yield ("page", page["key"]), page
        for field in page.get("fields", []):
            yield ("field", field["key"]), field
            for child in field.get("fields") if isinstance(field.get("fields"), list) else []:
                yield ("field", f'{field["key"]}.{child["key"]}'), child
    for part in ("materials", "approval"):
        for entry in definition.get(part, []):
            yield (part, entry["key"]), entry


def parent_part(parent: Optional[dict], kind: str, key: str) -> Optional[dict]:
    """Return the parent's part (``field`` keys may be ``group.child``), or None."""
    if parent is None:
        return None
    if kind == "page":
        return next((p for p in parent.get("pages", []) if p["key"] == key), None)
    if kind in ("material", "step"):
        items = parent.get("materials" if kind == "material" else "approval", [])
        return next((x for x in items if x["key"] == key), None)
    group, _, child = key.rpartition(".")
    for page in parent.get("pages", []):
        for field in page.get("fields", []):
            if field["key"] == (group or key):
                if not group:
                    return field
                return next((c for c in field.get("fields") or [] if c["key"] == child), None)
    return None
