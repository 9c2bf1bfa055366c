"""Lint warning: a condition an agent sees the effect of reads the subject's registry record.

An agent filing for someone (``filers`` with ``agent``) is shown none of the subject's record
beyond the identity they declared (app.engine.masked, app.engine.answer_choices). But a
question shown or hidden, or marked required, by a ``visible_when`` or ``required_when`` that
reads ``person`` (``person.enrollments.exists(…)``) or an answer the registry fills (an
``enrollments`` table, a read-only ``prefill: person.…``) shows them the fact it tests: the
page says it. So does a material's ``required_when``. Lint warns (the item still publishes):
the administrator decides whether that fact may be known to whoever knows the person's name
and ID number. Facts the agent declared, or the ID number encodes — ``name``, ``id_number``,
``cert_type``, ``sex``, ``birth_date``, ``age`` — reveal nothing and are not warned about.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Optional

from flask_babel import lazy_gettext as _l

from app.engine.answer_choices import registry_keys
from app.engine.cel import ExpressionError, compile_expression
from app.engine.lint_rules import fields_of
from app.engine.problems import Collector

#: What ``person`` gives that the agent declared, or that the declared ID number encodes.
DECLARED_FACTS = frozenset({"name", "id_number", "cert_type", "sex", "birth_date", "age"})
_PERSON = re.compile(r"(?<![\w.])person\b(\s*\.\s*(\w+))?")
SETTINGS = ("visible_when", "required_when")


def registry_reads(source: Any, registry: frozenset) -> list[str]:
    """Return what a CEL text reads of the subject's record beyond the declared identity:
    ``person.<fact>`` (``person`` when read whole) and answers the registry fills."""
    if not isinstance(source, str):
        return []
    found = []
    for match in _PERSON.finditer(source):
        fact = match.group(2)
        if fact not in DECLARED_FACTS:
            found.append(f"person.{fact}" if fact else "person")
    try:
        found += sorted(compile_expression(source).references & registry)
    except ExpressionError:
        return []  # reported as not compiling
    return list(dict.fromkeys(found))


def _conditions(definition: Mapping) -> Iterator[tuple[tuple, str, Any, str]]:
    """Yield (path, setting, expression, what) of each condition an agent sees the effect of."""
    for path, field, group, _page in fields_of(definition):
        key = f"{group.get('key')}.{field.get('key')}" if group else str(field.get("key"))
        for setting in SETTINGS:
            if field.get(setting):
                yield path + (setting,), setting, field[setting], \
                    _l('field "%(key)s"', key=key)
    for index, material in enumerate(definition.get("materials") or ()):
        if isinstance(material, Mapping) and material.get("required_when"):
            yield ("materials", index, "required_when"), "required_when", \
                material["required_when"], _l('material "%(key)s"', key=material.get("key"))


def warn_agent_visible_registry(definition: Mapping, c: Collector,
                                filers: Optional[list] = None) -> None:
    """Warn of each condition an agent sees the effect of that reads the subject's record."""
    filers = filers if filers is not None else definition.get("filers") or ["self"]
    if "agent" not in filers:
        return
    registry = registry_keys(definition)
    for path, setting, source, what in _conditions(definition):
        reads = registry_reads(source, registry)
        if reads:
            c.warn(path, _l(
                "%(setting)s of %(what)s reads the registry record of the person applied for "
                "(%(reads)s): an agent filing for them sees the question or material shown, "
                "hidden or required by it, and so learns that fact of someone they only need "
                "the name and ID number of. If that fact is not for an agent to know, ask the "
                "question of everyone and check the answer with a rule instead, or leave agent "
                "out of filers", setting=setting, what=what, reads=", ".join(reads)))
