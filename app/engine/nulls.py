"""``null`` in a variant: a setting removed from what the variant inherits.

    approval:
      - {key: review, when: ~}        # the step no longer depends on a condition

In a variant file (``derives:``) a setting given as ``null`` (YAML ``~``, JSON ``null``) removes
the inherited setting, as if the parent had never stated it: ``when: ~`` runs the step always,
``compute: ~`` makes the field an ordinary input, ``required: ~`` is ``required: false`` (the
default). Two places say what cannot be removed:

- the shape check (:func:`check_nulls`, called by :func:`app.engine.schema.load_definition`):
  ``null`` in a file that is not a variant (nothing is inherited); in a variant, ``null`` on a
  key that names or places a part (``key``, ``code``, ``after`` …) or on a list of parts;
- the merge (:func:`refusals`, called by :mod:`app.engine.merge`), which knows the part: what the
  part needs — a field's ``type``, ``label`` and its type's own required settings (``options`` of
  a select, ``dictionary`` of a code-table field …), a page's ``title``, a material's ``label``,
  a step's ``name`` and, for a step people decide (no ``auto``), its ``role`` and ``level``.
  Removing ``auto`` hands the step to people: it is refused unless the step then has a ``role``
  and a ``level`` (inherited or given beside ``auto: ~``) — the parent chose who decides only
  the steps it left to people. A read-only field whose ``compute``, ``prefill`` or ``default``
  is removed and that keeps no other source would be empty for everyone: refused as well.
  ``null`` in a part new to the variant removes nothing: a problem too, as is ``null`` on a key
  the field's type does not know (:func:`unknown`: a misspelt ``comptue: ~`` would silently
  remove nothing). Removing counts as a change for a part the parent locks
  (:mod:`app.engine.merge`).
"""
from __future__ import annotations

from typing import Any, Iterator

from flask_babel import lazy_gettext as _l

#: Keys that identify the item or a part: never null.
IDENTITY = frozenset({"schema", "code", "region", "key"})
#: Lists of parts: a variant hides parts one by one (``hidden: true``).
LISTS = frozenset({"pages", "materials", "approval", "fields"})
#: What a variant says about a part itself rather than a setting.
CONTROL = frozenset({"hidden", "after"})
#: What every part of a kind needs whatever its type (a field's type adds its own).
NEEDED = {"item": {"name"}, "page": {"title"}, "field": {"type", "label"},
          "material": {"label"}, "step": {"name"}}
#: Where a read-only field's value comes from.
SOURCES = ("compute", "prefill", "default")


def _dicts(value: Any) -> list:
    return [(i, x) for i, x in enumerate(value) if isinstance(x, dict)] \
        if isinstance(value, list) else []


def null_settings(definition: dict) -> Iterator[tuple[tuple, str]]:
    """Yield (path, setting) for every setting given as null, on the item and on its parts."""
    def inside(node: dict, path: tuple):
        for key, value in node.items():
            if value is None:
                yield path + (key,), key
    yield from ((p, k) for p, k in inside(definition, ()) if k != "derives")
    for p, page in _dicts(definition.get("pages")):
        yield from inside(page, ("pages", p))
        for f, field in _dicts(page.get("fields")):
            yield from inside(field, ("pages", p, "fields", f))
            for c, child in _dicts(field.get("fields")):
                yield from inside(child, ("pages", p, "fields", f, "fields", c))
    for part in ("materials", "approval"):
        for i, entry in _dicts(definition.get(part)):
            yield from inside(entry, (part, i))


def check_nulls(data: dict, derived: bool) -> list[tuple[tuple, Any]]:
    """Return the shape errors of nulls in ``data`` and drop those nulls from it."""
    errors = []
    for path, setting in list(null_settings(data)):
        if not derived:
            message = _l('null removes a setting a variant inherits, and this item derives from '
                         'none (it has no "derives")')
        elif setting in IDENTITY:
            message = _l("cannot be removed (null): it identifies the item or the part")
        elif setting in LISTS:
            message = _l("cannot be removed (null): hide the parts one by one with hidden: true")
        elif setting in CONTROL:
            message = _l("cannot be null: leave it out instead")
        else:
            continue
        errors.append((path, message))
        node = data
        for step in path[:-1]:
            node = node[step]
        node.pop(setting, None)
    return errors


def _field_type(name: Any):
    from app.engine.fields import REGISTRY  # the other half of the engine

    return REGISTRY.get(name) if isinstance(name, str) else None


def needed(kind: str, part: dict) -> set:
    """Return the settings ``part`` (as merged) cannot do without."""
    result = set(NEEDED.get(kind, ()))
    if kind == "field" and (ftype := _field_type(part.get("type"))) is not None:
        result |= ftype.required_settings
    if kind == "step" and not part.get("auto"):
        result |= {"role", "level"}
    return result


def refusals(kind: str, part: dict, removed: dict) -> list[tuple[str, Any]]:
    """Return (setting, message) for each removal ``part`` cannot take; ``removed`` maps the
    settings this variant removed to their inherited values (``part`` is already without them).

    The caller puts each refused setting back.
    """
    key, result = part.get("key"), []
    for setting in sorted(set(removed) & needed(kind, part) - {"role", "level"}):
        ftype = _field_type(part.get("type")) if kind == "field" else None
        if ftype is not None and setting in ftype.required_settings:
            message = _l('field "%(key)s" of type %(type)s needs "%(setting)s": it cannot be '
                         "removed", key=key, type=part.get("type"), setting=setting)
        else:
            message = _l('"%(key)s" needs "%(setting)s": it cannot be removed', key=key,
                         setting=setting)
        result.append((setting, message))
    if kind == "step" and not part.get("auto"):
        for setting in sorted({"role", "level"} & set(removed)):
            result.append((setting, _l('people decide step "%(key)s" (it has no "auto"), so it '
                                       'needs "%(setting)s": it cannot be removed', key=key,
                                       setting=setting)))
        missing = [s for s in ("role", "level") if s not in part and s not in removed]
        if "auto" in removed and missing:
            result.append(("auto", _l('step "%(key)s": without "auto" people decide it, so it '
                                      "needs a role and a level; add %(missing)s beside auto: ~",
                                      key=key, missing=", ".join(missing))))
    gone = set(removed) & set(SOURCES)
    if (kind == "field" and gone and part.get("readonly") is True
            and not any(part.get(s) is not None for s in SOURCES)
            and not getattr(_field_type(part.get("type")), "source", None)):
        setting = sorted(gone)[0]
        result.append((setting, _l('field "%(key)s" is read-only: without "%(setting)s" nothing '
                                   "fills it; make it editable (readonly: false) as well",
                                   key=key, setting=setting)))
    return result


def unknown(kind: str, part: dict, setting: str) -> Any:
    """Return the problem of a null on a field setting its type does not know (a misspelt
    ``comptue: ~`` would otherwise remove nothing, silently), else None."""
    from app.engine.fields import COMMON_SETTINGS
    from app.engine.problems import unknown_key

    ftype = _field_type(part.get("type")) if kind == "field" else None
    allowed = COMMON_SETTINGS | ftype.settings | {"masked"} if ftype is not None else set()
    if ftype is None or setting in allowed:
        return None
    return unknown_key(setting, allowed, part.get("type"))


def nothing_to_remove(path: tuple, part: dict) -> Iterator[tuple[tuple, Any]]:
    """Yield a problem for each null in ``part``, a part new to the variant."""
    for setting, value in part.items():
        if value is None:
            yield path + (setting,), _l('"%(key)s" is new in this variant, so "%(setting)s" has '
                                        "nothing to remove: leave it out", key=part.get("key"),
                                        setting=setting)


def given(part: dict) -> dict:
    """Return ``part`` without its nulls."""
    return {k: v for k, v in part.items() if v is not None}
