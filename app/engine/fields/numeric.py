"""Numeric types: number (int or decimal) and money (stored as a string with 2 places)."""
from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.widgets import NumberInput

from app.engine.fields.base import EngineContext, FieldType
from app.engine.fields.widgets import bounds, form_kwargs
from app.validators import ValidationError, normalize_text

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_CENT = Decimal("0.01")
_MONEY_LIMIT = Decimal(10) ** 13  # ten trillion yuan: beyond it an answer is a typing slip
_NUMBER_LIMIT = Decimal(10) ** 15  # a float still holds every whole number below it exactly
#: The largest amount a money answer may hold (13 digits and cents).
MONEY_MAX = _MONEY_LIMIT - _CENT
#: A money answer as a string, non-negative (the default ``min: 0``); :func:`money_pattern`
#: gives the one for a field's own ``min``.
MONEY_PATTERN = r"^[0-9]{1,13}(\.[0-9]{1,2})?$"


def to_decimal(raw: Any) -> Decimal:
    """Read a number from a JSON number or a text such as ``"12,000.50"``; raise if it is not."""
    if isinstance(raw, bool):
        raise ValidationError(_l("Enter a number."), code="type")
    if isinstance(raw, (int, Decimal)):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(repr(raw))
    elif isinstance(raw, str):
        text = re.sub(r"[\s,]", "", normalize_text(raw, max_length=40))
        if not _NUMBER.fullmatch(text):
            raise ValidationError(_l("Enter a number."), code="format")
        number = Decimal(text)
    else:
        raise ValidationError(_l("Enter a number."), code="type")
    if not number.is_finite():
        raise ValidationError(_l("Enter a number."), code="format")
    return number if number else abs(number)  # no "-0"


def _check_bounds(number: Decimal, field: Mapping, shown: Any = str) -> None:
    low, high = field.get("min"), field.get("max")
    if low is not None and number < Decimal(str(low)):
        raise ValidationError(_l("Enter at least %(min)s.", min=shown(low)), code="min")
    if high is not None and number > Decimal(str(high)):
        raise ValidationError(_l("Enter at most %(max)s.", max=shown(high)), code="max")


def _number(raw: Any, field: Mapping, ctx: EngineContext) -> int | float:
    number = to_decimal(raw)
    # The size first: Decimal arithmetic on 1e308 or 10**40 overflows its 28-digit context.
    if abs(number) >= _NUMBER_LIMIT:
        raise ValidationError(_l("This number is too large."), code="too_large")
    whole = number == number.to_integral_value()
    if field.get("integer") and not whole:
        raise ValidationError(_l("Enter a whole number."), code="integer")
    _check_bounds(number, field)
    return int(number) if whole else float(number)


def _money(raw: Any, field: Mapping, ctx: EngineContext) -> str:
    number = to_decimal(raw)
    # The size first: quantize() fails (InvalidOperation) past the context's 28 digits.
    if abs(number) >= _MONEY_LIMIT:
        raise ValidationError(_l("This amount is too large."), code="too_large")
    if number != number.quantize(_CENT):
        raise ValidationError(_l("An amount has at most 2 decimal places."), code="places")
    _check_bounds(number, {"min": 0, **field}, shown=lambda v: f"{Decimal(str(v)):.2f}")
    return f"{number.quantize(_CENT):.2f}"


def _money_from_cel(value: Any) -> Any:
    """Round a computed amount to cents (CEL arithmetic is in doubles)."""
    if isinstance(value, float):
        return Decimal(repr(value)).quantize(_CENT, rounding=ROUND_HALF_UP)
    return value


def _json_number(value: Any) -> int | float:
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def _number_schema(field: Mapping, ctx: EngineContext) -> dict:
    """Return the fragment of a number: the field's bounds, and the engine's where the field
    sets none as tight (±10**15, exclusive)."""
    schema = bounds(field, type="integer" if field.get("integer") else "number")
    limit = int(_NUMBER_LIMIT)
    if schema.get("minimum") is None or Decimal(str(schema["minimum"])) <= -limit:
        schema["exclusiveMinimum"] = -limit
    if schema.get("maximum") is None or Decimal(str(schema["maximum"])) >= limit:
        schema["exclusiveMaximum"] = limit
    return schema


def _money_low(field: Mapping) -> Decimal:
    return Decimal(str(field["min"])) if field.get("min") is not None else Decimal(0)


def money_pattern(field: Mapping) -> str:
    """Return the pattern of a money answer sent as a string: up to 13 digits and 2 places,
    signed only when the field's ``min`` is negative, never all zeros when it is positive.
    A pattern cannot state other bounds; the number branch states them."""
    low = _money_low(field)
    sign = "-?" if low < 0 else ""
    not_zero = r"(?!0*(\.0*)?$)" if low > 0 else ""
    return rf"^{not_zero}{sign}[0-9]{{1,13}}(\.[0-9]{{1,2}})?$"


def _money_schema(field: Mapping, ctx: EngineContext) -> dict:
    """Return the fragment of a money answer: a decimal string or a JSON number (CONTRACT.md
    §3). A number has at most 2 decimal places too, which JSON Schema cannot state reliably
    (``multipleOf: 0.01`` refuses 0.07 in float arithmetic): ``x-decimal-places`` says it."""
    low = max(_money_low(field), -MONEY_MAX)
    high = MONEY_MAX if field.get("max") is None else min(Decimal(str(field["max"])), MONEY_MAX)
    number = {"type": "number", "minimum": _json_number(low), "maximum": _json_number(high),
              "x-decimal-places": 2}
    return {"anyOf": [{"type": "string", "pattern": money_pattern(field)}, number]}


TYPES = (
    FieldType(
        "number", "number",
        parser=_number,
        widget=lambda f, ctx: StringField(widget=NumberInput(
            step="1" if f.get("integer") else "any", min=f.get("min"), max=f.get("max")),
            **form_kwargs(f, ctx, inputmode="numeric" if f.get("integer") else "decimal")),
        schema=_number_schema,
        settings=frozenset({"min", "max", "integer"}),
    ),
    FieldType(
        "money", "money",
        parser=_money,
        widget=lambda f, ctx: StringField(**form_kwargs(f, ctx, inputmode="decimal")),
        schema=_money_schema,
        settings=frozenset({"min", "max"}),
        from_cel=_money_from_cel,
    ),
)
