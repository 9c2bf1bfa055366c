"""Date types: date ("YYYY-MM-DD") and daterange ({"start", "end"})."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from babel.dates import format_date
from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l
from wtforms import Form, FormField, StringField
from wtforms.widgets import DateInput

from app.engine.cel_functions import CST, parse_date
from app.engine.fields.base import EngineContext, FieldType, is_blank
from app.engine.fields.widgets import RequiredMark, form_kwargs
from app.validators import ValidationError

DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
FIRST_YEAR, LAST_YEAR = 1900, 2100
RANGE_ENDS = {"start": {"zh": "开始日期", "en": "Start date"},
              "end": {"zh": "结束日期", "en": "End date"}}


def limit(value: Any, ctx: EngineContext) -> dt.date | None:
    """Return a ``min``/``max`` setting as a date: 'today', 'YYYY-MM-DD' or a YAML date."""
    if value is None:
        return None
    if value == "today":
        return ctx.current_date()
    if isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    return parse_date(str(value))


def to_date(raw: Any) -> dt.date:
    """Read a calendar date from ``YYYY-MM-DD`` text or a date; raise ValidationError."""
    if isinstance(raw, dt.datetime):
        day = raw.astimezone(CST).date() if raw.tzinfo else raw.date()
    elif isinstance(raw, dt.date):
        day = raw
    elif isinstance(raw, str):
        if not re.fullmatch(DATE_PATTERN, raw.strip()):
            raise ValidationError(_l("Enter a date as YYYY-MM-DD."), code="format")
        try:
            day = parse_date(raw.strip())
        except ValueError:
            raise ValidationError(_l("This date does not exist."), code="date") from None
    else:
        raise ValidationError(_l("Enter a date as YYYY-MM-DD."), code="type")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(_l("Enter a year between %(first)d and %(last)d.",
                                 first=FIRST_YEAR, last=LAST_YEAR), code="year")
    return day


def said(day: dt.date) -> LazyString:
    """Return ``day`` as the reader's language writes it (2026年11月25日, November 25, 2026),
    decided when the message is shown, as the message itself is."""
    return LazyString(lambda: format_date(day, "long", locale=str(get_locale() or "zh")))


def _bounded(raw: Any, field: Mapping, ctx: EngineContext) -> dt.date:
    day = to_date(raw)
    low, high = limit(field.get("min"), ctx), limit(field.get("max"), ctx)
    if low and day < low:
        raise ValidationError(_l("The date must be on or after %(date)s.", date=said(low)),
                              code="min")
    if high and day > high:
        raise ValidationError(_l("The date must be on or before %(date)s.",
                                 date=said(high)), code="max")
    return day


def _range(raw: Any, field: Mapping, ctx: EngineContext) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        raise ValidationError(_l("Enter a start date and an end date."), code="type")
    if is_blank(raw.get("start")) or is_blank(raw.get("end")):
        raise ValidationError(_l("Enter a start date and an end date."), code="incomplete")
    start, end = _bounded(raw["start"], field, ctx), _bounded(raw["end"], field, ctx)
    if start > end:
        raise ValidationError(_l("The start date must not be after the end date."), code="order")
    return {"start": start.isoformat(), "end": end.isoformat()}


def _range_empty(raw: Any) -> bool:
    if isinstance(raw, Mapping):
        return is_blank(raw.get("start")) and is_blank(raw.get("end"))
    return is_blank(raw)


def _date_input(field: Mapping, ctx: EngineContext, **kwargs: Any) -> StringField:
    low, high = limit(field.get("min"), ctx), limit(field.get("max"), ctx)
    render_kw = {**(kwargs.pop("render_kw", None) or {}),
                 **({"min": low.isoformat()} if low else {}),
                 **({"max": high.isoformat()} if high else {})}
    return StringField(widget=DateInput(), render_kw=render_kw or None, **kwargs)


def _range_form(field: Mapping, ctx: EngineContext) -> FormField:
    mark = [RequiredMark()] if field.get("required") else []
    ends = {key: _date_input(field, ctx, label=ctx.text(label), validators=mark)
            for key, label in RANGE_ENDS.items()}
    kwargs = form_kwargs(field, ctx, mark=False)
    kwargs.pop("render_kw", None)
    return FormField(type("DateRangeForm", (Form,), ends), **kwargs)


def _date_schema(field: Mapping, ctx: EngineContext) -> dict:
    return {"type": "string", "format": "date", "pattern": f"^{DATE_PATTERN}$"}


TYPES = (
    FieldType(
        "date", "date",
        parser=lambda raw, f, ctx: _bounded(raw, f, ctx).isoformat(),
        widget=lambda f, ctx: _date_input(f, ctx, **form_kwargs(f, ctx)),
        schema=_date_schema,
        settings=frozenset({"min", "max"}),
    ),
    FieldType(
        "daterange", "map",
        parser=_range,
        widget=_range_form,
        schema=lambda f, ctx: {
            "type": "object", "additionalProperties": False, "required": ["start", "end"],
            "properties": {"start": _date_schema(f, ctx), "end": _date_schema(f, ctx)}},
        settings=frozenset({"min", "max"}),
        empty=_range_empty,
        item_kind=lambda f: {"start": "date", "end": "date"},
    ),
)
