"""Where a definition refers to a field by its key, and renaming those references.

A field's key is read by the CEL expressions of fields, materials and steps (as a variable:
``kind == "2"``), by a step's ``region_field``, an id_card's ``name_field`` and the item's
``summary``. Renaming a field rewrites each of these in the same definition. An expression is
rewritten only where the key stands as a variable — not inside a text literal, not after a dot
(``person.kind``) — and only when the result compiles and reads exactly the same variables with
the new key for the old; otherwise it is left as it was and reported, so the administrator is
told rather than the expression silently changed.

A field of a repeating group is read by its siblings as a variable (its row's value) and by
any expression through the group's rows: ``children.all(c, c.birth_date < today)``,
``children[0].birth_date``. Renaming it rewrites those (:func:`rename_row_references`); a
``.birth_date`` that may be a row but is reached otherwise (``children.filter(…)[0]``, a row
variable bound to two lists) leaves the expression as it was and reported.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator, Optional

from app.engine.cel import ExpressionError, compile_expression
from app.engine.cel_check import expression_inputs

# Text literals (any quoting, raw/bytes prefixes), then identifiers with what precedes them.
_TOKENS = re.compile(r"""(?P<text>[rRbB]{0,2}(?:'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\"|'(?:\\.|[^\\'\n])*'|"(?:\\.|[^\\"\n])*"))"""
                     r"|(?P<dot>\.\s*)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)")


def _parts(definition: dict) -> Iterator[tuple[str, str, dict]]:
    """Yield (kind, key, part) for every field (a group's as ``group.child``), material, step."""
    for page in definition.get("pages") or []:
        for field in page.get("fields") or []:
            yield "field", field.get("key"), field
            children = field.get("fields") if isinstance(field.get("fields"), list) else []
            for child in children:
                yield "field", f"{field.get('key')}.{child.get('key')}", child
    for kind, name in (("material", "materials"), ("step", "approval")):
        for part in definition.get(name) or []:
            yield kind, part.get("key"), part


def _reads(source: str, key: str) -> bool:
    try:
        return key in compile_expression(source).references
    except ExpressionError:
        return False


def _label(part: dict, key: str) -> str:
    from app import local_text

    text = part.get("label") or part.get("name") or part.get("title")
    return f"{local_text(text)} ({key})" if text else key


def references_to(definition: dict, key: str, skip: Iterable[str] = ()) -> list[tuple]:
    """Return (part, setting, text) for each place that reads field ``key``, outside the parts
    whose keys are in ``skip`` (the field itself, when it is being deleted)."""
    skip = set(skip)
    found = []
    for kind, part_key, part in _parts(definition):
        if part_key in skip or part_key.partition(".")[0] in skip:
            continue
        for setting, source in expression_inputs(part, kind).items():
            if _reads(source, key):
                found.append((_label(part, part_key), setting, source))
        for setting in ("region_field", "name_field"):
            if part.get(setting) == key:
                found.append((_label(part, part_key), setting, key))
    if key in (definition.get("summary") or []):
        found.append(("summary", "summary", key))
    return found


def rewrite(source: str, old: str, new: str):
    """Return ``source`` reading ``new`` where it read the variable ``old``, or None when that
    cannot be done safely (the rewritten expression must compile and read the same names)."""
    def swap(match: re.Match) -> str:
        if match["name"] == old and not match["dot"]:
            return new
        return match[0]
    result = _TOKENS.sub(swap, source)
    try:
        before = compile_expression(source).references
        after = compile_expression(result).references
    except ExpressionError:
        return None
    return result if after == (before - {old}) | {new} else None


def _put(part: dict, part_key: str, setting: str, source: str, result: Optional[str],
         changed: list, left: list) -> None:
    """Write a rewritten expression back into ``part`` and list it as changed; ``None`` (not
    safely rewritable) leaves it as it was, listed as left to change."""
    where = (_label(part, part_key), setting, result or source)
    if result is None:
        left.append(where)
        return
    changed.append(where)
    if setting.startswith("rules."):
        part["rules"][int(setting.split(".")[1])]["check"] = result
    else:
        part[setting] = result


def rename_references(definition: dict, old: str, new: str) -> tuple[list, list]:
    """Rewrite, in place, what reads top-level field ``old`` to read ``new``; return the
    places changed and the places left (expressions that could not be rewritten safely)."""
    changed, left = [], []
    for kind, part_key, part in _parts(definition):
        inputs = expression_inputs(part, kind)
        for setting, source in inputs.items():
            if not _reads(source, old):
                continue
            _put(part, part_key, setting, source, rewrite(source, old, new), changed, left)
        for setting in ("region_field", "name_field"):
            if part.get(setting) == old:
                part[setting] = new
                changed.append((_label(part, part_key), setting, new))
    if old in (definition.get("summary") or []):
        definition["summary"] = [new if k == old else k for k in definition["summary"]]
        changed.append(("summary", "summary", new))
    return changed, left


# ``list.all(r, …)`` and the other macros: who the row variable ``r`` ranges over.
_MACRO = re.compile(r"(?P<dot>\.\s*)?(?P<list>[A-Za-z_][A-Za-z0-9_]*|[\])])\s*\.\s*"
                    r"(?:all|exists_one|exists|map|filter)\s*\(\s*"
                    r"(?P<row>[A-Za-z_][A-Za-z0-9_]*)\s*,")
_RECEIVER = re.compile(r"(?:(?P<dot>\.\s*)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<index>\]))\s*$")


def _rows_rewritten(source: str, group: str, old: str, new: str):
    """Return ``source`` with each ``row.old`` on a row of repeating group ``group`` (bound by
    ``group.all(row, …)`` and the like, or ``group[i]``) reading ``new``; ``source`` itself when
    it reads no such row key; None when some ``.old`` may be a row of ``group`` but is not one
    of these (``group.filter(…)[0].old``, a row variable also bound to another list)."""
    try:
        if group not in compile_expression(source).references:
            return source
    except ExpressionError:
        return source
    texts = [m.span() for m in _TOKENS.finditer(source) if m["text"]]
    outside = [m for m in _MACRO.finditer(source)
               if not any(a <= m.start() < b for a, b in texts)]
    ours = {m["row"] for m in outside if m["list"] == group and not m["dot"]}
    others = {m["row"] for m in outside if m["list"] != group or m["dot"]}
    pieces, at = [], 0
    for match in _TOKENS.finditer(source):
        if match["text"] or match["name"] != old or not match["dot"]:
            continue
        receiver = _RECEIVER.search(source, 0, match.start())
        name = receiver["name"] if receiver and not receiver["dot"] else None
        if receiver and receiver["index"]:
            opened = source.rfind("[", 0, receiver.start())
            before = _RECEIVER.search(source, 0, opened) if opened >= 0 else None
            if not (before and before["name"] == group and not before["dot"]):
                return None
        elif name in ours and name not in others:
            pass
        elif name is None or name == group or name in others:
            return None
        else:
            continue  # a field of another variable (person.old)
        start = match.start("name")
        pieces.append(source[at:start] + new)
        at = match.end("name")
    result = "".join(pieces) + source[at:]
    try:
        same = compile_expression(result).references == compile_expression(source).references
    except ExpressionError:
        return None
    return result if same else None


def rename_row_references(definition: dict, group: str, old: str, new: str) -> tuple[list, list]:
    """Rewrite, in place, what reads field ``old`` of repeating group ``group`` to read ``new``:
    its siblings' expressions (``old`` as a variable) and ``name_field``, and every expression's
    rows of the group (``group.all(r, r.old …)``, ``group[0].old``); return the places changed
    and the places left, as :func:`rename_references` does."""
    changed, left = [], []
    for kind, part_key, part in _parts(definition):
        sibling = part_key.startswith(f"{group}.")
        for setting, source in expression_inputs(part, kind).items():
            result = _rows_rewritten(source, group, old, new)
            bare = sibling and _reads(source, old)
            if result == source and not bare:
                continue
            if result is not None and bare:
                result = rewrite(result, old, new)
            _put(part, part_key, setting, source, result, changed, left)
        if sibling and part.get("name_field") == old:
            part["name_field"] = new
            changed.append((_label(part, part_key), "name_field", new))
    return changed, left
