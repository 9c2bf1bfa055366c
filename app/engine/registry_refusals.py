"""Which refusals of an agent's answers come from the subject's registry record.

    reads_record(rule["check"], registry_keys(definition))   # the check reads the record
    check_inputs(rule["check"], answers, "region")            # what a try of it consisted of
    has_registry_checks(definition)                           # any such check at all

An agent filing for someone (not the subject, not a clerk who saw them) is shown none of the
subject's record (app.engine.answer_choices, app.engine.masked), but an answer held to it is
still accepted or refused: a choice whose ``among`` lists registry facts (SC-2's 暂停参保区划),
a rule whose ``check`` reads ``person`` or an answer the registry fills. Each refusal says yes
or no about the stranger's record, so app.engine.answers lists them (``Validation.refusals``:
the field's key and the values the check read, whose every new combination is one more try)
and app.agent_limit counts them per account.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from app.engine.answer_choices import _reads, registry_keys, reads_registry
from app.engine.cel import ExpressionError, compile_expression


def reads_record(source: Any, registry: Iterable[str]) -> bool:
    """Tell whether a CEL text reads ``person`` or an answer the registry fills."""
    return _reads(source, set(registry))


def check_inputs(source: str, values: Mapping, own: str) -> str:
    """Return, as canonical JSON, the answers a check read: the field's own and the others it
    names (``person`` is the subject's, the same on every try)."""
    try:
        names = set(compile_expression(source).references)
    except ExpressionError:
        names = set()
    names = sorted((names | {own}) & set(values))
    return json.dumps({name: values[name] for name in names}, sort_keys=True,
                      ensure_ascii=False, default=str)


def _fields(definition: Mapping) -> Iterable[Mapping]:
    for page in definition.get("pages", ()):
        for field in page.get("fields", ()):
            yield field
            if isinstance(field.get("fields"), list):
                yield from field["fields"]


def has_registry_checks(definition: Mapping) -> bool:
    """Tell whether an agent's answer to the item can be refused by the subject's record."""
    registry = registry_keys(definition)
    return any(reads_registry(field, registry)
               or any(reads_record(rule.get("check"), registry)
                      for rule in field.get("rules", ()) if isinstance(rule, Mapping))
               for field in _fields(definition))
