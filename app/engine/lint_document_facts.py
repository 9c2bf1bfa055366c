"""A warning when an item approved by rule prints in its ``result_document`` an answer nobody
checked: the document would state, with the agency's name on it, whatever the applicant typed.

SC-3's certificate once printed 险种类型 and 参保区划 as answered while its ``auto`` step only
asked that they be filled in: anyone could obtain an official certificate of insurance they do
not hold. The heuristic is deliberately simple (docs/engine.md, ``result_document``). When some
step of the chain has ``auto``, each ``{{answers.<key>}}`` of the title or body is reported
(a warning: the item still publishes) unless the question

- is ``readonly`` (its answer never comes from the input: the registry or a default),
- is prefilled from an identity fact of ``person`` that the engine holds editable answers to
  (``app.engine.subject_identity``: name, ID number, document type, sex, birth date),
- offers only the definition's own wording (``select``, ``radio``: the document can print
  nothing but the item's own options),
- is never shown on an application a rule may approve (:func:`never_by_rule`), or
- is read together with ``person`` by one expression: a ``rules`` check of a question outside
  a repeating group, or an ``auto`` of the chain (the answer is then compared with the record).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Iterator

from flask_babel import lazy_gettext as _l

from app.engine.cel import ExpressionError, Scope, bind_answers, compile_expression
from app.engine.problems import Collector, Problem

#: Prefills the engine holds an editable answer to (app.engine.subject_identity).
IDENTITY_PREFILLS = frozenset({"person.name", "person.id_number", "person.cert_type",
                               "person.sex", "person.birth_date"})
#: Types whose answer is one of the definition's own options.
OWN_WORDING = frozenset({"select", "radio"})


def _expressions(definition: Mapping, fields: Mapping) -> Iterator[str]:
    for field in fields.values():
        for rule in field.get("rules") or ():
            if isinstance(rule, Mapping) and isinstance(rule.get("check"), str):
                yield rule["check"]
    for step in definition.get("approval") or ():
        if isinstance(step, Mapping) and isinstance(step.get("auto"), str):
            yield step["auto"]


def checked_against_person(definition: Mapping, fields: Mapping) -> set[str]:
    """Return the keys some rule or ``auto`` reads together with ``person``."""
    keys: set[str] = set()
    for source in _expressions(definition, fields):
        try:
            references = compile_expression(source).references
        except ExpressionError:
            continue  # reported by the CEL checks
        if "person" in references:
            keys |= set(references)
    return keys


def unchecked(field: Mapping, tied: set[str]) -> bool:
    """Tell whether the answer to ``field`` is the applicant's word, checked by nothing."""
    return not (field.get("readonly") is True or field.get("prefill") in IDENTITY_PREFILLS
                or field.get("type") in OWN_WORDING or field.get("key") in tied)


def warn_unchecked_answers(definition: Mapping, fields: Mapping,
                           texts: list[tuple[tuple, str, list[str]]], c: Collector) -> None:
    """Warn at each text of the document that prints an unchecked answer of an item with an
    ``auto`` step (``texts``: path, text and placeholder names, as documents found them)."""
    steps = definition.get("approval") or ()
    if not any(isinstance(step, Mapping) and step.get("auto") for step in steps):
        return
    tied = checked_against_person(definition, fields)
    tied |= {key for key, field in fields.items()
             if isinstance(field, Mapping) and never_by_rule(field, steps, fields)}
    for path, text, names in texts:
        for name in dict.fromkeys(names):
            field: Any = fields.get(name.split(".", 1)[1]) if name.startswith("answers.") \
                else None
            if isinstance(field, Mapping) and unchecked(field, tied):
                c.warnings.append(Problem(c.path, placed_line(c, path, text, name), str(_l(
                    'result_document: "{{%(name)s}}" prints an answer the applicant may type, '
                    "and a step of this item approves by rule (auto): the document would state "
                    "it unchecked. Make the question readonly, or check it against the "
                    "registry with a rule reading person", name=name))))


def never_by_rule(field: Mapping, steps: Any, fields: Mapping) -> bool:
    """Tell whether ``field`` is never shown on an application a rule may approve: its
    ``visible_when`` and the ``when`` of every ``auto`` step read one select/radio question
    only and hold together for none of its options (nor unanswered). SC-3's 其他用途说明 is shown
    for 其他 only, which no rule issues."""
    from app.engine.fields import cel_kinds  # the other half of the engine

    visible = field.get("visible_when")
    autos = [step for step in steps if isinstance(step, Mapping) and step.get("auto")]
    if not isinstance(visible, str) or not autos:
        return False
    for step in autos:
        if not isinstance(step.get("when"), str):
            return False
        try:
            programs = [compile_expression(visible), compile_expression(step["when"])]
        except ExpressionError:
            return False
        keys = set().union(*(program.references for program in programs))
        choice = fields.get(next(iter(keys))) if len(keys) == 1 else None
        if not isinstance(choice, Mapping) or choice.get("type") not in OWN_WORDING:
            return False
        values = [o.get("value") if isinstance(o, Mapping) else o
                  for o in choice.get("options") or ()] + [None]
        for value in values:
            scope = Scope(bind_answers({choice["key"]: value}, cel_kinds([choice])))
            try:
                if all(program.evaluate_bool(scope) for program in programs):
                    return False
            except ExpressionError:
                return False
    return True


def placed_line(c: Collector, path: tuple, text: str, written: str) -> int:
    """Return the line of ``written`` (a placeholder's name, or a malformed one as written)."""
    written_here = c.locate is None or c.locate(path) is not None
    return c.line(path) + (line_in(text, written) if written_here else 0)


def line_in(text: str, name: str) -> int:
    """Return how many lines below its key the first ``{{name}}`` (or ``name`` written as it
    stands) of ``text`` is: a text ending in a line break is a block (``|``) starting on the
    next line."""
    match = re.search(r"\{\{\s*" + re.escape(name) + r"\s*\}\}", text)
    start = match.start() if match else text.find(name)
    before = text[:start] if start >= 0 else ""
    return (1 if text.endswith("\n") else 0) + before.count("\n")
