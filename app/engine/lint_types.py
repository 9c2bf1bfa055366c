"""Lint: the types inside each CEL expression match, found by trying it on sample answers.

The CEL package checks no types when compiling: ``amount > "x"`` on a money field compiles, and
at run time fails with "no such overload" on every answer. Lint therefore evaluates each
expression that compiles and reads only what it may (:mod:`app.engine.lint_rules` reports the
rest) with a sample answer of each field's CEL kind (money and numbers as doubles, dates as
timestamps, yes/no as bools, lists and rows as at run time), a sample ``person`` made the way the
registry makes it, ``filer``, ``region`` and ``today``. Every sample is a value, never null: an
expression that fails only on a missing answer is the engine's to handle (a condition that
cannot be decided, app.engine.answers), not a type error.

An error absorbed by ``&&``/``||`` or a branch not taken goes unseen on one sample, so the
expression is tried again with the text, number and yes/no answers it reads set, one at a time,
to the literals it compares them with (``kind == "2" && amount > "x"``) and with ``filer`` as
"agent". Reported: an operator or function given types it does not take (no such overload,
mixed arithmetic such as ``amount + 1``), and a condition that gives no true/false (or an
``among`` that gives no list). Errors a function raises on a sample's value (``date(text)`` with
a text that is no date) depend on the answer and are not reported. An answer compared with a
literal it can never equal (``special == 1`` on a choice: legal CEL, false for every answer) is
found by reading the expression instead (:mod:`app.engine.cel_compare`).
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from contextlib import contextmanager
from typing import Any, Iterator, Mapping, Optional

from flask_babel import lazy_gettext as _l

from app.engine.cel import ExpressionError, compile_expression
from app.engine.cel_compare import comparison_problem, labels_of
from app.engine.cel_cost import ANSWER_ROWS, refusal
from app.engine.cel_functions import midnight
from app.engine.limits import max_items
from app.engine.lint_rules import BASE_VARIABLES, FIELD_EXPRESSIONS, fields_of
from app.engine.problems import Collector

MAX_TRIALS = 40
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'')
_NUMBER = re.compile(r"(?<![\w.\"'])(\d+(?:\.\d+)?)(?![\w.])")
_SAMPLE_DAY = dt.date(2024, 3, 1)
_BOOLEAN = {"visible_when", "required_when", "check", "when", "auto"}
#: Text samples by field type where "1" would make a banshi function refuse the value.
_TEXT_SAMPLES = {"region": "511702", "id_card": "11010519491231002X"}
_QUIET = threading.local()


class _QuietTrials(logging.Filter):
    """Drop the CEL package's warnings about functions refusing a sample (this thread only)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(_QUIET, "on", False)


_FILTER = _QuietTrials()


@contextmanager
def _quiet():
    logger = logging.getLogger("cel")
    if _FILTER not in logger.filters:  # added on first use, not at import
        logger.addFilter(_FILTER)
    _QUIET.on = True
    try:
        yield
    finally:
        _QUIET.on = False


def _sample(spec: Any, text: str = "1") -> Any:
    kind, item = spec if isinstance(spec, tuple) else (spec, None)
    if kind in ("number", "money"):
        return 1.0
    if kind == "date":
        return midnight(_SAMPLE_DAY)
    if kind == "bool":
        return True
    if kind == "list":
        if isinstance(item, Mapping):
            return [{key: _sample(sub) for key, sub in item.items()}]
        return [_sample(item or "text")]
    if kind == "map":
        return {key: _sample(sub) for key, sub in (item or {}).items()}
    return text


def _person() -> dict:
    from app.registry.base import EnrollmentRecord, PersonRecord, person_variables

    enrollment = EnrollmentRecord("390", "1", "511702", _SAMPLE_DAY, psn_type="1501",
                                  first_insured_month="2024-03", account_month="2024-03",
                                  employer_name="单位", employer_code="91510000000000000X",
                                  end_date=_SAMPLE_DAY)
    record = PersonRecord("11010519491231002X", "张三", "1", dt.date(1990, 1, 1), "511702",
                          mobile="13800000000", enrollments=(enrollment,))
    return person_variables(record, _SAMPLE_DAY)


def _alternatives(spec: Any, source: str) -> list:
    """Return other samples of a kind: the literals the expression compares answers with."""
    kind = spec[0] if isinstance(spec, tuple) else spec
    strings = [a or b for a, b in _STRING.findall(source)][:10]
    if kind == "text":
        return strings
    if kind == "list":
        item = spec[1] if isinstance(spec, tuple) else None
        return [] if isinstance(item, Mapping) else [[text] for text in strings]
    if kind in ("number", "money"):
        numbers = [float(n) for n in _NUMBER.findall(_STRING.sub("", source))][:5]
        return [value for n in numbers for value in (n + 1.0, n - 1.0, n)]
    if kind == "bool":
        return [False]
    return []


def _trials(references: frozenset, kinds: Mapping, source: str,
            texts: Mapping[str, str]) -> Iterator[dict]:
    base = {name: _sample(kinds[name], texts.get(name, "1")) for name in references
            if name in kinds}
    base.update(filer="self", region="511702", person=_person())
    yield base
    count = 1
    for name in sorted(references & kinds.keys()):
        for value in _alternatives(kinds[name], source):
            if count >= MAX_TRIALS:
                return
            count += 1
            yield {**base, name: value}
    if "filer" in references:
        yield {**base, "filer": "agent"}


def _kind_word(value: Any) -> Any:
    """Return what kind of value an expression gave, as a lazy text."""
    if isinstance(value, bool):
        return _l("true or false")
    if isinstance(value, (int, float)):
        return _l("a number")
    if isinstance(value, str):
        return _l("a text")
    if isinstance(value, dt.datetime):
        return _l("a date")
    if isinstance(value, (list, tuple)):
        return _l("a list")
    return _l("a map") if isinstance(value, dict) else type(value).__name__


def type_problem(source: str, kinds: Mapping, setting: str,
                 texts: Optional[Mapping[str, str]] = None) -> Optional[Any]:
    """Return why ``source`` cannot work on answers of these kinds (a lazy text), or None.

    :param kinds: the CEL kind of every field the expression may read (``cel_kinds``).
    :param setting: ``visible_when``, ``check``, ``compute``, ``among``, ``when`` …
    :param texts: a text sample by field key where "1" is no fit answer (a region code …).
    """
    with _quiet():
        return _type_problem(source, kinds, setting, texts or {})


def _type_problem(source: str, kinds: Mapping, setting: str,
                  texts: Mapping[str, str]) -> Optional[Any]:
    try:
        compiled = compile_expression(source)
    except ExpressionError:
        return None  # lint reports it as not compiling
    if compiled.references - kinds.keys() - BASE_VARIABLES:
        return None  # an unknown name: reported on its own
    for variables in _trials(compiled.references, kinds, source, texts):
        try:
            value = compiled.evaluate(variables)
        except ExpressionError as error:
            detail = error.detail or ""
            if detail.startswith("No such overload"):
                return _l("an operator or function here does not take the types of the "
                          "answers it is given (a number or money answer is compared with a "
                          "number, a text with a quoted text, a date with a date)")
            if detail.startswith("Unsupported operation"):
                found = re.match(r"Unsupported operation: ([^.]*)", detail)
                return _l("%(operation)s mixes kinds of numbers: with a number or money answer "
                          "write 1.0, not 1", operation=found[1] if found else detail)
            continue  # a function refused a sample's value: depends on the answer
        if setting in _BOOLEAN and not isinstance(value, bool):
            return _l("it gives %(kind)s, not true or false", kind=_kind_word(value))
        if setting == "among" and not isinstance(value, list):
            return _l("it gives %(kind)s, not a list", kind=_kind_word(value))
    return None


def _kinds(fields, texts: dict) -> dict:
    from app.engine.fields import REGISTRY  # the other half of the engine

    kinds = {}
    for field in fields:
        if field.get("type") in _TEXT_SAMPLES and isinstance(field.get("key"), str):
            texts[field["key"]] = _TEXT_SAMPLES[field["type"]]
        ftype = REGISTRY.get(field.get("type")) if isinstance(field.get("type"), str) else None
        if ftype is not None and ftype.has_answer and isinstance(field.get("key"), str):
            try:
                kinds[field["key"]] = ftype.cel_spec(field)
            except (KeyError, TypeError, AttributeError):
                continue  # a malformed field: reported at it
    return kinds


def part_problem(source: str, definition: Mapping, part: tuple[str, str],
                 setting: str) -> Optional[Any]:
    """Return :func:`type_problem` for an input of a part (``("field", "group.key")``,
    ``("step", key)`` …) of ``definition``; ``setting`` is the input's name (``rules.0.check``)."""
    texts: dict = {}
    pages = [p for p in definition.get("pages") or () if isinstance(p, dict)]
    fields = [f for p in pages for f in p.get("fields") or () if isinstance(f, dict)]
    kinds = _kinds(fields, texts)
    group = part[1].rpartition(".")[0] if part[0] == "field" else ""
    for field in fields if group else ():
        if field.get("key") == group:
            kinds.update(_kinds((f for f in field.get("fields") or () if isinstance(f, dict)),
                                texts))
    problem = type_problem(source, kinds, setting.rpartition(".")[2], texts)
    return comparison_problem(source, kinds, labels_of(definition)) if problem is None else problem


def _row_bounds(fields) -> dict[str, int]:
    """Return how many items each list answer may keep, by key (app.engine.cel_cost)."""
    from app.engine.fields import REGISTRY

    bounds = {}
    for field in fields:
        ftype = REGISTRY.get(field.get("type")) if isinstance(field.get("type"), str) else None
        if ftype is not None and ftype.has_answer and ftype.cel_kind == "list":
            limit = (max_items(field) if field.get("type") == "repeat"
                     else field.get("max_selections"))
            bounds[field.get("key")] = (2 * limit if isinstance(limit, int) and limit > 0
                                        else ANSWER_ROWS)
    return bounds


def check_types(definition: dict, c: Collector) -> None:
    """Report every expression whose types cannot match, or whose list checks over answers
    would cost too much on every save, at its line."""
    pages = [p for p in definition.get("pages") or () if isinstance(p, dict)]
    texts: dict = {}
    fields = [f for p in pages for f in p.get("fields") or () if isinstance(f, dict)]
    every, bounds = _kinds(fields, texts), _row_bounds(fields)
    labels = labels_of(definition)

    def check(source, path, where, kinds, setting):
        if isinstance(source, str):
            if refusal(source) is None and (costly := refusal(source, bounds)) is not None:
                c.block(path, _l("%(where)s: %(problem)s Lists of answers count as many items "
                                 "as they may keep: twice their max_items (without it, the "
                                 "setting FORMDEF_DEFAULT_MAX_ITEMS) or max_selections.",
                                 where=where, problem=costly))
                return
            problem = type_problem(source, kinds, setting, texts)
            if problem is None:
                problem = comparison_problem(source, kinds, labels)
            if problem is not None:
                c.block(path, _l("%(where)s: the expression's types do not match: %(problem)s",
                                 where=where, problem=problem))

    for path, field, group, _page in fields_of(definition):
        kinds = every
        if group is not None:
            kinds = {**every, **_kinds((f for f in group.get("fields") or ()
                                        if isinstance(f, dict)), texts)}
        label = f"{group.get('key')}.{field.get('key')}" if group else str(field.get("key"))
        for setting in FIELD_EXPRESSIONS:
            check(field.get(setting), path + (setting,),
                  _l('%(setting)s of field "%(key)s"', setting=setting, key=label), kinds,
                  setting)
        for number, rule in enumerate(field.get("rules") or (), start=1):
            if isinstance(rule, dict):
                check(rule.get("check"), path + ("rules", number - 1, "check"),
                      _l('rule %(number)s of field "%(key)s"', number=number, key=label),
                      kinds, "check")
    for index, material in enumerate(definition.get("materials") or ()):
        if isinstance(material, dict):
            check(material.get("required_when"), ("materials", index, "required_when"),
                  _l('required_when of material "%(key)s"', key=material.get("key")), every,
                  "required_when")
    for index, step in enumerate(definition.get("approval") or ()):
        for setting in ("when", "auto"):
            if isinstance(step, dict):
                check(step.get(setting), ("approval", index, setting),
                      _l('%(setting)s of step "%(key)s"', setting=setting, key=step.get("key")),
                      every, setting)
    document = definition.get("result_document")
    if isinstance(document, dict):  # ``e``: one of person.enrollments (a condition, as auto)
        from app.engine.fields.person import ENROLLMENT_KINDS

        check(document.get("enrollment"), ("result_document", "enrollment"),
              _l("enrollment of result_document"), {**every, "e": ("map", ENROLLMENT_KINDS)},
              "auto")
