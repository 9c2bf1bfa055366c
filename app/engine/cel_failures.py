"""What an expression that fails at run time counts as, and the log line that says so.

An expression fails at run time for one of two reasons. Either an answer it reads is missing
(``x > 1`` while ``x`` is unanswered, hidden, or on a later page; ``person.age`` for a person
the registry does not know): the ordinary case while a form is being filled. Or it can never
work (``amount > "x"`` on a money field): a *type error*, found by trying the expression on
sample answers of the fields' kinds as lint does (:func:`app.engine.lint_types.type_problem`).
Lint refuses type errors before publishing; a version published before that check may still
hold one. Neither case is ever silently taken as passing: each is logged on the
``app.engine.expressions`` logger with the item, its version (the definition's ``lint_hash``
prefix, as ``item_version.lint_hash`` stores it), the field or step and the expression —
INFO for a missing answer, WARNING for a type error and for a rule refused by an error.

What each counts as (README, "CEL functions beyond standard CEL"):

- a ``rules`` check that fails counts as **failed** (its own message, logged as a WARNING):
  the answer is not accepted on a rule that could not say yes. Only a rule that failed on a
  missing answer (a null where a value was needed, a key a row or ``person`` lacks) is not
  applied, as before: failing it would give a second, wrong message next to a required
  field's own, and refuse everyone the registry does not know (SC-1's 一人一保 rules read
  ``person.enrollments``, which such a person lacks). Optional answers are guarded in the
  expression (``x == null || x > 1``);
- ``visible_when`` and ``required_when`` (fields and materials): a missing answer counts as
  false (the question waits for the answer it depends on); a type error as **true** — the
  question is shown and must be answered (the material must be given): asking for something
  not needed costs the applicant a moment, while not asking loses what the agency requires
  (a hidden field is neither validated nor stored);
- ``compute`` gives no value; ``among`` offers nothing (every answer refused);
- a step's ``when`` counts as true and a failed ``auto`` hands the step to people
  (app.workflow.chain): a person looks rather than nobody.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections import OrderedDict
from typing import Any, Mapping, Optional

from app.engine.cel import ExpressionError, Scope, compile_expression

log = logging.getLogger("app.engine.expressions")
_CACHE: "OrderedDict[tuple, bool]" = OrderedDict()
_CACHE_SIZE = 1024


def is_type_error(source: str, kinds: Optional[Mapping], setting: str) -> bool:
    """Tell whether ``source`` fails on sample answers of ``kinds`` too (cached per source)."""
    if not kinds:
        return False
    key = (source, setting, repr(sorted(kinds.items(), key=lambda item: item[0])))
    if key not in _CACHE:
        from app.engine.lint_types import type_problem  # lint imports the engine

        _CACHE[key] = type_problem(source, kinds, setting) is not None
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return _CACHE[key]


def version_label(definition: Optional[Mapping]) -> str:
    """Return ``code@region lint_hash=…`` naming a definition's published version."""
    if not definition:
        return "?"
    text = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return f"{definition.get('code')}@{definition.get('region')} lint_hash={digest}"


def record(definition: Optional[Mapping], where: str, source: str, error: Any,
           counted_as: Any, type_error: bool, warn: Optional[bool] = None) -> None:
    """Log one failed evaluation: what, where, why and what it counted as."""
    log.log(logging.WARNING if (type_error if warn is None else warn) else logging.INFO,
            "%s: %s %s (%s: %s); counted as %s", version_label(definition), where,
            source, "type error" if type_error else "missing answer",
            str(getattr(error, "detail", "") or error).split(". ")[0], counted_as)


#: What a condition that can never work counts as (see above); others keep their fallback.
ON_TYPE_ERROR = {"visible_when": True, "required_when": True}


def evaluate(definition: Optional[Mapping], source: str, scope: Scope, what: str,
             fallback: Any, boolean: bool = True) -> Any:
    """Evaluate ``source``; on an error, log it and return what it counts as.

    :param what: ``"<setting> of <key>"`` (``visible_when of special_type``).
    """
    try:
        expression = compile_expression(source)
        return expression.evaluate_bool(scope) if boolean else expression.evaluate(scope)
    except ExpressionError as error:
        setting = what.split(" ", 1)[0]
        type_error = is_type_error(source, scope.kinds, setting)
        value = ON_TYPE_ERROR.get(setting, fallback) if type_error else fallback
        record(definition, what, source, error, value, type_error)
        return value


def _has_null(value: Any) -> bool:
    """Tell whether a value is null or holds a null one level down (a map, rows of maps)."""
    if value is None:
        return True
    if isinstance(value, Mapping):
        return any(item is None for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(isinstance(row, Mapping) and any(v is None for v in row.values())
                   for row in value)
    return False


def missing_answer(expression: Any, scope: Scope, error: ExpressionError) -> bool:
    """Tell whether an evaluation failed on an answer or a registry value that is not there:
    an absent key (a row's field without a valid answer, a person the registry does not know)
    or a null read where a value was needed."""
    if isinstance(error.__cause__, KeyError):
        return True
    values = scope.values or {}
    # A name with no value at all is an answer not given yet too (a field of a later page, or,
    # in the designer's preview of a draft lint refuses, a name that is no field).
    return expression is not None and any(name not in values or _has_null(values.get(name))
                                          for name in expression.references)


def rule_holds(definition: Optional[Mapping], source: str, scope: Scope, key: str) -> bool:
    """Tell whether a rule of field ``key`` holds; a rule that fails counts as failed, unless
    it failed on a missing answer (it is then not applied: the answer it waits for has its own
    ``required``, and a person the registry does not know has no enrollments to check)."""
    expression = None
    try:
        expression = compile_expression(source)
        return expression.evaluate_bool(scope)
    except ExpressionError as error:
        type_error = is_type_error(source, scope.kinds, "check")
        waiting = not type_error and missing_answer(expression, scope, error)
        record(definition, f"rule of {key}", source, error,
               "not applied (an answer it reads is missing)" if waiting else "failed",
               type_error, warn=not waiting)
        return waiting
