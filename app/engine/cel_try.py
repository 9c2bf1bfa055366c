"""Try it: evaluate a part's expression on sample answers as the citizen's form would.

    outcome = try_expression("amount > 5000", "required_when", definition, {"amount": "12,000"})
    outcome.value, outcome.words      # True, "是"

A sample is text as typed; it is read by its field type's own parser (``12,000`` is the amount
12000.00, as the wizard reads it) and then bound as the runtime binds answers
(:func:`app.engine.cel.bind_answers`). An empty sample is an answer not given. An evaluation
that fails counts as it does at run time (:mod:`app.engine.cel_failures`, README's table): a
condition whose answer is missing is false (it waits for that answer), one that can never
work is true; a rule whose answer is missing is not applied; a step's ``when`` counts as true
and its ``auto`` hands the step to people. The outcome says which, in words. An answer
compared with a literal it can never equal (``special == 1`` on a choice) is evaluated as CEL
does (false), with lint's sentence saying why (:mod:`app.engine.cel_compare`).

The sample person is one the registry knows: ``person.enrollments`` is the sample enrollments
given (rows of insutype, status, region, start_date, end_date; none given: no enrollment), so a
rule reading them is applied as the real form applies it to such a person.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Optional

from flask_babel import get_locale, lazy_gettext as _l

from app.engine.cel import ExpressionError, Scope, bind_answers, compile_expression, to_cel
from app.engine.cel_compare import comparison_problem, labels_of
from app.engine.cel_check import PERSON_KINDS, SAMPLE_PERSON, TryOutcome, compile_message, \
    field_kinds
from app.engine.cel_failures import is_type_error, missing_answer
from app.engine.fields import EngineContext, get_type
from app.engine.fields.person import ENROLLMENT_KINDS
from app.engine.lint_rules import fields_of
from app.validators.errors import ValidationError

#: The columns of a sample enrollment (the rest of ENROLLMENT_KINDS is null, as when unknown).
ENROLLMENT_COLUMNS = ("insutype", "status", "region", "start_date", "end_date")
BOOLEAN = ("visible_when", "required_when", "check", "when", "auto")

#: What a failed evaluation counts as at run time, by setting: (an answer it reads is missing
#: — for conditions any failure but a type error —, it can never work). None: no value. A rule not applied lets the answer
#: pass; a rule that fails refuses it.
COUNTED = {"visible_when": (False, True), "required_when": (False, True),
           "check": ("not applied", "failed"), "when": (True, True), "auto": (False, False),
           "compute": (None, None), "among": (None, None)}
_RULE = {"not applied": _l("not applied"), "failed": _l("fails")}


def words(value: Any) -> str:
    """Say a value as the page does: 是 / 否, 无值, else the value."""
    if value is True:
        return str(_l("yes"))
    if value is False:
        return str(_l("no"))
    if value is None:
        return str(_l("no value"))
    return str(_RULE.get(value, value)) if isinstance(value, str) else str(value)


def _note(setting: str, reason: str, counted: Any) -> str:
    """Say why an evaluation failed and what it counts as (README's table)."""
    why = {"missing": _l("An answer it reads is missing"),
           "type": _l("It can never work with these kinds of answers"),
           "other": _l("It could not be evaluated")}[reason]
    if setting == "auto":
        return str(_l("%(why)s: the step is handed to people.", why=why))
    if setting in ("visible_when", "required_when") and reason == "missing":
        return str(_l("%(why)s: counts as %(value)s, waiting for that answer.", why=why,
                      value=words(counted)))
    return str(_l("%(why)s: counts as %(value)s.", why=why, value=words(counted)))


def _context(region: str) -> EngineContext:
    """Return the context the citizen's form reads answers with (code tables, regions)."""
    from app.commands.applications.context import engine_context  # it imports the engine

    locale = str(get_locale() or "zh")
    return engine_context(region, locale) if region else EngineContext(locale=locale)


def _fields(definition: Mapping) -> dict:
    return {f.get("key"): f for _p, f, _g, _i in fields_of(definition)}


def _answers(samples: Mapping[str, str], inputs: tuple, kinds: dict, fields: dict,
             ctx: EngineContext) -> tuple[dict, list]:
    """Read each sample as its field type reads an answer; return answers and problems."""
    answers, problems = {}, []
    for key in inputs:
        raw = (samples.get(key) or "").strip()
        spec = kinds[key]
        if (spec[0] if isinstance(spec, tuple) else spec) == "list":
            raw = [part.strip() for part in raw.split(",") if part.strip()]
        if not raw:
            continue  # not answered
        field = fields.get(key) or {}
        try:
            answers[key] = get_type(field.get("type")).parse(raw, field, ctx)
        except ValidationError as error:
            problems.append(str(_l("Sample %(key)s: %(message)s", key=key,
                                   message=str(error.message))))
        except (LookupError, ValueError, TypeError):
            answers[key] = raw  # a type lint refuses, or a code table not loaded: as typed
    return answers, problems


def sample_person(person: Optional[Mapping[str, Any]]) -> dict:
    """Return the CEL value of the sample ``person``: its text values and its enrollments
    (``person["enrollments"]``: rows of :data:`ENROLLMENT_COLUMNS`, empty rows left out).

    :raises ValueError: a value does not fit its kind (a date that is none).
    """
    values = {**SAMPLE_PERSON, **(person or {})}
    rows = [{k: (row.get(k) or "").strip() or None for k in ENROLLMENT_COLUMNS}
            for row in values.pop("enrollments", None) or () if any(
                (row.get(k) or "").strip() for k in ENROLLMENT_COLUMNS)]
    cel = to_cel({k: v for k, v in values.items() if v != ""}, "map", PERSON_KINDS)
    cel["enrollments"] = to_cel(rows, "list", ENROLLMENT_KINDS) if rows else []
    cel["active_enrollments"] = sum(row["status"] == "1" for row in rows)
    return cel


def try_expression(source: str, setting: str, definition: Mapping, samples: Mapping[str, str],
                   person: Optional[Mapping[str, str]] = None, filer: str = "self",
                   region: str = "", today: Optional[dt.date] = None,
                   ctx: Optional[EngineContext] = None) -> TryOutcome:
    """Evaluate ``source`` (the part's ``setting``: ``visible_when``, ``rules.0.check`` …) with
    sample answers (text by field key) and sample variables, as the runtime does."""
    setting = setting.rpartition(".")[2] if setting.startswith("rules.") else setting
    try:
        compiled = compile_expression(source)
    except ExpressionError as error:
        return TryOutcome(error=compile_message(error))
    kinds = field_kinds(definition)
    inputs = tuple(sorted(name for name in compiled.references if name in kinds))
    ctx = ctx or _context(region)
    answers, problems = _answers(samples, inputs, kinds, _fields(definition), ctx)
    uses_person = "person" in compiled.references
    if problems:
        return TryOutcome(error=" ".join(problems), inputs=inputs, person=uses_person)
    used = {key: kinds[key] for key in inputs}
    try:
        variables = bind_answers(answers, used)
        variables["person"] = sample_person(person)
        variables.update(filer=filer, region=region or None)
        scope = Scope(variables, today=today, kinds=used)
    except (ExpressionError, ValueError) as error:
        return TryOutcome(error=str(getattr(error, "message", error)), inputs=inputs,
                          person=uses_person)
    try:
        value = compiled.evaluate_bool(scope) if setting in BOOLEAN else compiled.evaluate(scope)
    except ExpressionError as error:
        type_error = is_type_error(source, used, setting)
        reason = "type" if type_error else "missing" if missing_answer(compiled, scope, error) \
            else "other"
        # Only a rule tells "missing" from any other failure; conditions fall back alike.
        failed = reason == "type" or (reason == "other" and setting == "check")
        counted = COUNTED.get(setting, (None, None))[1 if failed else 0]
        return TryOutcome(value=counted, words=words(counted), inputs=inputs, person=uses_person,
                          note=_note(setting, reason, counted))
    mismatch = comparison_problem(source, kinds, labels_of(definition))
    return TryOutcome(value=value, words=words(value), inputs=inputs, person=uses_person,
                      note=None if mismatch is None else str(mismatch))
