"""Types for declarations: acknowledge (a ticked statement) and signature (typed or drawn).

A signature's form field is a group of two members: the typed name (a text box, which works
everywhere) and a drawing pad whose PNG travels in a hidden input. The pad (canvas and buttons)
is hidden until the wizard's script (app/static/wizard_fields.js, with the vendored
signature_pad) shows it; a typed name, when given, is the answer, else the drawing.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import BooleanField, Field, Form, FormField, HiddenField, StringField
from wtforms.utils import unset_value

from app.clock import now as clock_now
from app.engine.cel_functions import CST
from app.engine.fields.base import EngineContext, FieldType, People, is_blank, same_name
from app.engine.fields.choice import yes_no
from app.engine.fields.widgets import RequiredMark, form_kwargs
from app.validators import ValidationError
from app.validators.text import clean_text

SIGNATURE_KINDS = ("typed", "drawn")
#: Whose name a typed signature must be (``signer``): who files — the subject for themself, the
#: agent (the account holder) for them — or the subject, whoever files.
SIGNERS = ("filer", "subject")
DEFAULT_SIGNER = "filer"
PNG_PREFIX = "data:image/png;base64,"
PNG_MAX_BYTES = 200 * 1024
PNG_MAX_WIDTH, PNG_MAX_HEIGHT = 4000, 2000  # a pad at twice the screen's pixels fits easily
TYPED_MAX = 50
CLOCK_SKEW = dt.timedelta(minutes=5)
TYPED_LABEL = {"zh": "请输入您的姓名作为签名", "en": "Type your full name to sign"}
#: The drawing pad's texts, in the two languages definitions carry (as TYPED_LABEL).
PAD_TEXTS = {
    "draw": {"zh": "在框内手写签名（手指或鼠标）", "en": "Sign in the box with your finger or the mouse"},
    "undo": {"zh": "撤销", "en": "Undo"},
    "redo": {"zh": "重做", "en": "Redo"},
    "clear": {"zh": "清除", "en": "Clear"},
    "hint": {"zh": "手写签名后无需再输入姓名；如需改为输入姓名，请先清除手写签名。",
             "en": "With a drawn signature no name needs typing; clear the drawing to type "
                   "your name instead."},
    "saved": {"zh": "您已保存的手写签名。在下方输入姓名将替换它。",
              "en": "Your saved drawn signature. Typing your name below replaces it."},
    "alt": {"zh": "手写签名", "en": "Drawn signature"},
}


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
    if data[12:16] != b"IHDR":
        raise ValidationError(_l("A drawn signature must be a PNG image."), code="format")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if not 0 < width <= PNG_MAX_WIDTH or not 0 < height <= PNG_MAX_HEIGHT:
        raise ValidationError(_l("The signature image is too large (at most %(width)d × "
                                 "%(height)d pixels).", width=PNG_MAX_WIDTH,
                                 height=PNG_MAX_HEIGHT), code="too_large")
    return value


def drawn_image(value: Any, alt: str) -> Markup | None:
    """Return an ``<img>`` of a drawn signature (its PNG inline as a data URL), or None when
    ``value`` is not one the parser accepts (a draft holds answers as typed)."""
    try:
        _drawn(value)
    except ValidationError:
        return None
    return Markup('<img class="signature-image" src="{}" alt="{}">').format(value, alt)


def _signed_at(value: Any, ctx: EngineContext) -> str:
    """Keep a stored signing time (the server's: :func:`_stamp` drops a client's); stamp a
    signature saved before there was one now."""
    now = clock_now().astimezone(CST).replace(microsecond=0)
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
        value = clean_text(raw.get("value"), max_length=TYPED_MAX)
        if not value:
            raise ValidationError(_l("Type your full name to sign."), code="required")
    elif kind == "drawn":
        value = _drawn(raw.get("value"))
    else:
        raise ValidationError(_l("A signature is typed or drawn."), code="kind")
    return {"kind": kind, "value": value, "signed_at": _signed_at(raw.get("signed_at"), ctx)}


def _signer_check(value: Any, field: Mapping, beside: Mapping, people: People) -> Any:
    """Refuse a typed signature that is not the signer's name (a drawing is not compared)."""
    if not isinstance(value, Mapping) or value.get("kind") != "typed":
        return None
    name = people.signer(field.get("signer") or DEFAULT_SIGNER)
    if not name or same_name(value.get("value"), name):
        return None
    return _l("Type the full name of the person who signs: %(name)s.", name=name)


def _signature_empty(raw: Any) -> bool:
    return is_blank(raw.get("value")) if isinstance(raw, Mapping) else is_blank(raw)


def _signed(raw: Mapping) -> tuple:
    """Return what makes two signatures the same: kind and value (a typed name trimmed)."""
    kind, value = raw.get("kind") or "typed", raw.get("value")
    return kind, value.strip() if kind == "typed" and isinstance(value, str) else value


def _stamp(raw: Any, stored: Any, moment: dt.datetime) -> Any:
    """Return the signature to store: a ``signed_at`` the client sent is dropped; the stored
    time is kept while the signature stays the same, else the signing time is ``moment``."""
    if not isinstance(raw, Mapping):
        return raw
    answer = {key: value for key, value in raw.items() if key != "signed_at"}
    if _signature_empty(answer):
        return answer
    answer["kind"] = answer.get("kind") or "typed"
    if isinstance(stored, Mapping) and stored.get("signed_at") and _signed(stored) == _signed(
            answer):
        answer["signed_at"] = stored["signed_at"]
    else:
        answer["signed_at"] = moment.astimezone(CST).replace(microsecond=0).isoformat()
    return answer


class SignaturePadWidget:
    """The pad (hidden until the script shows it), a saved drawing, and the hidden PNG input."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        text, value = self.texts, field._value()
        typed = field.id[:-len(field.short_name)] + "value"
        html = Markup(
            '<div class="signature-pad" id="{id}-pad" data-input="{id}" data-typed="{typed}" '
            'hidden><p class="pad-label" id="{id}-label">{draw}</p>'
            '<canvas class="pad" aria-labelledby="{id}-label"></canvas>'
            '<div class="pad-buttons">'
            '<button type="button" class="secondary small" data-pad="undo">{undo}</button>'
            '<button type="button" class="secondary small" data-pad="redo">{redo}</button>'
            '<button type="button" class="secondary small" data-pad="clear">{clear}</button>'
            '</div><p class="help">{hint}</p></div>').format(id=field.id, typed=typed, **text)
        image = drawn_image(value, text["alt"]) if value else None
        if image is not None:  # what the script puts back on the pad, shown as it is without it
            html += Markup('<figure class="signature-saved" id="{}-saved">{}<figcaption>{}'
                           '</figcaption></figure>').format(field.id, image, text["saved"])
        if kwargs.get("readonly") or kwargs.get("disabled"):
            return html
        return html + Markup('<input type="hidden" name="{}" id="{}" value="{}">').format(
            field.name, field.id, value)


class SignaturePadField(HiddenField):
    """The drawing's PNG (a data URL); the form templates draw it as their hidden inputs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.type = "HiddenField"


class SignatureField(FormField):
    """A typed name or a drawing; the answer is ``{"kind", "value"}`` whichever was given.

    Rendered by the form templates as a group of its members (``type`` says so). What was posted
    is all that counts: a drawing leaves the (disabled) name box out of the request, and the
    stored answer must not fill it back in.
    """

    def __init__(self, form_class: type, label: Any = None, **kwargs: Any) -> None:
        super().__init__(form_class, label, **kwargs)
        self.type = "FormField"

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        if data is unset_value:
            try:
                data = self.default()
            except TypeError:
                data = self.default
        prefix = self.name + self.separator
        posted = formdata is not None and any(key.startswith(prefix) for key in formdata)
        members = {}
        if not posted and isinstance(data, Mapping):
            key = "drawing" if data.get("kind") == "drawn" else "value"
            members = {key: data.get("value")}
        super().process(formdata, members, extra_filters)

    @property
    def data(self) -> dict:
        typed, drawing = self.form.value.data, self.form.drawing.data
        if is_blank(typed) and not is_blank(drawing):
            return {"kind": "drawn", "value": drawing}
        return {"kind": "typed", "value": typed}


def _signature_form(field: Mapping, ctx: EngineContext) -> SignatureField:
    mark = [RequiredMark()] if field.get("required") else []
    pad = SignaturePadWidget({name: ctx.text(text) for name, text in PAD_TEXTS.items()})
    subform = type("SignatureForm", (Form,), {
        "drawing": SignaturePadField(widget=pad),
        "value": StringField(ctx.text(TYPED_LABEL), validators=mark,
                             render_kw={"maxlength": TYPED_MAX, "autocomplete": "name"}),
    })
    kwargs = form_kwargs(field, ctx, mark=False)
    kwargs.pop("render_kw", None)
    return SignatureField(subform, **kwargs)


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
                           "signed_at": {"type": "string", "format": "date-time",
                                         "readOnly": True}}},
        settings=frozenset({"signer"}),
        empty=_signature_empty,
        required_message=_l("Sign here."),
        stamp=_stamp,
        person_check=_signer_check,
    ),
)
