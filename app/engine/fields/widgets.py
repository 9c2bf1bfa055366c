"""Helpers the type modules share to build WTForms fields and JSON-Schema fragments.

Forms built from definitions render and collect answers; they do not validate them:
:mod:`app.engine.answers` is the one place answers are checked (the view puts its messages on the
fields). Required fields are only *marked* (``flags.required``, the HTML ``required`` attribute).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape
from wtforms import Field, Form
from wtforms.widgets import CheckboxInput

from app.engine.fields.base import EngineContext

#: Engine-owned labels, in the two languages definitions carry.
CHOOSE = {"zh": "请选择", "en": "Choose…"}


class RequiredMark:
    """Mark a field required for rendering; checking is app.engine.answers' job."""

    field_flags = {"required": True}

    def __call__(self, form: Form, field: Field) -> None:
        return None


class OptionalCheckbox(CheckboxInput):
    """Render one checkbox of a group without ``required`` (the group is, not each box)."""

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        kwargs["required"] = False
        return super().__call__(field, **kwargs)


def _display_widget(field: Field, **kwargs: Any) -> Markup:
    lines = escape(field.text).split("\n")
    return Markup('<p class="display" id="{}">{}</p>').format(field.id, Markup("<br>").join(lines))


class DisplayField(Field):
    """A read-only paragraph that takes no answer."""

    widget = staticmethod(_display_widget)

    def __init__(self, label: Any = None, text: str = "", **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.text = text

    def process_formdata(self, valuelist: list) -> None:
        self.data = None


def form_kwargs(field: Mapping, ctx: EngineContext, *, mark: bool = True,
                readonly: str = "readonly", **render_kw: Any) -> dict:
    """Return label, description, default, validators and render_kw for ``field``.

    :param readonly: the HTML attribute a read-only field gets; choices have no ``readonly`` and
        use ``disabled`` (not submitted: read-only answers never come from the input anyway).
    """
    kwargs: dict[str, Any] = {
        "label": ctx.text(field.get("label")) or field.get("key"),
        "description": ctx.text(field.get("help")),
    }
    attrs = {k.replace("_", "-"): v for k, v in render_kw.items() if v is not None}
    if field.get("placeholder"):
        attrs["placeholder"] = ctx.text(field["placeholder"])
    if field.get("readonly") or field.get("compute"):
        attrs[readonly] = True
    if mark and field.get("required"):
        kwargs["validators"] = [RequiredMark()]
    if field.get("default") is not None:
        kwargs["default"] = field["default"]
    if attrs:
        kwargs["render_kw"] = attrs
    return kwargs


def offered(field: Mapping, value: str) -> bool:
    """Tell whether a value is offered: ``among`` (evaluated to a list by the form) allows it."""
    among = field.get("among")
    return not isinstance(among, list) or value in among


def choices(field: Mapping, ctx: EngineContext) -> list[tuple[str, str]]:
    """Return ``(value, label)`` pairs of a field's options (those offered) in ctx's locale."""
    return [(o["value"], ctx.text(o.get("label")) or o["value"]) for o in field.get("options", ())
            if offered(field, o["value"])]


def option_values(field: Mapping) -> list[str]:
    """Return the values of a field's options in definition order."""
    return [o["value"] for o in field.get("options", ())]


def bounds(field: Mapping, low: str = "min", high: str = "max", **schema: Any) -> dict:
    """Return a JSON-Schema fragment with ``minimum``/``maximum`` taken from two settings."""
    if field.get(low) is not None:
        schema["minimum"] = field[low]
    if field.get(high) is not None:
        schema["maximum"] = field[high]
    return schema
