"""Where a definition refers to a field by its key, and renaming those references.

A field's key is read by the CEL expressions of fields, materials and steps (as a variable:
``kind == "2"``), by a step's ``region_field``, an id_card's ``name_field`` and the item's
``summary``. Renaming a field rewrites each of these in the same definition. An expression is
rewritten only where the key stands as a variable — not inside a text literal, not after a dot
(``person.kind``) — and only when the result compiles and reads exactly the same variables with
the new key for the old; otherwise it is left as it was and reported, so the administrator is
told rather than the expression silently changed.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

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


def rename_references(definition: dict, old: str, new: str) -> tuple[list, list]:
    """Rewrite, in place, what reads top-level field ``old`` to read ``new``; return the
    places changed and the places left (expressions that could not be rewritten safely)."""
    changed, left = [], []
    for kind, part_key, part in _parts(definition):
        inputs = expression_inputs(part, kind)
        for setting, source in inputs.items():
            if not _reads(source, old):
                continue
            result = rewrite(source, old, new)
            where = (_label(part, part_key), setting, result or source)
            if result is None:
                left.append(where)
                continue
            changed.append(where)
            if setting.startswith("rules."):
                part["rules"][int(setting.split(".")[1])]["check"] = result
            else:
                part[setting] = result
        for setting in ("region_field", "name_field"):
            if part.get(setting) == old:
                part[setting] = new
                changed.append((_label(part, part_key), setting, new))
    if old in (definition.get("summary") or []):
        definition["summary"] = [new if k == old else k for k in definition["summary"]]
        changed.append(("summary", "summary", new))
    return changed, left
