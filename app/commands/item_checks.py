"""The rules an edited part of a definition must keep before the designer saves it.

Lint checks a whole definition when it is published; these checks run on the one part an
administrator just changed, so each message can stand next to its input: every CEL expression
compiles, keys are unique, and a field's type-specific settings (from the registry) make sense —
a known code table, codes of ``only`` that it has in the item's region (lint's own check), an
existing region for ``within``, a regular expression that compiles, bounds in order, options with
unique values, a default its own type accepts; a step's role can decide (lint's own check).
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.clock import today as clock_today
from app.commands.publish import dictionary_codes
from app.engine.cel_check import check_expression, expression_inputs, field_type, variables_for
from app.engine.lint_approval import role_refusal
from app.engine.lint_rules import check_only, fields_of
from app.engine.lint_visibility import part_problems
from app.engine.masked import masking_problem
from app.engine.problems import Collector
from app.extensions import db
from app.models.dictionary import Dictionary
from app.models.region import LEVELS, Region
from app.validators import ValidationError, message_text

_REGION = re.compile(r"\d{6}(\d{5})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _keys(definition: dict, kind: str, key: str) -> list:
    if kind == "field":
        group = key.rpartition(".")[0]
        if group:
            parent = next((f for _p, f, g, _i in fields_of(definition)
                           if g is None and f.get("key") == group), {})
            return [c.get("key") for c in parent.get("fields") or []]
        return [f.get("key") for _p, f, g, _i in fields_of(definition) if g is None]
    name = {"page": "pages", "material": "materials", "step": "approval"}[kind]
    return [x.get("key") for x in definition.get(name, [])]


def check_part(definition: dict, kind: str, key: str, part: dict) -> dict[str, list]:
    """Return the problems of ``part`` (kind page/field/material/step) by input name."""
    errors: dict[str, list] = {}
    if _keys(definition, kind, key).count(part.get("key")) > 1:
        errors["key"] = [_l('The key "%(key)s" is used twice; keys must be unique.',
                            key=part.get("key"))]
    visible = variables_for(definition, (kind, key))
    for name, source in expression_inputs(part, kind).items():
        report = check_expression(source, visible, definition=definition, part=(kind, key),
                                  setting=name)
        if report.error:
            errors[name] = [report.error]
    if kind == "step" and (refusal := role_refusal(part.get("role"))) is not None:
        errors["role"] = [refusal]  # lint's rule (app.engine.lint_approval)
    if kind == "field":
        for name, message in part_problems(definition, key, part).items():
            errors.setdefault(name, []).append(message)  # lint's (app.engine.lint_visibility)
        for name, message in field_settings_problems(definition, part).items():
            errors.setdefault(name, []).append(message)
        if messages := only_problems(definition, part):
            errors.setdefault("only", []).extend(messages)
    return errors


def only_problems(definition: dict, field: dict) -> list[str]:
    """Return lint's messages about the codes of ``only`` that the field's code table does not
    have in the item's region (a local code of another region is not one there)."""
    found = Collector("", {})
    check_only({"pages": [{"fields": [field]}]}, found,
               lambda table: dictionary_codes(table, definition.get("region")))
    return [problem.message for problem in found.problems]


def _number(value: Any):
    return Decimal(str(value)) if isinstance(value, (int, float)) and not isinstance(
        value, bool) else None


def _date(value: Any):
    if value == "today":
        return clock_today()
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _bounds(field: dict, errors: dict, low: str, high: str, read) -> None:
    a, b = field.get(low), field.get(high)
    for name, value in ((low, a), (high, b)):
        if value is not None and read(value) is None:
            errors[name] = _l("This is not a valid value here.")
    if a is not None and b is not None and read(a) is not None and read(b) is not None \
            and read(a) > read(b):
        errors[high] = _l("The maximum is below the minimum.")


def field_settings_problems(definition: dict, field: dict) -> dict[str, Any]:
    """Check a field's type-specific settings; return one message per setting."""
    ftype = field_type(field.get("type"))
    if ftype is None:
        return {"type": _l('Unknown field type "%(type)s".', type=field.get("type"))}
    errors: dict[str, Any] = {}
    for setting in sorted(ftype.required_settings - set(field)):
        if setting != "fields":
            errors[setting] = _l("This type needs this setting.")
    options = field.get("options")
    if "options" in ftype.settings and options is not None:
        values = [o.get("value") for o in options]
        if not values:
            errors["options"] = _l("Give at least one option.")
        elif len(set(values)) != len(values):
            errors["options"] = _l("Two options have the same value.")
    code = field.get("dictionary")
    if code and db.session.scalar(select(Dictionary.id).where(Dictionary.code == code)) is None:
        errors["dictionary"] = _l('Unknown code table "%(code)s".', code=code)
    within = field.get("within")
    if within is not None and not (isinstance(within, str) and _REGION.fullmatch(within)
                                   and db.session.get(Region, within) is not None):
        errors["within"] = _l('"%(code)s" is not a region code (6 or 11 digits of a known '
                              "region).", code=within)
    if field.get("level") is not None and field["level"] not in LEVELS:
        errors["level"] = _l("Choose a level.")
    if field.get("pattern") is not None:
        try:
            re.compile(field["pattern"])
        except (re.error, TypeError):
            errors["pattern"] = _l("This regular expression does not compile.")
    if field.get("parent") is not None:
        keys = {f.get("key") for _p, f, _g, _i in fields_of(definition)
                if f.get("type") == "dictionary" and f is not field}
        if field["parent"] not in keys:
            errors["parent"] = _l("Choose another code-table field of this item.")
    if (problem := masking_problem(field)) is not None:
        errors["masked"] = problem
    is_date = field.get("type") in ("date", "daterange")
    _bounds(field, errors, "min", "max", _date if is_date else _number)
    for low, high in (("min_selections", "max_selections"), ("min_items", "max_items")):
        _bounds(field, errors, low, high, lambda v: v if isinstance(v, int) and v >= 0 else None)
    if field.get("max_selections") and options is not None and field["max_selections"] > len(
            options):
        errors["max_selections"] = _l("There are fewer options than that.")
    for name in ("max_length", "levels"):
        if field.get(name) is not None and not (isinstance(field[name], int) and field[name] > 0):
            errors[name] = _l("Give a whole number greater than 0.")
    if field.get("default") is not None and ftype.has_answer and not errors:
        try:
            ftype.parse(field["default"], field, _context())
        except ValidationError as error:
            errors["default"] = message_text(error)
        except Exception:  # noqa: BLE001 - a type that cannot check without an application
            pass
    return errors


def _context():
    from app.commands.applications.context import engine_context

    return engine_context(None)
