"""Choice types: select, radio, checkboxes (a list), yesno (a bool) and dictionary (a code)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, SelectMultipleField
from wtforms.widgets import ListWidget

from app.engine.fields.base import EngineContext, FieldType, is_blank
from app.engine.fields.widgets import (CHOOSE, OptionalCheckbox, choices, form_kwargs, offered,
                                       option_values)
from app.validators import ValidationError

YES_NO = (("1", {"zh": "是", "en": "Yes"}), ("0", {"zh": "否", "en": "No"}))
_TRUE, _FALSE = {"1", "true", "yes", "y", "on"}, {"0", "false", "no", "n", "off"}


def _value(raw: Any) -> str:
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise ValidationError(_l("Choose one of the options."), code="type")
    return str(raw).strip()


def _not_an_option(values: list[str], field: Mapping, ctx: EngineContext) -> ValidationError:
    """Return the error for values that are no option, naming them and the options by label:
    "Choose one of the options" read as if nothing had been chosen."""
    comma = str(_l(", "))
    given = comma.join(v if len(v) <= 30 else v[:30] + "…" for v in values)
    labels = [ctx.text(o.get("label")) or o["value"] for o in field.get("options", ())]
    return ValidationError(_l("“%(value)s” is not an option. The options are: %(options)s",
                              value=given, options=comma.join(labels)), code="choice")


def _one_of(raw: Any, field: Mapping, ctx: EngineContext) -> str:
    value = _value(raw)
    if value not in option_values(field):
        raise _not_an_option([value], field, ctx)
    return value


def _many_of(raw: Any, field: Mapping, ctx: EngineContext) -> list[str]:
    if not isinstance(raw, (list, tuple)):
        raise ValidationError(_l("Choose from the options."), code="type")
    chosen = {_value(item) for item in raw if not is_blank(item)}
    allowed = option_values(field)
    if chosen - set(allowed):
        raise _not_an_option(sorted(chosen - set(allowed)), field, ctx)
    low, high = field.get("min_selections"), field.get("max_selections")
    if low is not None and len(chosen) < low:
        raise ValidationError(_l("Choose at least %(min)d.", min=low), code="min_selections")
    if high is not None and len(chosen) > high:
        raise ValidationError(_l("Choose at most %(max)d.", max=high), code="max_selections")
    return [value for value in allowed if value in chosen]


def yes_no(raw: Any) -> bool:
    """Read yes/no from a bool, 1/0 or their words; raise ValidationError otherwise."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower() if isinstance(raw, (str, int)) else None
    if text not in _TRUE | _FALSE:
        raise ValidationError(_l("Answer yes or no."), code="type")
    return text in _TRUE


def _yes_no_form(value: Any) -> str | None:
    try:
        return None if is_blank(value) else "1" if yes_no(value) else "0"
    except ValidationError:
        return None


def _entries(field: Mapping, ctx: EngineContext) -> dict:
    entries = ctx.entries(field["dictionary"])
    if entries is None:
        raise ValidationError(_l("The code table %(code)s is not available.",
                                 code=field["dictionary"]), code="dictionary")
    return entries


def _depth(code: str, entries: Mapping) -> int:
    depth, seen = 1, {code}
    while (parent := entries[code].parent) in entries and parent not in seen:
        depth, code = depth + 1, parent
        seen.add(code)
    return depth


def _admitted(code: str, field: Mapping, entries: Mapping) -> bool:
    """Tell whether ``only`` admits a code: it is listed, or one of its ancestors is."""
    only, seen = field.get("only"), set()
    if not only:
        return True
    while code is not None and code not in seen:
        if code in only:
            return True
        seen.add(code)
        code = entries[code].parent if code in entries else None
    return False


def offered_codes(field: Mapping, ctx: EngineContext) -> dict:
    """Return the entries a dictionary field offers, by code, in the table's order.

    Those within ``levels`` and admitted by ``only``. An entry is a group heading, not a choice,
    when the table gives it offered children at its own level (psn_type's national 14
    居民（未成年） over national 1401 新生儿 …; a region's local code over that region's). A
    region's local code under a national code (or a lower region's under a region's) extends
    the list: its parent stays a choice, so no local extension removes a choice offered above.
    """
    entries, levels = ctx.entries(field["dictionary"]) or {}, field.get("levels")
    within = {code: e for code, e in entries.items()
              if (not levels or _depth(code, entries) <= levels)
              and _admitted(code, field, entries)}
    headings = {e.parent for e in within.values()
                if e.parent in within and within[e.parent].region == e.region}
    return {code: e for code, e in within.items() if code not in headings}


def _not_listed(field: Mapping, ctx: EngineContext, code: str) -> ValidationError:
    """Return the error for an answer that is no code of the list, naming the field by its
    label (an API client sees these messages away from any form)."""
    return ValidationError(_l("%(field)s: choose a value from the list.",
                              field=ctx.text(field.get("label")) or field.get("key")), code=code)


def _code(raw: Any, field: Mapping, ctx: EngineContext) -> str:
    if not isinstance(raw, str):
        raise _not_listed(field, ctx, "type")
    entries, code = _entries(field, ctx), raw.strip()
    if code not in entries:
        raise _not_listed(field, ctx, "choice")
    if field.get("levels") and _depth(code, entries) > field["levels"]:
        raise _not_listed(field, ctx, "level")
    if code not in offered_codes(field, ctx):
        raise ValidationError(_l("%(field)s: choose one of the values offered.",
                                 field=ctx.text(field.get("label")) or field.get("key")),
                              code="only")
    return code


def _code_under_parent(value: str, field: Mapping, ctx: EngineContext, values: Mapping):
    parent = values.get(field.get("parent")) if field.get("parent") else None
    if parent is not None and _entries(field, ctx)[value].parent != parent:
        return _l("This does not belong to the value chosen above.")
    return None


def code_labels(field: Mapping, ctx: EngineContext, codes) -> dict[str, str]:
    """Return ``{code: label}`` in ctx's locale; labels that repeat in the list are told apart
    by their parent (居民（未成年） — 地方扩展), or else by their code."""
    entries = ctx.entries(field["dictionary"]) or {}
    labels = {code: ctx.text(entries[code].label) or code for code in codes if code in entries}
    dash, code_of = ("—", "{}（{}）") if ctx.lang == "zh" else (" — ", "{} ({})")
    counts = Counter(labels.values())
    for code, label in labels.items():
        if counts[label] > 1:
            parent = entries.get(entries[code].parent)
            labels[code] = (f"{ctx.text(parent.label)}{dash}{label}" if parent is not None
                            else code_of.format(label, code))
    counts = Counter(labels.values())
    return {code: label if counts[label] == 1 else code_of.format(label, code)
            for code, label in labels.items()}


def _code_choices(field: Mapping, ctx: EngineContext) -> list[tuple[str, str]]:
    codes = [code for code in offered_codes(field, ctx) if offered(field, code)]
    return [("", ctx.text(CHOOSE))] + list(code_labels(field, ctx, codes).items())


def _code_schema(field: Mapping, ctx: EngineContext) -> dict:
    schema = {"type": "string", "x-dictionary": field["dictionary"]}
    if ctx.entries(field["dictionary"]) is None:
        return schema
    return schema | {"enum": list(offered_codes(field, ctx))}


_CHOICE_SETTINGS = frozenset({"options"})
_AMONG = frozenset({"among"})  # CEL giving the values offered (app.engine.answers checks them)
TYPES = (
    FieldType(
        "select", "text",
        textual=True,
        parser=_one_of,
        widget=lambda f, ctx: SelectField(
            choices=[("", ctx.text(CHOOSE))] + choices(f, ctx), validate_choice=False,
            **form_kwargs(f, ctx, readonly="disabled")),
        schema=lambda f, ctx: {"type": "string", "enum": option_values(f)},
        settings=_CHOICE_SETTINGS | _AMONG, required_settings=_CHOICE_SETTINGS,
    ),
    FieldType(
        "radio", "text",
        textual=True,
        parser=_one_of,
        widget=lambda f, ctx: RadioField(choices=choices(f, ctx), validate_choice=False,
                                         **form_kwargs(f, ctx, readonly="disabled")),
        schema=lambda f, ctx: {"type": "string", "enum": option_values(f)},
        settings=_CHOICE_SETTINGS | _AMONG, required_settings=_CHOICE_SETTINGS,
    ),
    FieldType(
        "checkboxes", "list",
        textual=True,
        parser=_many_of,
        widget=lambda f, ctx: SelectMultipleField(
            choices=choices(f, ctx), validate_choice=False, widget=ListWidget(prefix_label=False),
            option_widget=OptionalCheckbox(), **form_kwargs(f, ctx, readonly="disabled")),
        schema=lambda f, ctx: {
            "type": "array", "items": {"type": "string", "enum": option_values(f)},
            "uniqueItems": True, "minItems": f.get("min_selections", 0),
            **({"maxItems": f["max_selections"]} if f.get("max_selections") else {})},
        settings=_CHOICE_SETTINGS | {"min_selections", "max_selections"},
        required_settings=_CHOICE_SETTINGS,
        item_kind=lambda f: "text",
    ),
    FieldType(
        "yesno", "bool",
        parser=lambda raw, f, ctx: yes_no(raw),
        widget=lambda f, ctx: RadioField(
            choices=[(v, ctx.text(label)) for v, label in YES_NO], coerce=_yes_no_form,
            validate_choice=False, **form_kwargs({**f, "default": _yes_no_form(f.get("default"))},
                                                 ctx, readonly="disabled")),
        schema=lambda f, ctx: {"type": "boolean"},
    ),
    FieldType(
        "dictionary", "text",
        textual=True,
        parser=_code,
        widget=lambda f, ctx: SelectField(choices=_code_choices(f, ctx), validate_choice=False,
                                          **form_kwargs(f, ctx, readonly="disabled")),
        schema=_code_schema,
        settings=frozenset({"dictionary", "parent", "levels", "only"}) | _AMONG,
        required_settings=frozenset({"dictionary"}),
        related=_code_under_parent,
    ),
)
