"""Compile and evaluate the CEL expressions of item definitions (CONTRACT.md §3).

    expr = compile_expression('special == "1" && person.age >= 18')   # cached by source text
    expr.references                      # frozenset({'special', 'person'}): what lint checks
    scope = Scope(bind_answers(answers, kinds) | {"person": {...}, "filer": "self", ...})
    expr.evaluate_bool(scope)            # or expr.evaluate({...}) for a one-off

Values. CEL is strictly typed, so answers become CEL values here and nowhere else (:func:`to_cel`):
``number``/``money`` → double (``"12000.00"``, ``12000`` and ``Decimal`` all compare with
``> 10000``: CEL compares int and double, but does no mixed *arithmetic*: write ``amount * 0.8``
or ``amount + 1.0``, not ``amount + 1``); ``date`` → timestamp at midnight Asia/Shanghai (a
``datetime.date`` does not convert at all, nor does a ``ZoneInfo`` datetime); unanswered → null.
Timestamp accessors (``getFullYear()`` …) read the timestamp's own +08:00 offset; their
time-zone-argument forms do not exist in this package. Banshi's functions (table in
:mod:`app.engine.cel_functions`) are the way to do date arithmetic; when one fails, the package
also logs a warning on the ``cel`` logger.

Null. Every field is declared (``bind_answers`` gives unanswered ones null), so no expression fails
with "undeclared reference". ``x == null``/``x != null`` work; ``x == "1"`` is simply false when
``x`` is null; ``x > 10000`` on null is an error ("no such overload"), so guard optional fields:
``x != null && x > 10000``. ``&&``/``||`` absorb an error when the other side decides, in either
order (``x > 1 || true`` is true). ``has()`` works on selections only: ``has(person.age)`` is false
when the key is absent; ``has(x)`` for a top-level name does not compile; reading an absent key
(``person.nope``) is an error.

Performance (bench/bench_cel.py): compiling ~16 µs, a cache hit ~0.07 µs, evaluating in a ready
:class:`Scope` 0.3-1.5 µs (banshi functions are Python callbacks). Building a scope converts every
variable (~70 µs for 54), so build one per page or request and evaluate all its conditions in it.
A mapping passed to ``evaluate`` is narrowed to the names the expression reads first.

Threads. A compiled ``cel.Program`` is immutable (not marked unsendable; ``execute`` borrows it
shared), so compiled expressions are shared across threads (checked with 8). ``cel.Context`` is
documented as not thread-safe: a :class:`Scope` belongs to one thread (one request).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import cel
from flask_babel import lazy_gettext as _l

from app.clock import today as clock_today
from app.engine.cel_cost import refusal
from app.engine.cel_functions import CST, as_date, functions_for, midnight
from app.engine.cel_macros import MAX_MACRO_DEPTH, macro_depth

KINDS = frozenset({"text", "number", "money", "date", "bool", "list", "map"})

_LOCATION = re.compile(r"<input>:(\d+):(\d+): ([^\n]*)")
_EXPECTING = re.compile(r" expecting (\{[^}]*\}|\S+)")
_HINT = re.compile(r"\.? (Check that|Check function|CEL does not coerce|Convert explicitly).*",
                   re.S)
_FUNCTION = re.compile(r"Function '(\w+)' error: Python function call failed: \w+: (.*)", re.S)
_MACRO_BINDING = re.compile(r"\.\s*(?:all|exists|exists_one|map|filter)\s*\(\s*(\w+)\s*,")
_TRUE, _FALSE = {"true", "1", "yes", "y"}, {"false", "0", "no", "n"}


class ExpressionError(Exception):
    """An expression does not compile, fails to evaluate, or gives the wrong kind of value."""

    def __init__(self, message: Any, *, expression: str = "", detail: str = "",
                 line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message  # lazy: translated in an app context, English outside
        self.expression = expression
        self.detail = detail  # the CEL package's own text
        self.line, self.column = line, column

    def __str__(self) -> str:
        return str(self.message)


def _compile_error(source: str, exc: Exception) -> ExpressionError:
    raw = str(exc)
    found = _LOCATION.search(raw)
    line = column = None
    if found:
        line, column = int(found[1]), int(found[2])
        where = f"column {column}" if line == 1 else f"line {line}, column {column}"
        error = f"{where}: {_EXPECTING.sub('', found[3])}"
    else:
        error = raw.split(": ", 1)[-1]
    message = _l("Expression does not compile: %(error)s (expression: %(expression)s)",
                 error=error, expression=source)
    return ExpressionError(message, expression=source, detail=raw, line=line, column=column)


def _evaluation_error(source: str, exc: Exception) -> ExpressionError:
    raw = str(exc)
    if isinstance(exc, KeyError):
        error = f"no such key: {raw}"
    elif found := _FUNCTION.match(raw):
        error = f"{found[1]}(): {_HINT.sub('', found[2])}"
    else:
        error = _HINT.sub("", raw)
    message = _l("Expression could not be evaluated: %(error)s (expression: %(expression)s)",
                 error=error, expression=source)
    return ExpressionError(message, expression=source, detail=raw)


def base_variables(today: dt.date | None = None) -> dict[str, Any]:
    """Return the variables every expression sees: ``today`` (midnight Asia/Shanghai)."""
    return {"today": midnight(today or clock_today())}


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise ValueError(f"expected a number, got {type(value).__name__}")
    try:
        number = float(Decimal(value.strip()) if isinstance(value, str) else value)
    except (InvalidOperation, OverflowError):
        raise ValueError(f"expected a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"expected a finite number, got {value!r}")
    return number


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if isinstance(value, (str, int)) else None
    if text not in _TRUE | _FALSE:
        raise ValueError(f"expected true or false, got {value!r}")
    return text in _TRUE


def _plain(value: Any) -> Any:
    """Convert a value of no declared kind (inside lists and maps) by its Python type."""
    if value is None or isinstance(value, (bool, int, float, str, dt.timedelta)):
        return value
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(CST) if value.tzinfo else value.replace(tzinfo=CST)
    if isinstance(value, dt.date):
        return midnight(value)
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    raise ValueError(f"cannot give a {type(value).__name__} to an expression")


def to_cel(value: Any, kind: str, item_kind: str | Mapping[str, str] | None = None) -> Any:
    """Convert one answer to its CEL value by field kind; raise ValueError if it does not fit.

    :param kind: one of :data:`KINDS`.
    :param item_kind: for ``list``, the kind of each item, or a mapping key → kind when the items
        are rows (a repeating group); for ``map``, the kind of each value or a key → kind mapping.
        Without it, nested values convert by Python type.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; valid kinds: {', '.join(sorted(KINDS))}")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind == "text":
        if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
            raise ValueError(f"expected text, got {type(value).__name__}")
        return str(value)
    if kind in ("number", "money"):
        return _number(value)
    if kind == "date":
        return midnight(as_date(value))
    if kind == "bool":
        return _bool(value)
    if kind == "list":
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"expected a list, got {type(value).__name__}")
        if isinstance(item_kind, Mapping):
            return [to_cel(item, "map", item_kind) for item in value]
        return [to_cel(item, item_kind) if item_kind else _plain(item) for item in value]
    if not isinstance(value, Mapping):
        raise ValueError(f"expected a map, got {type(value).__name__}")
    if isinstance(item_kind, Mapping):
        # A row declares every field of its group, null when unanswered or refused (as
        # bind_answers does for a page): a rule across rows still runs beside a row's error.
        return {**{str(k): None for k in item_kind},
                **{str(k): to_cel(v, item_kind[k]) if k in item_kind else _plain(v)
                   for k, v in value.items()}}
    return {str(k): to_cel(v, item_kind) if item_kind else _plain(v) for k, v in value.items()}


def bind_answers(answers: Mapping[str, Any], kinds: Mapping[str, Any]) -> dict[str, Any]:
    """Declare every field in ``kinds`` with its CEL value: null when unanswered or malformed.

    A malformed answer counts as unanswered here; field validation reports it. ``kinds`` maps a
    field key to a kind, or to ``(kind, item_kind)``.
    """
    bound = {}
    for key, spec in kinds.items():
        kind, item_kind = spec if isinstance(spec, tuple) else (spec, None)
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r} for field {key!r}")
        try:
            bound[key] = to_cel(answers.get(key), kind, item_kind)
        except ValueError:
            bound[key] = None
    return bound


class Scope:
    """Variables plus banshi's functions, converted once for many evaluations (one thread only).

    ``values`` keeps the variables as given and ``kinds`` (optional) the CEL kind of each field,
    so that a failed evaluation can tell a missing answer from a type error
    (app.engine.cel_failures).
    """

    __slots__ = ("context", "today", "values", "kinds")

    def __init__(self, variables: Mapping[str, Any] | None = None, today: dt.date | None = None,
                 kinds: Mapping[str, Any] | None = None):
        values = base_variables(today)
        values.update(variables or {})
        self.values, self.kinds = values, kinds
        try:
            self.today = as_date(values["today"])
            self.context = cel.Context(variables=values, functions=functions_for(self.today))
        except ValueError as exc:
            raise ExpressionError(_l("A variable cannot be given to expressions: %(error)s",
                                     error=str(exc)), detail=str(exc)) from exc


class CompiledExpression:
    """A compiled expression; immutable and safe to share between threads."""

    __slots__ = ("source", "references", "_program")

    def __init__(self, source: str, program: cel.Program, references: frozenset[str]) -> None:
        self.source, self._program, self.references = source, program, references

    def __repr__(self) -> str:
        return f"CompiledExpression({self.source!r})"

    def evaluate(self, variables: Scope | Mapping[str, Any] | None = None) -> Any:
        """Evaluate against a :class:`Scope` or a mapping of CEL-ready values; return Python.

        A mapping is narrowed to the names this expression reads (and ``today``, which ``age()``
        uses) before conversion, so a one-off evaluation does not pay for a whole page's values.
        """
        scope = variables if isinstance(variables, Scope) else Scope(
            {k: v for k, v in (variables or {}).items() if k in self.references or k == "today"})
        try:
            return self._program.execute(scope.context)
        except Exception as exc:  # Value/Type/Runtime/Key/Index/Arithmetic errors
            raise _evaluation_error(self.source, exc) from exc

    def evaluate_bool(self, variables: Scope | Mapping[str, Any] | None = None) -> bool:
        """Evaluate and insist on a bool (visible_when, required_when, rules, when, auto)."""
        result = self.evaluate(variables)
        if not isinstance(result, bool):
            message = _l("Expression must give true or false, not %(type)s"
                         " (expression: %(expression)s)",
                         type=type(result).__name__, expression=self.source)
            raise ExpressionError(message, expression=self.source, detail=repr(result))
        return result


@functools.lru_cache(maxsize=4096)
def compile_expression(source: str) -> CompiledExpression:
    """Compile ``source`` once per process; raise ExpressionError naming the problem.

    ``references`` are the top-level variables read (``person`` for ``person.age``), without the
    names macros bind (``x`` in ``items.exists(x, x.amount > 0)``); a bound name that is also used
    outside its macro is, rarely, left out too.
    """
    if not isinstance(source, str):
        message = _l("Expression must be text, not %(type)s", type=type(source).__name__)
        raise ExpressionError(message, expression=repr(source))
    if too_costly := refusal(source):  # before compiling: parsing a huge text costs too
        raise ExpressionError(too_costly, expression=source, detail="cost")
    try:
        program = cel.compile(source)
    except Exception as exc:  # ValueError for syntax errors
        raise _compile_error(source, exc) from exc
    if macro_depth(source) > MAX_MACRO_DEPTH:
        message = _l("Expression nests list checks (all, exists, map, filter) more than "
                     "%(depth)d deep (expression: %(expression)s)",
                     depth=MAX_MACRO_DEPTH, expression=source)
        raise ExpressionError(message, expression=source, detail="macro depth")
    references = program.references()
    if "size" in references["functions"]:
        message = _l("Write length(…) instead of size(…): size counts the bytes of a text, not "
                     "its characters (expression: %(expression)s)", expression=source)
        raise ExpressionError(message, expression=source, detail="size() refused")
    names = frozenset(references["variables"])
    return CompiledExpression(source, program, names - set(_MACRO_BINDING.findall(source)))
