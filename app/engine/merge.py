"""Merge a derived item (a regional variant) onto its parent's definition.

A variant file lists only what it changes. The rules, by part:

- **item**: ``name``, ``category``, ``audience``, ``notice``, ``filers``, ``time_limit_days``,
  ``retention_years``, ``outcomes`` (whole: a variant names every status it wants named),
  ``summary`` and ``result_document`` (whole) replace the parent's when given; ``code``,
  ``region`` and ``derives`` are the variant's own. ``effective_from`` is when a version is
  published, no content (its own column): a merged definition never has one.
- **pages** by ``key``: a known page takes a new ``title``/``help``; ``hidden: true`` removes it
  with its fields; a new page (``title`` and ``fields`` required) is appended, or placed
  ``after: <page key>``.
- **fields** by ``key``, wherever the parent has them (keys are unique across an item): the keys
  given replace the parent's (``options``, ``rules`` as a whole); ``hidden: true`` removes the
  field; ``after: <key>`` moves it. A key the parent does not have is a new field (``type`` and
  ``label`` required), added to the page it is listed under, at the end or ``after: <key>`` of that
  page. A repeating group's ``fields`` merge the same way, by key, within the group.
- **materials** and **approval steps** by ``key`` likewise (new ones need ``label``/``name``).
- **null** removes an inherited setting (``when: ~``); what a part cannot do without is refused
  (:mod:`app.engine.nulls`).
- **locked** (set by the parent): a locked field keeps everything but its wording (``label``,
  ``help``, ``placeholder``) and cannot be hidden; a locked material or step cannot be changed or
  hidden at all; removing a setting is a change. Trying is a lint error, at the attempt's line.

:func:`merge` never raises: it returns the effective definition, where each of the variant's parts
landed (so lint can report problems at the variant file's lines) and the problems it met.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field as dataclass_field
from typing import Any, Optional

from flask_babel import lazy_gettext as _l

from app.engine import nulls
from app.engine.schema import DEFAULTS, finish

ITEM_KEYS = ("name", "category", "audience", "notice", "filers", "time_limit_days",
             "retention_years", "outcomes", "summary", "result_document")
WORDING = frozenset({"key", "label", "help", "placeholder", "after"})
_CONTROL = ("hidden", "after")


@dataclass
class Merged:
    definition: dict
    origins: dict = dataclass_field(default_factory=dict)  # effective path -> variant path
    problems: list = dataclass_field(default_factory=list)  # (variant path, message)
    hidden: dict = dataclass_field(default_factory=dict)  # hidden field key -> variant path


def merge(parent: dict, variant: dict) -> Merged:
    """Return the effective definition of ``variant`` (normalised, derived) on ``parent``."""
    result = copy.deepcopy(parent)
    state = _State()
    removed = {}
    for key in ITEM_KEYS:
        if key in variant and variant[key] is None:
            if key in result:
                removed[key] = result.pop(key)
        elif key in variant:
            result[key] = copy.deepcopy(variant[key])
    for setting, message in nulls.refusals("item", dict(result, key=variant.get("code")),
                                           removed):
        state.problem((setting,), message)
        result[setting] = removed[setting]
    for key in ("schema", "code", "region", "derives"):
        if key in variant:
            result[key] = variant[key]
    result.pop("effective_from", None)  # older parent versions stored their date in here
    _merge_pages(result, variant, state)
    if "materials" in variant:
        _merge_list(result.setdefault("materials", []), variant["materials"], ("materials",),
                    state, lambda item: "label" in item, lambda key: gone("material", key),
                    "material")
    if "approval" in variant:
        _merge_list(result.setdefault("approval", []), variant["approval"], ("approval",),
                    state, lambda item: "name" in item, lambda key: gone("step", key), "step")
    origins = {}
    for path, node in _walk(result):
        if id(node) in state.origins:
            origins[path] = state.origins[id(node)]
    return Merged(finish(result, drop_defaults=True), origins, state.problems, state.hidden)


def gone(kind: str, key: str):
    """Return the problem of a variant's entry for a part the parent does not have (any more)
    that is no complete new part: most often the parent removed a part the variant changed."""
    return {
        "page": _l('page "%(key)s" is not in the parent item: the changes to it apply to nothing '
                   '(the parent removed it, or the key is wrong); remove them, or give a title '
                   'and fields to add a new page', key=key),
        "field": _l('field "%(key)s" is not in the parent item: the changes to it apply to '
                    'nothing (the parent removed it, or the key is wrong); remove them, or give '
                    'a type and a label to add a new field', key=key),
        "material": _l('material "%(key)s" is not in the parent item: the changes to it apply '
                       'to nothing (the parent removed it, or the key is wrong); remove them, or '
                       'give a label to add a new material', key=key),
        "step": _l('step "%(key)s" is not in the parent item: the changes to it apply to nothing '
                   '(the parent removed it, or the key is wrong); remove them, or give a name '
                   'to add a new step', key=key)}[kind]


class _State:
    def __init__(self):
        self.origins: dict[int, tuple] = {}
        self.problems: list[tuple[tuple, Any]] = []
        self.hidden: dict[str, tuple] = {}

    def problem(self, path, message):
        self.problems.append((path, message))


def _merge_pages(result: dict, variant: dict, state: _State) -> None:
    pages = result.setdefault("pages", [])
    for index, vpage in enumerate(variant.get("pages", [])):
        path = ("pages", index)
        page = next((p for p in pages if p.get("key") == vpage.get("key")), None)
        if page is None:
            if vpage.get("hidden"):
                state.problem(path + ("hidden",), _l('page "%(key)s" is not in the parent item',
                                                     key=vpage.get("key")))
                continue
            if vpage.get("title") is None:
                state.problem(path, gone("page", vpage.get("key")))
                continue
            if not isinstance(vpage.get("fields"), list):  # [] is one still being built (lint)
                state.problem(path, _l('a new page "%(key)s" needs a title and fields',
                                       key=vpage.get("key")))
                continue
            state.problems += nulls.nothing_to_remove(path, vpage)
            page = {k: copy.deepcopy(v) for k, v in nulls.given(vpage).items()
                    if k not in _CONTROL + ("fields",)}
            page["fields"] = []
            _insert(pages, page, vpage.get("after"), path, state)
        elif vpage.get("hidden"):
            locked = [f["key"] for f in page.get("fields", []) if f.get("locked")]
            if locked:
                state.problem(path + ("hidden",), _l('page "%(key)s" holds the locked field '
                                                     '"%(field)s" and cannot be hidden',
                                                     key=page["key"], field=locked[0]))
                continue
            for hidden in page.get("fields", []):
                state.hidden[hidden.get("key")] = path + ("hidden",)
            pages.remove(page)
            continue
        else:
            _override(page, {k: v for k, v in vpage.items() if k in ("title", "help")}, path,
                      state, None, "page", origin=False)
        for findex, vfield in enumerate(vpage.get("fields", [])):
            _merge_field(pages, page, vfield, path + ("fields", findex), state)


def _merge_field(pages: list, page: dict, vfield: dict, path: tuple, state: _State) -> None:
    key = vfield.get("key")
    if key is None:
        return  # the shape check names the missing key
    home = next((p for p in pages for f in p.get("fields", []) if f.get("key") == key), None)
    if home is None:
        if vfield.get("hidden"):
            state.problem(path + ("hidden",), _l('field "%(key)s" is not in the parent item',
                                                 key=key))
        elif vfield.get("type") is None:
            state.problem(path, gone("field", key))
        elif vfield.get("label") is None:
            state.problem(path, _l('field "%(key)s" is not in the parent item; a new field needs '
                                   'a type and a label', key=key))
        else:
            state.problems += nulls.nothing_to_remove(path, vfield)
            new = {k: copy.deepcopy(v) for k, v in nulls.given(vfield).items()
                   if k not in _CONTROL}
            state.origins[id(new)] = path
            _insert(page["fields"], new, vfield.get("after"), path, state)
        return
    target = next(f for f in home["fields"] if f.get("key") == key)
    if vfield.get("hidden"):
        if target.get("locked"):
            state.problem(path + ("hidden",), _l('field "%(key)s" is locked by the parent item '
                                                 'and cannot be hidden', key=key))
        else:
            home["fields"].remove(target)
            state.hidden[key] = path + ("hidden",)
        return
    _override(target, vfield, path, state, None if not target.get("locked") else
              {k for k in vfield if k not in WORDING}, "field")
    if "after" in vfield:
        home["fields"].remove(target)
        _insert(home["fields"], target, vfield["after"], path, state)


def _override(target: dict, changes: dict, path: tuple, state: _State,
              locked_keys: Optional[set], kind: str, origin: bool = True) -> None:
    """Apply ``changes`` to ``target``; a locked key that differs is a problem, not a change;
    a null removes the setting unless the part cannot do without it."""
    if origin:
        state.origins[id(target)] = path
    removed = {}
    for key, value in changes.items():
        if key in ("key",) + _CONTROL:
            continue
        if locked_keys is not None and key in locked_keys:
            if _given(key, value) != target.get(key, _absent(key)):
                state.problem(path + (key,), _l('field "%(key)s" is locked by the parent item: '
                                                '"%(setting)s" cannot change',
                                                key=target.get("key"), setting=key))
            continue
        if value is None:
            if key in target:
                removed[key] = target.pop(key)
            elif (message := nulls.unknown(kind, target, key)) is not None:
                state.problem(path + (key,), message)
        elif key == "fields" and isinstance(target.get("fields"), list):
            _merge_list(target["fields"], value, path + ("fields",), state,
                        lambda item: "type" in item and "label" in item,
                        lambda key: _l('field "%(key)s" is not in the group; a new field needs '
                                       'a type and a label', key=key), "field")
        else:
            target[key] = copy.deepcopy(value)
    for setting, message in nulls.refusals(kind, target, removed):
        state.problem(path + (setting,), message)
        target[setting] = removed[setting]


def _absent(key: str) -> Any:
    return DEFAULTS.get(key)


def _given(key: str, value: Any) -> Any:
    """Return the value a variant gives ``key``: a null (removed) reads as a left-out setting."""
    return _absent(key) if value is None else value


def _merge_list(items: list, changes: list, path: tuple, state: _State, complete, new_message,
                kind: str) -> None:
    """Merge materials, steps or a group's fields by key (a locked material or step: fully)."""
    fully_locked = kind != "field"
    for index, change in enumerate(changes):
        where = path + (index,)
        key = change.get("key")
        target = next((item for item in items if item.get("key") == key), None)
        if target is None:
            if change.get("hidden"):
                state.problem(where + ("hidden",), _l('"%(key)s" is not in the parent item',
                                                      key=key))
            elif not complete(nulls.given(change)):
                state.problem(where, new_message(key))
            else:
                state.problems += nulls.nothing_to_remove(where, change)
                new = {k: copy.deepcopy(v) for k, v in nulls.given(change).items()
                       if k not in _CONTROL}
                state.origins[id(new)] = where
                _insert(items, new, change.get("after"), where, state)
            continue
        if target.get("locked") and fully_locked:
            differs = [k for k, v in change.items() if k != "key" and (
                k == "hidden" and v or k not in _CONTROL
                and _given(k, v) != target.get(k, _absent(k)))]
            if differs:
                state.problem(where + (differs[0],), _l('"%(key)s" is locked by the parent item '
                                                        'and cannot be changed or hidden', key=key))
            continue
        if change.get("hidden"):
            if target.get("locked"):
                state.problem(where + ("hidden",), _l('field "%(key)s" is locked by the parent '
                                                      'item and cannot be hidden', key=key))
            else:
                items.remove(target)
            continue
        _override(target, change, where, state, None if not target.get("locked")
                  else {k for k in change if k not in WORDING}, kind)
        if "after" in change:
            items.remove(target)
            _insert(items, target, change["after"], where, state)


def _insert(items: list, item: dict, after: Optional[str], path: tuple, state: _State) -> None:
    if after is None:
        items.append(item)
        return
    for index, other in enumerate(items):
        if other.get("key") == after:
            items.insert(index + 1, item)
            return
    state.problem(path + ("after",), _l('after: "%(key)s" is not in the same list', key=after))
    items.append(item)


def _walk(definition: dict):
    """Yield (path, node) for pages, fields, group fields, materials and steps."""
    for p, page in enumerate(definition.get("pages", [])):
        yield ("pages", p), page
        for f, field in enumerate(page.get("fields", [])):
            yield ("pages", p, "fields", f), field
            for c, child in enumerate(field.get("fields", []) if isinstance(
                    field.get("fields"), list) else []):
                yield ("pages", p, "fields", f, "fields", c), child
    for part in ("materials", "approval"):
        for i, item in enumerate(definition.get(part, [])):
            yield (part, i), item
