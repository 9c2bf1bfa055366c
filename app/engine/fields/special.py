"""Types for declarations: acknowledge (a ticked statement) and signature (typed or drawn)."""
from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Form, FormField, HiddenField, StringField

from app.engine.cel_functions import CST
from app.engine.fields.base import EngineContext, FieldType, is_blank
from app.engine.fields.choice import yes_no
from app.engine.fields.widgets import RequiredMark, form_kwargs
from app.validators import ValidationError, normalize_text

SIGNATURE_KINDS = ("typed", "drawn")
PNG_PREFIX = "data:image/png;base64,"
PNG_MAX_BYTES = 200 * 1024
TYPED_MAX = 50
CLOCK_SKEW = dt.timedelta(minutes=5)
TYPED_LABEL = {"zh": "请输入您的姓名作为签名", "en": "Type your full name to sign"}


def _acknowledge(raw: Any, field: Mapping, ctx: EngineContext) -> bool:
    return yes_no(raw)


def _drawn(value: Any) -> str:
    if not isinstance(value, str) or not value.startswith(PNG_PREFIX):
        raise ValidationError(_l("A drawn signature must be a PNG image."), code="format")
    if len(value) > len(PNG_PREFIX) + (PNG_MAX_BYTES * 4 // 3) + 4:
        raise ValidationError(_l("The signature image is too large (at most 200 KB)."),
                              code="too_large")
    try:
        data = base64.b64decode(value[len(PNG_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(_l("A drawn signature must be a PNG image."), code="format") from None
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationError(_l("A drawn signature must be a PNG image."), code="format")
    if len(data) > PNG_MAX_BYTES:
        raise ValidationError(_l("The signature image is too large (at most 200 KB)."),
                              code="too_large")
    return value


def _signed_at(value: Any, ctx: EngineContext) -> str:
    """Keep a stored signing time; stamp a new signature now (callers drop client-sent times)."""
    now = dt.datetime.now(CST).replace(microsecond=0)
    if is_blank(value):
        return now.isoformat()
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or moment > now + CLOCK_SKEW:
        raise ValidationError(_l("The signing time is not valid."), code="signed_at")
    return moment.astimezone(CST).isoformat()


def _signature(raw: Any, field: Mapping, ctx: EngineContext) -> dict:
    if not isinstance(raw, Mapping):
        raise ValidationError(_l("Sign by typing your name or drawing your signature."),
                              code="type")
    kind = raw.get("kind") or "typed"
    if kind == "typed":
        value = normalize_text(raw.get("value"), max_length=TYPED_MAX)
        if not value:
            raise ValidationError(_l("Type your full name to sign."), code="required")
    elif kind == "drawn":
        value = _drawn(raw.get("value"))
    else:
        raise ValidationError(_l("A signature is typed or drawn."), code="kind")
    return {"kind": kind, "value": value, "signed_at": _signed_at(raw.get("signed_at"), ctx)}


def _signature_empty(raw: Any) -> bool:
    return is_blank(raw.get("value")) if isinstance(raw, Mapping) else is_blank(raw)


def _signature_form(field: Mapping, ctx: EngineContext) -> FormField:
    mark = [RequiredMark()] if field.get("required") else []
    subform = type("SignatureForm", (Form,), {
        "kind": HiddenField(default="typed"),
        "value": StringField(ctx.text(TYPED_LABEL), validators=mark,
                             render_kw={"maxlength": TYPED_MAX, "autocomplete": "name"}),
    })
    kwargs = form_kwargs(field, ctx, mark=False)
    kwargs.pop("render_kw", None)
    return FormField(subform, **kwargs)


def _acknowledge_form(field: Mapping, ctx: EngineContext) -> BooleanField:
    kwargs = form_kwargs(field, ctx)
    if field.get("text"):
        kwargs["label"] = ctx.text(field["text"])
    return BooleanField(**kwargs)


TYPES = (
    FieldType(
        "acknowledge", "bool",
        parser=_acknowledge,
        widget=_acknowledge_form,
        schema=lambda f, ctx: {"type": "boolean", **({"const": True} if f.get("required") else {})},
        settings=frozenset({"text"}),
        empty=lambda raw: is_blank(raw) or raw is False or raw in ("0", "false", "n", "no", "off"),
        required_message=_l("Tick the box to confirm."),
    ),
    FieldType(
        "signature", "map",
        parser=_signature,
        widget=_signature_form,
        schema=lambda f, ctx: {
            "type": "object", "required": ["kind", "value"], "additionalProperties": False,
            "properties": {"kind": {"enum": list(SIGNATURE_KINDS)},
                           "value": {"type": "string", "minLength": 1},
                           "signed_at": {"type": "string", "format": "date-time"}}},
        empty=_signature_empty,
        required_message=_l("Sign here."),
    ),
)
