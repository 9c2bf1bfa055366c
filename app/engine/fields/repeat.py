"""The repeat type: a list of rows, each answering the group's own ``fields``.

``parse`` checks the rows on their own (row count — at most ``max_items``, else the platform's
``FORMDEF_DEFAULT_MAX_ITEMS`` (app.engine.limits.max_items) —, each nested field's type, and
``required`` unless a ``visible_when`` makes it conditional); :mod:`app.engine.answers` also applies the nested
fields' conditions and rules per row.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, Form, FormField

from app.engine.fields.base import REQUIRED, EngineContext, FieldType, RowErrors, is_blank
from app.engine.fields.widgets import form_kwargs
from app.engine.limits import max_items
from app.validators import ValidationError, message_text


def _registry():
    from app.engine.fields import get_type  # the registry imports this module

    return get_type


def row_list(raw: Any, field: Mapping) -> list[Mapping]:
    """Return the non-blank rows of a repeat answer, checking their count; raise if malformed."""
    return [row for _index, row in numbered_rows(raw, field)]


def numbered_rows(raw: Any, field: Mapping) -> list[tuple[int, Mapping]]:
    """Return the non-blank rows with their places in ``raw``, checking their count.

    Blank rows are skipped, but a row's errors name its place in what was sent
    (``members[2].birth``), so that a client or the form marks the row the person filled.
    """
    if raw is None:
        raw = []
    if not isinstance(raw, (list, tuple)) or not all(isinstance(r, Mapping) for r in raw):
        raise ValidationError(_l("Expected a list of rows."), code="type")
    rows = [(index, row) for index, row in enumerate(raw)
            if not all(is_blank(v) for v in row.values())]
    low = max(field.get("min_items") or 0, 1 if field.get("required") else 0)
    high = max_items(field)
    if len(rows) < low:
        raise ValidationError(_l("Add at least %(min)d.", min=low), code="min_items")
    if len(rows) > high:
        raise ValidationError(_l("Add at most %(max)d.", max=high), code="max_items")
    return rows


def _always_required(nested: Mapping) -> bool:
    """Tell whether a nested field is required whatever the row holds (no condition)."""
    return bool(nested.get("required")) and not nested.get("visible_when")


def _repeat(raw: Any, field: Mapping, ctx: EngineContext) -> list[dict]:
    get_type = _registry()
    errors: dict[str, list[str]] = {}
    clean = []
    for index, row in numbered_rows(raw, field):
        out = {}
        for nested in field["fields"]:
            key, ftype = nested["key"], get_type(nested["type"])
            if not ftype.has_answer:
                continue
            value = row.get(key)
            try:
                if ftype.is_empty(value):
                    if _always_required(nested):
                        raise ValidationError(ftype.required_message, code="required")
                    continue
                out[key] = ftype.parse(value, nested, ctx)
            except ValidationError as error:
                errors[f"[{index}].{key}"] = [message_text(error)]
        clean.append(out)
    if errors:
        raise RowErrors(errors)
    return clean


class RepeatField(FieldList):
    """The rows of a repeating group; ``add_label`` is its add button's text ("" for the
    wizard's own "Add: <label>")."""

    def __init__(self, *args: Any, add_label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.type = "FieldList"  # drawn by the form templates as any repeating group
        self.add_label = add_label


def _row_form(field: Mapping, ctx: EngineContext) -> type[Form]:
    get_type = _registry()
    members = {f["key"]: get_type(f["type"]).form_field(f, ctx) for f in field["fields"]}
    return type(f"{field['key'].title().replace('_', '')}Row", (Form,), members)


def _repeat_form(field: Mapping, ctx: EngineContext) -> RepeatField:
    kwargs = form_kwargs(field, ctx, mark=False)
    kwargs.pop("render_kw", None)
    rows = kwargs.get("default") or []
    low = max(field.get("min_items") or 0, 1)
    row = FormField(_row_form(field, ctx), label=kwargs["label"])
    # No max_entries: WTForms would drop rows past it unsaid, and fail (an AssertionError) on
    # a kept draft holding more (app.commands.applications.save keeps up to twice the limit).
    # Every row is shown, to be removed, with the limit's message (max_items, parse).
    return RepeatField(row, min_entries=max(low, len(rows)),
                       add_label=ctx.text(field.get("add_label")), **kwargs)


def _repeat_schema(field: Mapping, ctx: EngineContext) -> dict:
    get_type = _registry()
    properties, required = {}, []
    for nested in field["fields"]:
        ftype = get_type(nested["type"])
        if ftype.has_answer:
            properties[nested["key"]] = ftype.json_schema(nested, ctx)
            if _always_required(nested):
                required.append(nested["key"])
    items = {"type": "object", "properties": properties, "required": required}
    return {"type": "array", "items": items, "minItems": field.get("min_items") or 0,
            "maxItems": max_items(field)}


def _row_kinds(field: Mapping) -> dict[str, str]:
    get_type = _registry()
    kinds = {}
    for nested in field["fields"]:
        ftype = get_type(nested["type"])
        if ftype.has_answer:
            kinds[nested["key"]] = ftype.cel_kind
    return kinds


TYPES = (
    FieldType(
        "repeat", "list",
        parser=_repeat,
        widget=_repeat_form,
        schema=_repeat_schema,
        settings=frozenset({"fields", "min_items", "max_items", "add_label"}),
        required_settings=frozenset({"fields"}),
        empty=lambda raw: raw is None,
        item_kind=_row_kinds,
        nested=True,
        required_message=REQUIRED,
    ),
)
