"""The designer's forms, table-driven: one form per part (inputs: :mod:`item_inputs`).

:func:`form_class` builds the WTForms class of a list of inputs, :func:`form_data` fills it from
the part and :func:`read_part` turns the submitted form back into the part, keeping the keys no
input covers. Values are only *read* here (a number is a number); whether they make sense is
checked by the command (:mod:`app.commands.item_checks`).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, Optional

from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import (BooleanField, FieldList, Form, FormField, HiddenField, SelectField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.widgets import CheckboxInput, ListWidget

from app.engine.cel_check import field_type
from app.engine.schema import DEFAULTS
from app.extensions import db
from app.models.dictionary import Dictionary
from app.views.admin.item_inputs import SETTING_VALUE_LABELS, TYPE_LABELS, Input
from app.views.admin.item_select import KeptSelect
from app.views.admin.prefill_choices import prefill_choices

#: The field type a field reference may name, by input: a step's region comes from a region
#: field, a code-table field's parent code from another code-table field.
REFERENCED_TYPES = {"region_field": "region", "parent": "dictionary"}
NO_FIELD = {"region": _l("This item has no field of type Region yet: add one to a page first."),
            "dictionary": _l("This item has no other field of type Code table.")}
EXTRA_ROWS = 2  # blank option/rule rows offered below the existing ones


class OptionRow(Form):
    value = StringField(_l("Value"))
    label_zh = StringField(_l("Label (Chinese)"))
    label_en = StringField(_l("Label (English)"))


class RuleRow(Form):
    check = StringField(_l("Check (expression)"))
    message_zh = StringField(_l("Message (Chinese)"))
    message_en = StringField(_l("Message (English)"))


class _Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _names(i: Input) -> list[str]:
    name = i.key.replace(".", "__")
    return [f"{name}_zh", f"{name}_en"] if i.kind in ("text", "textarea", "pledge") else [name]


def _choices(i: Input, context: dict) -> list:
    if i.kind == "dictionary":
        rows = db.session.execute(select(Dictionary.code, Dictionary.name_zh).order_by(
            Dictionary.code)).all()
        return [("", "—")] + [(code, f"{code} {name}") for code, name in rows]
    if i.kind == "field_ref":
        wanted = REFERENCED_TYPES.get(i.key)
        return [("", "—")] + [(key, f"{label} ({key})" if label else key)
                              for key, type_name, label in context.get("fields", ())
                              if wanted is None or type_name == wanted]
    if i.kind == "prefill":
        return prefill_choices()
    return [("", "—")] + list(i.choices)


def form_class(inputs: list[Input], context: Optional[dict] = None) -> type[DynamicForm]:
    """Return a form class for ``inputs`` (``context``: field keys for selects of fields)."""
    context = context or {}
    members: dict[str, Any] = {"revision": HiddenField()}
    for i in inputs:
        names = _names(i)
        if i.kind in ("text", "textarea", "pledge"):
            cls = TextAreaField if i.kind == "textarea" else StringField
            members[names[0]] = cls(_l("%(label)s (Chinese)", label=i.label), description=i.help)
            members[names[1]] = cls(_l("%(label)s (English)", label=i.label))
        elif i.kind == "bool":
            members[names[0]] = BooleanField(i.label, description=i.help)
        elif i.kind == "words":
            members[names[0]] = _Checkboxes(i.label, choices=list(i.choices), description=i.help)
        elif i.kind == "select":
            members[names[0]] = KeptSelect(i.label, choices=_choices(i, context),
                                            validate_choice=False, description=i.help,
                                            labels=SETTING_VALUE_LABELS.get(i.key),
                                            refuse=i.refuse)
        elif i.kind == "prefill":  # a stored source shown even if not offered, never dropped
            members[names[0]] = KeptSelect(i.label, choices=_choices(i, context),
                                            validate_choice=False, description=i.help)
        elif i.kind in ("dictionary", "field_ref"):
            choices = _choices(i, context)
            empty = i.kind == "field_ref" and len(choices) == 1
            members[names[0]] = SelectField(i.label, choices=choices, validate_choice=False,
                                            description=NO_FIELD.get(REFERENCED_TYPES.get(
                                                i.key)) if empty else i.help)
        elif i.kind == "options":
            members[names[0]] = FieldList(FormField(OptionRow), label=i.label)
        elif i.kind == "rules":
            members[names[0]] = FieldList(FormField(RuleRow), label=i.label)
        elif i.kind == "readonly":
            members[names[0]] = StringField(i.label, render_kw={"readonly": True})
        else:
            members[names[0]] = StringField(i.label, description=i.help)
    return type("PartForm", (DynamicForm,), members)


def _text_value(value: Any, lang: str) -> str:
    return (value or {}).get(lang) or "" if isinstance(value, dict) else ""


def _get(part: dict, key: str) -> Any:
    for step in key.split("."):
        part = part.get(step) if isinstance(part, dict) else None
    return part


def form_data(inputs: list[Input], part: dict, revision: int) -> dict:
    """Return the form's data for ``part`` (plus blank option and rule rows).

    A setting left out has the schema's default (``approvers: 1``): the form shows that value,
    the one in effect, not an empty input.
    """
    data: dict[str, Any] = {"revision": revision}
    for i in inputs:
        value, names = _get(part, i.key), _names(i)
        if value is None:
            value = DEFAULTS.get(i.key)
        if i.kind in ("text", "textarea", "pledge"):
            data[names[0]], data[names[1]] = _text_value(value, "zh"), _text_value(value, "en")
        elif i.kind == "bool":
            data[names[0]] = value is True
        elif i.kind == "words":
            data[names[0]] = list(value or [])
        elif i.kind == "codes":
            data[names[0]] = ", ".join(map(str, value or []))
        elif i.kind == "options":
            data[names[0]] = [{"value": o["value"], "label_zh": _text_value(o["label"], "zh"),
                               "label_en": _text_value(o["label"], "en")}
                              for o in value or []] + [{}] * EXTRA_ROWS
        elif i.kind == "rules":
            data[names[0]] = [{"check": r.get("check"), "message_zh": _text_value(
                r.get("message"), "zh"), "message_en": _text_value(r.get("message"), "en")}
                for r in value or []] + [{}] * EXTRA_ROWS
        elif i.kind == "default":
            data[names[0]] = ", ".join(map(str, value)) if isinstance(value, list) else (
                "" if value is None else str(value).lower() if isinstance(value, bool) else str(value))
        elif i.kind == "readonly" and i.key == "type" and value in TYPE_LABELS:
            data[names[0]] = f"{TYPE_LABELS[value]} ({value})"  # what it is, and its keyword
        else:
            data[names[0]] = "" if value is None else str(value)
    return data


class InputError(ValueError):
    def __init__(self, name: str, message: Any):
        self.name, self.message = name, message
        super().__init__(str(message))


def _pair(form, names: list[str]) -> Optional[dict]:
    zh, en = ((form[n].data or "").strip() for n in names)
    if not zh and not en:
        return None
    if not zh:
        raise InputError(names[0], _l("Give the Chinese text (English is optional)."))
    return {"zh": zh, "en": en or None}


def _number(text: str, name: str):
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InputError(name, _l("Enter a number.")) from None
    return int(number) if number == number.to_integral_value() else float(number)


def _default(text: str, type_name: str):
    ftype = field_type(type_name)
    kind = ftype.cel_kind if ftype else "text"
    if kind in ("number", "money"):
        return _number(text, "default")
    if kind == "bool":
        return text.lower() in ("1", "true", "yes", "是", "on")
    if kind == "list":
        return [v.strip() for v in text.split(",") if v.strip()]
    return text


def _read(i: Input, form, part: dict) -> Any:
    names = _names(i)
    if i.kind in ("text", "textarea"):
        return _pair(form, names)
    if i.kind == "pledge":
        return _pair(form, names) or (True if part.get("pledge") is True else None)
    field = form[names[0]]
    if i.kind == "bool":
        return True if field.data else None
    if i.kind == "words":
        return list(field.data) or None
    if i.kind == "codes":  # "14, 15，16" → ["14", "15", "16"]
        return list(dict.fromkeys(re.findall(r"[^\s,，、;；]+", field.data or ""))) or None
    if i.kind == "options":
        rows = [r for r in field.data if (r.get("value") or "").strip()]
        return [{"value": r["value"].strip(), "label": {
            "zh": (r.get("label_zh") or "").strip() or r["value"].strip(),
            "en": (r.get("label_en") or "").strip() or None}} for r in rows]
    if i.kind == "rules":
        rules = []
        for index, r in enumerate(field.data):
            check, zh = (r.get("check") or "").strip(), (r.get("message_zh") or "").strip()
            if not check and not zh:
                continue
            if not check or not zh:
                raise InputError(f"rules.{index}.check", _l("A rule needs a check and a message."))
            rules.append({"check": check, "message": {
                "zh": zh, "en": (r.get("message_en") or "").strip() or None}})
        return rules or None
    text = (field.data or "").strip() if isinstance(field.data, str) else field.data
    if text in ("", None):
        return None
    if i.kind == "int":
        if not str(text).lstrip("-").isdigit():
            raise InputError(names[0], _l("Enter a whole number."))
        return int(text)
    if i.kind == "number":
        return _number(text, names[0])
    if i.kind == "default":
        return _default(text, part.get("type"))
    if i.kind == "readonly":
        return part.get(i.key)
    return text


def read_part(inputs: list[Input], form, part: dict) -> tuple[dict, dict[str, list]]:
    """Return the part as submitted (keys no input covers are kept) and the input errors."""
    result, errors = dict(part), {}
    for i in inputs:
        try:
            value = _read(i, form, part)
        except InputError as error:
            errors.setdefault(error.name, []).append(error.message)
            continue
        head, _, tail = i.key.partition(".")
        if tail:
            nested = dict(result.get(head) or {})
            if value is None:
                nested.pop(tail, None)
            else:
                nested[tail] = value
            if nested:
                result[head] = nested
            else:
                result.pop(head, None)
        elif value is None:
            result.pop(i.key, None)
        else:
            result[i.key] = value
    return result, errors


def input_name(key: str) -> str:
    """Return the form field name that shows errors of definition input ``key``."""
    if key.startswith("rules."):
        return key
    key = key.replace(".", "__")
    return key


def attach_errors(form, errors: dict[str, list]) -> list:
    """Put messages on their inputs; return those that belong to no input."""
    general = []
    for key, messages in errors.items():
        messages = [str(m) for m in messages]
        if key.startswith("rules.") and key.count(".") == 2 and "rules" in form:
            index = int(key.split(".")[1])
            if index < len(form.rules.entries):
                form.rules.entries[index].form.check.errors = [
                    *form.rules.entries[index].form.check.errors, *messages]
                continue
        name = input_name(key)
        target = form[name] if name in form else form[f"{name}_zh"] if f"{name}_zh" in form \
            else None
        if target is None:
            general.extend(messages)
        else:
            target.errors = [*(target.errors or []), *messages]
    return general
