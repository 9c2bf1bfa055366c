"""Values between answers and CEL: a variable's CEL kind, a computed value back to input,
a dotted look-up (``person.cert_type``), whether expressions may read given names and whether
one reads only unanswered fields."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from app.engine.cel import ExpressionError, compile_expression
from app.engine.cel_functions import as_date
from app.engine.fields.base import is_blank

#: A macro call, whose bound name can hide a variable of that name from ``references``.
MACRO_CALL = re.compile(r"\.\s*(?:all|exists|exists_one|map|filter)\s*\(")


def kind_of(value: Any) -> str:
    """Return the CEL kind a variable's value is converted as."""
    if isinstance(value, Mapping):
        return "map"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, dt.date):
        return "date"
    return "number" if isinstance(value, (int, float, Decimal)) else "text"


def from_cel(value: Any) -> Any:
    """Turn a computed CEL value into input its type can parse."""
    if isinstance(value, dt.datetime):
        return as_date(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def lookup(variables: Mapping, path: str) -> Any:
    """Return ``variables[a][b]`` for path ``a.b`` (None where a part is missing)."""
    value: Any = variables
    for part in str(path).split("."):
        value = value.get(part) if isinstance(value, Mapping) else getattr(value, part, None)
    return value


def may_read(sources: list[str], keys: set[str]) -> bool:
    """Tell whether one of the expressions may read one of ``keys`` (yes when unsure)."""
    for source in sources:
        try:
            expression = compile_expression(source)
        except ExpressionError:
            continue  # never evaluated: it reads nothing
        # A name a macro binds can hide a variable of that name from ``references``.
        if expression.references & keys or MACRO_CALL.search(source):
            return True
    return False


def reads_no_answer(source: str, values: Mapping, fields: Mapping) -> bool:
    """Tell whether an expression reads fields (keys of ``fields``) and none of them has an
    answer in ``values`` (no when unsure: a macro can hide what it reads)."""
    try:
        reads = compile_expression(source).references & fields.keys()
    except ExpressionError:
        return False
    if not reads or MACRO_CALL.search(source):
        return False
    return all(is_blank(values.get(key)) for key in reads)
