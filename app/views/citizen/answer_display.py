"""Answers as a person reads them: option and code labels, dates, money in 元, rows, signatures.

    for section in sections(definition, answers, ctx, pages=wizard.pages()):
        section.title, [(row.key, row.label, row.value, row.rows) for row in section.rows]

Texts the engine adds are in the two languages definitions carry (as the engine's own
"请选择"), so a definition reads in one language throughout. ``mask=True`` masks the personal
identifiers among them (ID numbers, mobiles, bank accounts, a document number prefilled from the
person or ``masked: true``: app.engine.masked) where the policy masks them — lists, documents,
an agent's pages once submitted (F1); without it they are shown as entered, for the filer.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field as dataclass_field
from decimal import Decimal, InvalidOperation
from typing import Any, Optional

from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from flask_babel import get_locale, lazy_gettext as _l
from markupsafe import Markup

from app.engine.fields import EngineContext, get_type
from app.engine.fields.choice import YES_NO
from app.engine.fields.special import drawn_image
from app.engine.masked import masked_answer
from app.region_tree import region_tree

MONEY = {"zh": "{amount} 元", "en": "CNY {amount}"}
CONFIRMED = {"zh": "已确认", "en": "Confirmed"}
DRAWN = {"zh": "（手写签名）", "en": "(drawn signature)"}
SIGNED = {"zh": "{signature}（签署于{moment}）", "en": "{signature} (signed {moment})"}
LOCAL = ZoneInfo("Asia/Shanghai")
LIST_SEPARATOR = _l(", ")  # 、 in Chinese, as the review pages join them


def local_date(value: Any) -> str:
    """Return a date (or the day of an aware moment in China) in the request's language."""
    if isinstance(value, dt.datetime):
        value = value.astimezone(LOCAL).date()
    return format_date(value, "long", locale=str(get_locale() or "zh")) if value else ""


def local_time(value: Any) -> str:
    """Return an aware moment as China time in the request's language: the day as
    :func:`local_date` writes it and the time of day, joined as the locale joins them
    ("March 3, 2026, 10:05 AM", "2026年3月3日 10:05")."""
    if not value:
        return ""
    locale = Locale.parse(str(get_locale() or "zh"))
    moment = value.astimezone(LOCAL)
    return (locale.datetime_formats["long"]
            .replace("{1}", format_date(moment.date(), "long", locale=locale))
            .replace("{0}", format_time(moment, "short", tzinfo=LOCAL, locale=locale)))


@dataclass
class Row:
    key: str
    label: str
    value: str = ""
    rows: list = dataclass_field(default_factory=list)  # a repeat: one list of Rows per row


@dataclass
class Section:
    key: str
    title: str
    rows: list[Row]


def _date(value: Any) -> str:
    try:
        return local_date(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _money(value: Any, ctx: EngineContext) -> str:
    try:
        amount = f"{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value)
    return ctx.text(MONEY).format(amount=amount)


def region_name(code: str, locale=None) -> str:
    """Return the region's name with its ancestors (河北省 唐山市; in English Tangshan City,
    Hebei Province), or the code when unknown."""
    return region_tree().full_name(code, locale)


def _option(field: Mapping, value: Any, ctx: EngineContext) -> str:
    for option in field.get("options", ()):
        if option["value"] == str(value):
            return ctx.text(option.get("label")) or option["value"]
    return str(value)


def _signature(value: Any, ctx: EngineContext) -> str:
    if not isinstance(value, Mapping):
        return str(value)
    drawn = value.get("kind") == "drawn"
    text = ctx.text(DRAWN) if drawn else value.get("value")
    # The drawing itself, inline as a data URL: no URL to guess, nothing left in a cache.
    image = drawn_image(value.get("value"), ctx.text(DRAWN)) if drawn else None
    moment = value.get("signed_at")
    if moment:
        try:  # stored aware (engine.fields.special): China time, as every other page writes it
            moment = local_time(dt.datetime.fromisoformat(str(moment)))
        except ValueError:
            pass
        if image is not None:
            return Markup(ctx.text(SIGNED)).format(signature=image, moment=moment)
        return ctx.text(SIGNED).format(signature=text, moment=moment)
    return image if image is not None else str(text or "")


def show_value(field: Mapping, value: Any, ctx: EngineContext, mask: bool = False) -> str:
    """Return one (non-repeat) answer as text in ``ctx``'s language."""
    kind = field.get("type")
    if value is None or value == "" or value == []:
        return ""
    masked = masked_answer(field, value) if mask else None
    if masked is not None:
        return masked
    if kind in ("select", "radio"):
        return _option(field, value, ctx)
    if kind == "checkboxes" and isinstance(value, list):
        return str(LIST_SEPARATOR).join(_option(field, v, ctx) for v in value)
    if kind == "yesno":
        yes = value is True or str(value).lower() in ("1", "true", "yes", "y", "on")
        return ctx.text(dict(YES_NO)["1" if yes else "0"])
    if kind == "dictionary":
        entry = (ctx.entries(field["dictionary"]) or {}).get(str(value))
        return ctx.text(entry.label) if entry is not None else str(value)
    if kind == "region":
        return region_name(str(value), ctx.locale)
    if kind == "date":
        return _date(value)
    if kind == "daterange" and isinstance(value, Mapping):
        return f"{_date(value.get('start'))} – {_date(value.get('end'))}"
    if kind == "money":
        return _money(value, ctx)
    if kind == "acknowledge":
        return ctx.text(CONFIRMED) if value is True or value in ("1", "y", "true") else ""
    if kind == "signature":
        return _signature(value, ctx)
    return str(value)


def show_field(field: Mapping, value: Any, ctx: EngineContext, mask: bool = False) -> Row:
    label = ctx.text(field.get("label")) or field["key"]
    if (table := get_type(field["type"]).table) is not None:  # app.engine.fields.person
        headers, cells = table(value, field, ctx)
        return Row(field["key"], label, rows=[[Row(h, h, cell) for h, cell in zip(headers, row)]
                                              for row in cells])
    if field.get("type") == "repeat":
        rows = [[show_field(nested, row.get(nested["key"]), ctx, mask)
                 for nested in field.get("fields", ()) if get_type(nested["type"]).has_answer]
                for row in (value or []) if isinstance(row, Mapping)]
        return Row(field["key"], label, rows=rows)
    return Row(field["key"], label, show_value(field, value, ctx, mask))


def sections(definition: Mapping, answers: Mapping, ctx: EngineContext,
             pages: Optional[list] = None, mask: bool = False) -> list[Section]:
    """Return the answered questions page by page (``pages``: those to show, default all)."""
    result = []
    for page in pages if pages is not None else definition.get("pages", ()):
        rows = [show_field(f, answers.get(f["key"]), ctx, mask) for f in page.get("fields", ())
                if get_type(f["type"]).has_answer and answers.get(f["key"]) not in (None, "", [])]
        if rows:
            result.append(Section(page["key"], ctx.text(page.get("title")) or page["key"], rows))
    return result


def shown_answers(fields: list, answers: Mapping, ctx: EngineContext) -> dict[str, str]:
    """Return ``{key: text}`` of the given fields' answers (read-only questions of a page)."""
    shown = {}
    for field in fields:
        row = show_field(field, answers.get(field["key"]), ctx)
        shown[field["key"]] = row.value or "; ".join(
            " ".join(f"{cell.label}: {cell.value}" for cell in cells) for cells in row.rows)
    return shown
