"""The marshmallow field classes of the definition schema: strict types, translated messages.

YAML is generous (``yes`` is a bool, ``1`` an int, ``2026-01-01`` a date), so every class here
accepts exactly one kind of value and says which it wanted. Messages are lazy and English; the
two markers (:data:`UNKNOWN`, :data:`REQUIRED`) are turned into sentences naming the key by
:mod:`app.engine.problems`, which knows the key.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields


class Marker:
    """A message that needs the key it is about (the key is the error's place, not its text)."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


class UnknownKey(Marker):
    """The unknown-key marker of one mapping, with the keys it takes (for a "did you mean")."""

    def __init__(self, allowed=()):
        super().__init__("unknown key")
        self.allowed = tuple(sorted(allowed))


UNKNOWN, REQUIRED = UnknownKey(), Marker("required")
#: Words a field key cannot be: CEL keywords and the variables every expression sees.
RESERVED = frozenset({
    "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function",
    "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while",
    "filer", "person", "region", "today",
})
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def invalid(message) -> ValidationError:
    """Return the error for one (lazy) message; a bare lazy string would be split into letters."""
    return ValidationError([message])


class _Field(fields.Field):
    default_error_messages = {"required": REQUIRED, "null": _l("must not be empty"),
                              "validator_failed": _l("is not valid")}


class Str(_Field):
    """Non-empty text; ``digits=True`` also takes a YAML integer (an unquoted region code)."""

    def __init__(self, *, digits: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.digits = digits

    def _deserialize(self, value, attr, data, **kwargs):
        if self.digits and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise invalid(_l("must be text"))
        if not value.strip():
            raise invalid(_l("must not be empty"))
        return value


class Key(Str):
    """A key: letters, digits and ``_``; a field key must also be a free CEL variable name."""

    def __init__(self, *, field: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.field = field

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if not _KEY.fullmatch(value):
            raise invalid(_l('"%(value)s" is not a valid key: use letters, digits and _, '
                                     "not starting with a digit", value=value))
        if self.field and value in RESERVED:
            raise invalid(_l('"%(value)s" is reserved in expressions; choose another key',
                                     value=value))
        return value


class Text(_Field):
    """A plain string (Chinese) or ``{zh, en}``; normalised to ``{"zh": …, "en": … or None}``."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            if not value.strip():
                raise invalid(_l("must not be empty"))
            return {"zh": value, "en": None}
        if not isinstance(value, dict):
            raise invalid(_l("must be text: a string or {zh: …, en: …}"))
        errors: dict[str, Any] = {key: [UnknownKey(("zh", "en"))] for key in value
                                  if key not in ("zh", "en")}
        zh, en = value.get("zh"), value.get("en")
        if not isinstance(zh, str) or not zh.strip():
            errors["zh"] = [REQUIRED if "zh" not in value else _l("must be non-empty text")]
        if en is not None and not isinstance(en, str):
            errors["en"] = [_l("must be text")]
        if errors:
            raise ValidationError(errors)
        return {"zh": zh, "en": en if en and en.strip() else None}


class Bool(_Field):
    """``true`` or ``false`` only (``or_text``: also text, as a pledge's wording)."""

    def __init__(self, *, or_text: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.or_text = or_text

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            return value
        if self.or_text and isinstance(value, (str, dict)):
            return Text()._deserialize(value, attr, data)
        if self.or_text:
            raise invalid(_l("must be true, false or text"))
        raise invalid(_l("must be true or false"))


class Condition(_Field):
    """A CEL expression (compiled by lint), or the literal ``true``/``false``."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            return value
        if not isinstance(value, str) or not value.strip():
            raise invalid(_l("must be an expression (text) or true/false"))
        return value


class Int(_Field):
    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int):
            raise invalid(_l("must be a whole number"))
        return value


class Number(_Field):
    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise invalid(_l("must be a number"))
        return value


class Date(_Field):
    """A date written ``2026-01-01`` (YAML reads it as a date) or as quoted text."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str) and _DATE.fullmatch(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise invalid(_l("must be a date written YYYY-MM-DD"))


class OneOf(_Field):
    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = tuple(choices)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or value not in self.choices:
            raise invalid(_l('"%(value)s" is not one of: %(choices)s',
                                     value=value, choices=", ".join(self.choices)))
        return value


class Raw(_Field):
    """Any YAML value (a default answer); checked against the field's type by lint."""


class List(fields.List):
    default_error_messages = {"invalid": _l("must be a list"), "required": REQUIRED,
                              "null": _l("must not be empty")}


class Options(_Field):
    """Options: bare values or ``{value, label}``; normalised to ``[{"value", "label"}]``."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list):
            raise invalid(_l("must be a list"))
        result, errors = [], {}
        for index, item in enumerate(value):
            try:
                result.append(self._option(item))
            except ValidationError as error:
                errors[index] = error.messages
        if errors:
            raise ValidationError(errors, valid_data=result)
        return result

    def _option(self, item) -> dict:
        if not isinstance(item, dict):
            value = self._value(item)
            return {"value": value, "label": {"zh": value, "en": None}}
        errors: dict[str, Any] = {key: [UnknownKey(("value", "label"))] for key in item
                                  if key not in ("value", "label")}
        value = label = None
        try:
            value = self._value(item["value"]) if "value" in item else None
            if value is None:
                errors["value"] = [REQUIRED]
        except ValidationError as error:
            errors["value"] = error.messages
        try:
            label = Text()._deserialize(item["label"], "label", item) if "label" in item else None
        except ValidationError as error:
            errors["label"] = error.messages
        if errors:
            raise ValidationError(errors)
        return {"value": value, "label": label or {"zh": value, "en": None}}

    @staticmethod
    def _value(value) -> str:
        if isinstance(value, bool):
            raise invalid(_l("an option value of yes/no/true/false must be quoted"))
        if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip()):
            return str(value)
        raise invalid(_l("an option must be a value or {value: …, label: …}"))

