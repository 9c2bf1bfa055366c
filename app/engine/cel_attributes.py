"""Lint: the attributes an expression reads of ``person``, of an enrollment and of a row exist.

CEL compiles ``person.enrolments`` (one "l") and ``members.exists(m, m.m_nam == "x")`` without a
word: an attribute is looked up only when the expression runs, and a key the value lacks is read
as a missing answer there (app.engine.cel_failures), so a rule is quietly not applied and a
condition quietly decided. This check reads the expression's tokens instead and follows each
selection (``a.b.c``, ``a[0].b``) from a variable whose shape is known, and the names the macros
bind (``e`` in ``person.enrollments.exists(e, …)``) to the items of the list they run over::

    shapes = expression_shapes(kinds)          # person, and each answer by its field's kind
    attribute_problems('person.enrolments.exists(e, e.status == "1")', shapes)
    # [AttributeProblem(written="person.enrolments", owner="person", name="enrolments", …)]

The shapes come from where the values are made, never from a list kept here: ``person`` is
:func:`app.registry.base.person_variables` of a sample record (the one the type trials use), an
answer is its field type's ``cel_spec`` (a repeating group's rows, a date range's start and end,
an enrollments table's columns). A shape is a dict (a map: its keys' shapes), a
``("list", item shape)``, a kind's name (a value with no parts) or None (not known: not checked).
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from app.engine.cel_compare import _tokens

_MACROS = frozenset({"all", "exists", "exists_one", "map", "filter"})
_KEYWORDS = frozenset({"true", "false", "null", "in"})


@dataclass(frozen=True)
class AttributeProblem:
    """``written`` (``person.enrolments``) reads ``name`` of ``owner``, which has no such part.

    ``known`` lists what ``owner`` has (empty when it is a list or a plain value: ``kind``);
    ``item_of`` is the list a macro's name (``e``) runs over when ``owner`` is that name."""

    written: str
    owner: str
    name: str
    known: tuple = ()
    kind: Optional[str] = None  # "list", or the kind of a plain value (text, number …)
    item_of: Optional[str] = None


def shape_of(value: Any) -> Any:
    """Return the shape of a CEL-ready value (see the module's docstring)."""
    if isinstance(value, Mapping):
        return {str(key): shape_of(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return ("list", shape_of(value[0]) if value else None)
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "text"
    return "date" if isinstance(value, dt.datetime) else None


def spec_shape(spec: Any) -> Any:
    """Return the shape of an answer of CEL kind ``spec`` (``"text"``, ``("list", {…})`` …)."""
    kind, item = spec if isinstance(spec, tuple) else (spec, None)
    if kind == "list":
        return ("list", {str(k): spec_shape(v) for k, v in item.items()}
                if isinstance(item, Mapping) else spec_shape(item) if item else None)
    if kind == "map":
        return {str(k): spec_shape(v) for k, v in item.items()} if isinstance(
            item, Mapping) else None
    return "number" if kind == "money" else kind


@functools.lru_cache(maxsize=1)
def person_shape() -> dict:
    """Return the shape of ``person`` as the registry makes it (every key, enrollments too)."""
    from app.engine.lint_types import _person  # the type trials' sample person

    return shape_of(_person())


def expression_shapes(kinds: Mapping[str, Any]) -> dict[str, Any]:
    """Return the known shapes: ``person`` and each answer in ``kinds`` (``cel_spec`` by key)."""
    return {**{key: spec_shape(spec) for key, spec in kinds.items()}, "person": person_shape()}


def attribute_problems(source: str, shapes: Mapping[str, Any]) -> list[AttributeProblem]:
    """Return each selection of ``source`` that reads a part its value does not have."""
    tokens = _tokens(source)
    problems: list[AttributeProblem] = []
    bound: list[tuple[str, Any, str, int]] = []  # (name, shape, list, depth opened at)
    pending: dict[int, tuple[Any, str]] = {}  # at a macro's "(": its list's item shape, list
    depth = 0
    for i, (group, text, _start, _end) in enumerate(tokens):
        if text == "(":
            if _binds(tokens, i):  # the name shadows any variable, known list or not
                bound.append((tokens[i + 1][1], *pending.pop(i, (None, "")), depth))
            depth += 1
        elif text == ")":
            depth -= 1
            while bound and bound[-1][3] == depth:
                bound.pop()
        elif group == "word" and text not in _KEYWORDS and not (
                i > 0 and tokens[i - 1][1] == ".") and not _next_is(tokens, i, "("):
            binding = next((b for b in reversed(bound) if b[0] == text), None)
            shape = binding[1] if binding is not None else shapes.get(text)
            if shape is not None:
                _follow(tokens, i, shape, binding[2] if binding else None, problems, pending)
    return problems


def _next_is(tokens: list, i: int, text: str) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1][1] == text


def _binds(tokens: list, i: int) -> bool:
    """Tell whether the "(" at ``i`` opens a macro that binds a name (``.exists(e, …``)."""
    return (i >= 2 and tokens[i - 2][1] == "." and tokens[i - 1][1] in _MACROS
            and i + 2 < len(tokens) and tokens[i + 1][0] == "word" and tokens[i + 2][1] == ",")


def _follow(tokens: list, i: int, shape: Any, item_of: Optional[str], problems: list,
            pending: dict) -> None:
    """Follow the selections after the variable at ``i``; note a macro's list for its name."""
    written = tokens[i][1]
    j = i + 1
    while j < len(tokens) and shape is not None:
        if tokens[j][1] == "[" and isinstance(shape, tuple):
            j = _closing(tokens, j, "[", "]") + 1
            written, shape, item_of = written + "[…]", shape[1], None
            continue
        if not (tokens[j][1] == "." and j + 1 < len(tokens) and tokens[j + 1][0] == "word"):
            return
        name = tokens[j + 1][1]
        if _next_is(tokens, j + 1, "("):  # a method or a macro: the chain ends here
            if name in _MACROS and isinstance(shape, tuple):
                pending[j + 2] = (shape[1], written)
            return
        if isinstance(shape, dict) and name in shape:
            written, shape, item_of = f"{written}.{name}", shape[name], None
            j += 2
            continue
        problems.append(AttributeProblem(
            f"{written}.{name}", written, name,
            tuple(sorted(shape)) if isinstance(shape, dict) else (),
            None if isinstance(shape, dict) else "list" if isinstance(shape, tuple)
            else str(shape), item_of))
        return


def _closing(tokens: list, j: int, opening: str, closing: str) -> int:
    """Return the index of the bracket closing the one at ``j`` (the last token if none)."""
    level = 0
    for k in range(j, len(tokens)):
        level += {opening: 1, closing: -1}.get(tokens[k][1], 0)
        if level == 0:
            return k
    return len(tokens) - 1
