"""Lint: every attribute an expression reads exists (:mod:`app.engine.cel_attributes`).

``person.enrolments``, ``e.statu`` inside ``person.enrollments.exists(e, …)``, a repeating
group's ``m.m_nam`` or a date range's ``period.stop`` compile, and at run time read as a missing
answer: a rule not applied, a condition decided without it. Each is an error at the line of the
expression naming what the value has, as an unknown variable is; the item designer says the same
as the expression is typed (:func:`part_attribute_problem`).
"""
from __future__ import annotations

import difflib
from typing import Any, Iterable, Iterator, Mapping, Optional

from flask_babel import lazy_gettext as _l

from app.engine.cel_attributes import (AttributeProblem, attribute_problems,
                                       expression_shapes, person_shape)
from app.engine.cel_compare import _WORDS
from app.engine.lint_rules import FIELD_EXPRESSIONS, fields_of
from app.engine.problems import Collector


def _kinds(fields: Iterable) -> dict[str, Any]:
    """Return ``cel_spec`` by key of the fields that take an answer (malformed ones left out)."""
    from app.engine.fields import REGISTRY  # the other half of the engine

    kinds = {}
    for field in fields:
        if not isinstance(field, dict) or not isinstance(field.get("key"), str):
            continue
        ftype = REGISTRY.get(field.get("type")) if isinstance(field.get("type"), str) else None
        if ftype is not None and ftype.has_answer:
            try:
                kinds[field["key"]] = ftype.cel_spec(field)
            except (KeyError, TypeError, AttributeError):
                continue  # reported at the field
    return kinds


def _top_fields(definition: Mapping) -> list:
    return [f for p in definition.get("pages") or () if isinstance(p, dict)
            for f in p.get("fields") or () if isinstance(f, dict)]


def describe(problem: AttributeProblem) -> Any:
    """Say what ``problem`` reads that does not exist, as a lazy text."""
    owner = problem.owner if problem.item_of is None else _l(
        '"%(name)s" (an item of %(list)s)', name=problem.owner, list=problem.item_of)
    if problem.kind == "list":
        return _l('"%(written)s": %(owner)s is a list, which has no "%(name)s": read its items '
                  "with exists, all, filter or map, e.g. %(list)s.exists(x, x.%(name)s …)",
                  written=problem.written, owner=owner, name=problem.name, list=problem.owner)
    if problem.kind is not None:
        return _l('"%(written)s": %(owner)s is %(kind)s, which has no parts such as "%(name)s"',
                  written=problem.written, owner=owner, name=problem.name,
                  kind=_WORDS.get(problem.kind, problem.kind))
    close = difflib.get_close_matches(problem.name, problem.known, n=1, cutoff=0.6)
    if close:
        return _l('"%(written)s": %(owner)s has no "%(name)s": did you mean "%(close)s"? '
                  "(it has: %(known)s)", written=problem.written, owner=owner,
                  name=problem.name, close=close[0], known=", ".join(problem.known))
    return _l('"%(written)s": %(owner)s has no "%(name)s" (it has: %(known)s)',
              written=problem.written, owner=owner, name=problem.name,
              known=", ".join(problem.known))


def _expressions(definition: Mapping) -> Iterator[tuple[tuple, Any, Any, dict]]:
    """Yield (path, where, source, shapes) of every expression, with what it may read."""
    every = expression_shapes(_kinds(_top_fields(definition)))
    for path, field, group, _page in fields_of(definition):
        shapes = every if group is None else {
            **every, **expression_shapes(_kinds(group.get("fields") or ()))}
        label = f"{group.get('key')}.{field.get('key')}" if group else str(field.get("key"))
        for setting in FIELD_EXPRESSIONS:
            yield (path + (setting,), _l('%(setting)s of field "%(key)s"', setting=setting,
                                         key=label), field.get(setting), shapes)
        for index, rule in enumerate(field.get("rules") or ()):
            if isinstance(rule, dict):
                yield (path + ("rules", index, "check"), _l(
                    'rule %(number)s of field "%(key)s"', number=index + 1, key=label),
                    rule.get("check"), shapes)
    for index, material in enumerate(definition.get("materials") or ()):
        if isinstance(material, dict):
            yield (("materials", index, "required_when"), _l(
                'required_when of material "%(key)s"', key=material.get("key")),
                material.get("required_when"), every)
    for index, step in enumerate(definition.get("approval") or ()):
        for setting in ("when", "auto") if isinstance(step, dict) else ():
            yield (("approval", index, setting), _l(
                '%(setting)s of step "%(key)s"', setting=setting, key=step.get("key")),
                step.get(setting), every)
    document = definition.get("result_document")
    if isinstance(document, dict):  # ``e`` is one of person.enrollments (app.engine.documents)
        yield (("result_document", "enrollment"), _l("enrollment of result_document"),
               document.get("enrollment"),
               {**every, "e": person_shape()["enrollments"][1]})


def check_attributes(definition: dict, c: Collector) -> None:
    """Report every attribute an expression reads that its value does not have."""
    for path, where, source, shapes in _expressions(definition):
        if isinstance(source, str):
            for problem in attribute_problems(source, shapes):
                c.add(path, _l("%(where)s: %(problem)s", where=where,
                               problem=describe(problem)))


def part_attribute_problem(source: str, definition: Mapping, part: tuple[str, str]
                           ) -> Optional[Any]:
    """Return what an input of a part (``("field", "group.key")``, ``("step", key)`` …) reads
    that does not exist, as a lazy text, or None (the designer's check as typed)."""
    shapes = expression_shapes(_kinds(_top_fields(definition)))
    group = part[1].rpartition(".")[0] if part[0] == "field" else ""
    for field in _top_fields(definition) if group else ():
        if field.get("key") == group:
            shapes.update(expression_shapes(_kinds(field.get("fields") or ())))
    problems = attribute_problems(source, shapes)
    return describe(problems[0]) if problems else None
