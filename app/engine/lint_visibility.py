"""Lint: no question's ``visible_when`` depends on its own answer, directly or in a circle.

A hidden question is neither asked nor stored (CONTRACT.md §3), so ``spouse_name`` shown
``visible_when: 'spouse_note != null'`` while ``spouse_note`` is shown only when ``spouse_name``
is answered never appears; nor does one shown when it is itself answered. Each circle is one
error at the first of its questions, naming every question of it with its line. A field's
``required_when`` reading its own answer asks nothing (required once answered) and is an error
too; ``required_when`` across questions (each required once the other is answered) is fine.
A repeating group's fields form circles among their own row (siblings) only.
"""
from __future__ import annotations

from typing import Any, Iterable, Optional

from flask_babel import lazy_gettext as _l

from app.engine.cel import ExpressionError, compile_expression
from app.engine.lint_agent_view import warn_agent_visible_registry
from app.engine.lint_rules import fields_of
from app.engine.problems import Collector


def _reads(source: Any) -> frozenset:
    """Return the variables an expression reads (nothing when it does not compile: reported)."""
    if not isinstance(source, str):
        return frozenset()
    try:
        return compile_expression(source).references
    except ExpressionError:
        return frozenset()


def _own_required(label: str) -> Any:
    return _l('required_when of field "%(key)s" reads the field\'s own answer: it would be '
              "required only once it is answered, which asks nothing. Write required: true, "
              "or a condition on other answers", key=label)


def check_visibility(definition: dict, c: Collector) -> None:
    """Report ``visible_when`` circles and self-references, and a self-reading ``required_when``;
    warn of conditions reading the registry that an agent sees (app.engine.lint_agent_view)."""
    warn_agent_visible_registry(definition, c)
    for fields in _scopes(definition).values():
        by_key = {field["key"]: (path, label) for path, field, label in fields}
        for path, field, label in fields:
            if field["key"] in _reads(field.get("required_when")):
                c.add(path + ("required_when",), _own_required(label))
        for first, circle in _circles(fields):
            c.add(by_key[first][0] + ("visible_when",), _message(by_key[first][1], [
                _l("%(key)s (line %(line)s)", key=by_key[k][1],
                   line=c.line(by_key[k][0] + ("visible_when",))) for k in circle]))


def part_problems(definition: dict, key: str, part: dict) -> dict[str, Any]:
    """Return the designer's messages by input for field ``key`` (``group.name`` in a group)
    edited to ``part``: its ``visible_when`` or ``required_when`` reading its own answer, or a
    ``visible_when`` circle it is in."""
    group, _, own = key.rpartition(".")
    scope = _scopes(definition).get(group or None, [])
    fields = [(path, part if field["key"] == own else field, label)
              for path, field, label in scope]
    if not any(field["key"] == own for _p, field, _label in scope):
        fields.append(((), part, key))
    fields = [entry for entry in fields if isinstance(entry[1].get("key"), str)]
    errors = {}
    name = part.get("key")
    if name in _reads(part.get("required_when")):
        errors["required_when"] = _own_required(name)
    labels = {field["key"]: label for _p, field, label in fields}
    for first, circle in _circles(fields, only=name):
        errors["visible_when"] = _message(labels[first], [labels[k] for k in circle])
    return errors


def _scopes(definition: dict) -> dict[Optional[str], list[tuple[tuple, dict, str]]]:
    """Return the fields that see each other's answers: the item's, and each group's rows."""
    scopes: dict[Optional[str], list[tuple[tuple, dict, str]]] = {}
    for path, field, group, _page in fields_of(definition):
        if isinstance(field.get("key"), str):
            owner = group.get("key") if group is not None else None
            label = f"{owner}.{field['key']}" if owner is not None else field["key"]
            scopes.setdefault(owner, []).append((path, field, label))
    return scopes


def _message(label: str, steps: list) -> Any:
    if len(steps) == 1:
        return _l('visible_when of field "%(key)s" reads the field\'s own answer: a hidden '
                  "question cannot be answered, so whether it is shown cannot depend on its "
                  "answer", key=label)
    return _l("visible_when goes round in a circle: %(circle)s → %(first)s. A hidden question "
              "keeps no answer, so none of these can wait for another's: make one of them "
              "depend on an answer outside the circle",
              circle=" → ".join(str(step) for step in steps), first=label)


def _circles(fields: list, only: Optional[str] = None) -> Iterable[tuple[str, list[str]]]:
    """Yield (first field, circle) for each circle of ``visible_when`` among ``fields`` (a
    field reading itself is a circle of one), each once; with ``only``, those through it."""
    keys = {field["key"] for _path, field, _label in fields}
    edges = {field["key"]: [k for k in sorted(_reads(field.get("visible_when"))) if k in keys]
             for _path, field, _label in fields}
    reported: set = set()
    for _path, field, _label in fields:
        key = field["key"]
        circle = [key] if key in edges[key] else _circle(key, edges)
        if circle is None or frozenset(circle) in reported or (
                only is not None and only not in circle):
            continue
        reported.add(frozenset(circle))
        yield key, circle


def _circle(start: str, edges: dict[str, Iterable[str]]) -> Optional[list[str]]:
    """Return the shortest circle of other fields leading from ``start`` back to it, or None."""
    paths, seen = [[start]], {start}
    while paths:
        following = []
        for trail in paths:
            for key in edges.get(trail[-1], ()):
                if key == start and len(trail) > 1:
                    return trail
                if key not in seen:
                    seen.add(key)
                    following.append(trail + [key])
        paths = following
    return None
