"""Free-text types: text, textarea, email, and display (a paragraph that takes no answer)."""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.widgets import EmailInput

from app.engine.fields.base import EngineContext, FieldType
from app.engine.fields.widgets import DisplayField, form_kwargs
from app.validators import ValidationError, mask_id_number, normalize_text
from app.validators.text import clean_text

TEXT_MAX, TEXTAREA_MAX, EMAIL_MAX = 200, 2000, 254


def _text(raw: Any, field: Mapping, ctx: EngineContext, default_max: int) -> str:
    pattern = field.get("pattern")
    # Prose is kept as typed (，（） stay); an answer with a pattern is a code, read as one.
    read = normalize_text if pattern else clean_text
    text = read(raw, max_length=field.get("max_length", default_max))
    if pattern and not re.fullmatch(pattern, text):
        message = ctx.text(field.get("pattern_message")) or _l("This is not in the expected form.")
        raise ValidationError(message, code="pattern")
    return text


#: No control character (tab and line breaks aside) and no bidirectional control: what
#: app.validators.text refuses in any text, as a pattern (ECMA 262 and Python read it alike).
SAFE_TEXT = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*"


def _text_schema(field: Mapping, ctx: EngineContext, default_max: int) -> dict:
    schema = {"type": "string", "maxLength": field.get("max_length", default_max)}
    if field.get("pattern"):
        schema["pattern"] = f"^(?={SAFE_TEXT}$)(?:{field['pattern']})$"
    else:
        schema["pattern"] = f"^{SAFE_TEXT}$"
    return schema


def _textarea(raw: Any, field: Mapping, ctx: EngineContext) -> str:
    if isinstance(raw, str):
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return _text(raw, field, ctx, TEXTAREA_MAX)


def _email(raw: Any, field: Mapping, ctx: EngineContext) -> str:
    text = normalize_text(raw, max_length=EMAIL_MAX)
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValidationError(_l("This is not an email address."), code="format") from None


def _display(raw: Any, field: Mapping, ctx: EngineContext) -> None:
    if raw not in (None, ""):
        raise ValidationError(_l("This item takes no answer."), code="no_answer")
    return None


TYPES = (
    FieldType(
        "text", "text",
        textual=True,
        parser=lambda raw, f, ctx: _text(raw, f, ctx, TEXT_MAX),
        widget=lambda f, ctx: StringField(**form_kwargs(
            f, ctx, maxlength=f.get("max_length", TEXT_MAX))),
        schema=lambda f, ctx: _text_schema(f, ctx, TEXT_MAX),
        settings=frozenset({"max_length", "pattern", "pattern_message", "masked"}),
        # A masked one-line text holds a document number (a passport, a permit): masked as one.
        mask=mask_id_number,
    ),
    FieldType(
        "textarea", "text",
        textual=True,
        parser=_textarea,
        widget=lambda f, ctx: TextAreaField(**form_kwargs(
            f, ctx, maxlength=f.get("max_length", TEXTAREA_MAX), rows=5)),
        schema=lambda f, ctx: _text_schema(f, ctx, TEXTAREA_MAX),
        settings=frozenset({"max_length", "pattern", "pattern_message"}),
    ),
    FieldType(
        "email", "text",
        textual=True,
        parser=_email,
        widget=lambda f, ctx: StringField(widget=EmailInput(), **form_kwargs(
            f, ctx, maxlength=EMAIL_MAX, autocomplete="email")),
        schema=lambda f, ctx: {"type": "string", "format": "email", "maxLength": EMAIL_MAX},
    ),
    FieldType(
        "display", None,
        parser=_display,
        widget=lambda f, ctx: DisplayField(
            label=ctx.text(f.get("label")), text=ctx.text(f.get("text")),
            description=ctx.text(f.get("help"))),
        schema=lambda f, ctx: {"type": "null"},
        settings=frozenset({"text"}),
        required_settings=frozenset({"text"}),
        has_answer=False,
    ),
)
