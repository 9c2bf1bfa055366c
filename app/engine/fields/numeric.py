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
MONEY_PATTERN = r"^-?\d{1,13}(\.\d{1,2})?$"


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
    whole = number == number.to_integral_value()
    if field.get("integer") and not whole:
        raise ValidationError(_l("Enter a whole number."), code="integer")
    if abs(number) >= Decimal(10) ** 15:
        raise ValidationError(_l("This number is too large."), code="too_large")
    _check_bounds(number, field)
    return int(number) if whole else float(number)


def _money(raw: Any, field: Mapping, ctx: EngineContext) -> str:
    number = to_decimal(raw)
    if number != number.quantize(_CENT):
        raise ValidationError(_l("An amount has at most 2 decimal places."), code="places")
    if abs(number) >= _MONEY_LIMIT:
        raise ValidationError(_l("This amount is too large."), code="too_large")
    _check_bounds(number, {"min": 0, **field}, shown=lambda v: f"{Decimal(str(v)):.2f}")
    return f"{number.quantize(_CENT):.2f}"


def _money_from_cel(value: Any) -> Any:
    """Round a computed amount to cents (CEL arithmetic is in doubles)."""
    if isinstance(value, float):
        return Decimal(repr(value)).quantize(_CENT, rounding=ROUND_HALF_UP)
    return value


def _number_schema(field: Mapping, ctx: EngineContext) -> dict:
    return bounds(field, type="integer" if field.get("integer") else "number")


def _money_schema(field: Mapping, ctx: EngineContext) -> dict:
    return {"anyOf": [{"type": "string", "pattern": MONEY_PATTERN},
                      bounds({"min": 0, **field}, type="number")]}


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
