"""The values ``among`` allows a choice, and which of them an agent is not offered.

    registry = registry_keys(definition)               # answers the person registry fills
    reads_registry(field, registry)                    # its ``among`` lists registry facts
    choices, withheld = evaluate_choices(run, fields, visible, seen, kinds)

``among`` is CEL giving the values a choice allows (app.engine.answers refuses any other). One
that reads the subject's registry record — ``person``, or an answer the registry fills (a type
with a ``source`` such as ``enrollments``, a read-only ``prefill: person.…`` beyond the declared
identity, a ``compute`` reading either) — lists the subject's registry facts: SC-2's 暂停参保区划
offers the regions where the subject is insured. An agent filing for someone (not the subject,
not a clerk who saw them) is not offered those values: the field offers its own options as if
it had no ``among`` (a region's ``within`` and ``level``, a dictionary's code table and
``only``, a select's ``options``), and the answer is still held to ``among`` at every save and
at submission, refused with :data:`NOT_ON_RECORD`, which names no registry value.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from app.engine import cel_failures
from app.engine.answer_values import from_cel
from app.engine.cel import ExpressionError, compile_expression
from app.engine.masked import from_registry

#: Why an agent's answer to a choice built from the registry is refused: no value is named.
NOT_ON_RECORD = _l("This does not match what the insured-person registry holds for the person "
                   "you apply for. Check the answer with them.")
_PERSON = re.compile(r"(?<![\w.])person\b")


def _reads(source: Any, names: set[str]) -> bool:
    """Tell whether a CEL text reads ``person`` or one of ``names`` (yes when unsure)."""
    if not isinstance(source, str):
        return False
    if _PERSON.search(source):
        return True
    try:
        return bool(compile_expression(source).references & names)
    except ExpressionError:
        return False  # never evaluated: it reads nothing


def _fields(definition: Mapping) -> Iterable[Mapping]:
    for page in definition.get("pages", ()):
        for field in page.get("fields", ()):
            yield field
            yield from field.get("fields", ()) if isinstance(field.get("fields"), list) else ()


def registry_keys(definition: Mapping) -> frozenset[str]:
    """Return the keys of the fields whose answers the person registry gives (or a
    computation from it), whoever files."""
    fields = [f for f in _fields(definition) if isinstance(f.get("key"), str)]
    keys = {f["key"] for f in fields if from_registry(f)}
    for _ in range(len(fields)):
        more = {f["key"] for f in fields if f["key"] not in keys and _reads(f.get("compute"), keys)}
        if not more:
            break
        keys |= more
    return frozenset(keys)


def reads_registry(field: Mapping, registry: Iterable[str]) -> bool:
    """Tell whether a field's ``among`` lists the subject's registry facts."""
    return _reads(field.get("among"), set(registry))


def evaluate_choices(run: Any, fields: list, visible: set, seen: Mapping, kinds: Mapping
                     ) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """Return the values ``among`` allows per visible field (none when it cannot be evaluated)
    and the keys of those built from the registry that ``run`` (an agent's) does not offer."""
    among = [f for f in fields if f["key"] in visible and isinstance(f.get("among"), str)]
    if not among:
        return {}, frozenset()
    scope, choices = run.scope(seen, kinds), {}
    for field in among:
        values = cel_failures.evaluate(run.definition, field["among"], scope,
                                       f"among of {field['key']}", None, False)
        values = from_cel(values) if values is not None else []
        choices[field["key"]] = tuple(dict.fromkeys(
            str(v) for v in values if isinstance(v, (str, int)) and not isinstance(v, bool))
            if isinstance(values, (list, tuple)) else ())
    withheld = frozenset(f["key"] for f in among if reads_registry(f, run.registry)) \
        if run.agent else frozenset()
    return choices, withheld
