"""Types read from the person registry: enrollments (the subject's 参保信息, read-only).

An ``enrollments`` field takes no input: its answer is always ``person.enrollments`` (the
subject's registry record, :func:`app.registry.person_variables`) as it stood when the page was
saved, and submission stores it again — so the confirmation page and the reviewer read the
enrollments the citizen was shown, as of submission, even after the registry changes. Stored
are codes (JSON); names are looked up when shown (code tables, ``ctx.region_name``).

    - {key: enrollments, type: enrollments, label: 人员参保信息, columns: [insutype, status, region]}
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import Field

from app.engine.cel_functions import as_date
from app.engine.fields.base import EngineContext, FieldType
from app.engine.fields.widgets import form_kwargs
from app.validators import ValidationError

#: An enrollment's keys and their CEL kinds (also ``person.enrollments`` in CEL).
ENROLLMENT_KINDS = {"insutype": "text", "status": "text", "region": "text", "start_date": "date",
                    "psn_type": "text", "first_insured_month": "text", "account_month": "text",
                    "employer_name": "text", "employer_code": "text", "end_date": "date"}
#: Column → (heading in the two languages definitions carry, code table or "region" or None).
COLUMNS = {
    "insutype": ({"zh": "险种类型", "en": "Insurance type"}, "insutype"),
    "status": ({"zh": "参保状态", "en": "Status"}, "psn_insu_stas"),
    "start_date": ({"zh": "个人参保日期", "en": "Enrolled on"}, None),
    "first_insured_month": ({"zh": "首次参保年月", "en": "First enrolled (month)"}, None),
    "region": ({"zh": "参保区划", "en": "Insured region"}, "region"),
    "account_month": ({"zh": "建立账户年月", "en": "Account opened (month)"}, None),
    "psn_type": ({"zh": "参保身份", "en": "Insured category"}, "psn_type"),
    "employer_name": ({"zh": "单位名称", "en": "Employer"}, None),
    "end_date": ({"zh": "参保终止日期", "en": "Ended on"}, None),
}
DEFAULT_COLUMNS = ("insutype", "status", "start_date", "first_insured_month", "region",
                   "account_month")
NONE_ON_RECORD = {"zh": "未查询到参保信息。", "en": "No enrollment on record."}
_NEEDED = ("insutype", "status", "region")
_BAD = _l("Enrollments come from the person registry and cannot be entered.")


def _row(raw: Any) -> dict:
    if not isinstance(raw, Mapping):
        raise ValidationError(_BAD, code="type")
    row = {}
    for key, kind in ENROLLMENT_KINDS.items():
        value = raw.get(key)
        if value is None or value == "":
            continue
        if kind == "date":
            try:
                row[key] = as_date(value).isoformat()
            except ValueError:
                raise ValidationError(_BAD, code="type") from None
        elif isinstance(value, str):
            row[key] = value
        else:
            raise ValidationError(_BAD, code="type")
    if any(key not in row for key in _NEEDED):
        raise ValidationError(_BAD, code="type")
    return row


def _enrollments(raw: Any, field: Mapping, ctx: EngineContext) -> list[dict]:
    if not isinstance(raw, (list, tuple)):
        raise ValidationError(_BAD, code="type")
    return [_row(item) for item in raw]


def _cell(column: str, value: Any, ctx: EngineContext) -> str:
    source = COLUMNS[column][1]
    if value in (None, ""):
        return "—"
    if source == "region":
        return ctx.region_name(str(value))
    if source is not None:
        entry = (ctx.entries(source) or {}).get(str(value))
        return ctx.text(entry.label) if entry is not None else str(value)
    return str(value)


def columns(field: Mapping) -> list[str]:
    """Return the columns a field shows (its ``columns``, else the SC-2 screen's six)."""
    return [c for c in field.get("columns") or DEFAULT_COLUMNS if c in COLUMNS]


def enrollment_table(value: Any, field: Mapping, ctx: EngineContext
                     ) -> tuple[list[str], list[list[str]]]:
    """Return the headings and one row of cell texts per enrollment, in ctx's language."""
    shown = columns(field)
    rows = [[_cell(c, row.get(c), ctx) for c in shown]
            for row in (value or ()) if isinstance(row, Mapping)]
    return [ctx.text(COLUMNS[c][0]) for c in shown], rows


class EnrollmentsField(Field):
    """The enrollments as a read-only table; drawn by the form templates as a display field."""

    def __init__(self, label: Any = None, *, table: Any, empty: str, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.type = "DisplayField"
        self.table, self.empty = table, empty

    def process_formdata(self, valuelist: list) -> None:
        """Keep what the registry gave: nothing posted is an answer."""

    def __call__(self, **kwargs: Any) -> Markup:
        headers, rows = self.table(self.data)
        if not rows:
            return Markup('<p class="display" id="{}">{}</p>').format(self.id, self.empty)
        head = Markup("").join(Markup('<th scope="col">{}</th>').format(h) for h in headers)
        # Each cell carries its heading: below 600 px a row is drawn as a card of
        # "heading: value" lines (banshi.css table.stack); wider, the region scrolls.
        body = Markup("").join(
            Markup("<tr>{}</tr>").format(Markup("").join(
                Markup('<td data-label="{}">{}</td>').format(h, c) for h, c in zip(headers, row)))
            for row in rows)
        return Markup('<div class="table-wrap" role="region" aria-label="{}" tabindex="0">'
                      '<table class="data enrollments stack" id="{}">'
                      "<thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>"
                      ).format(self.label.text, self.id, head, body)


def _form(field: Mapping, ctx: EngineContext) -> EnrollmentsField:
    kwargs = form_kwargs(field, ctx, mark=False)
    kwargs.pop("render_kw", None)
    return EnrollmentsField(table=lambda value: enrollment_table(value, field, ctx),
                            empty=ctx.text(NONE_ON_RECORD), **kwargs)


def _schema(field: Mapping, ctx: EngineContext) -> dict:
    properties = {key: {"type": "string", **({"format": "date"} if kind == "date" else {})}
                  for key, kind in ENROLLMENT_KINDS.items()}
    return {"type": "array", "readOnly": True,
            "items": {"type": "object", "properties": properties, "required": list(_NEEDED),
                      "additionalProperties": False}}


TYPES = (
    FieldType(
        "enrollments", "list",
        parser=_enrollments,
        widget=_form,
        schema=_schema,
        settings=frozenset({"columns"}),
        empty=lambda raw: raw is None or raw == [] or raw == (),
        item_kind=lambda f: ENROLLMENT_KINDS,
        required_message=_l("No enrollment of this person is on record."),
        source="person.enrollments",
        table=enrollment_table,
    ),
)
