"""marshmallow's own messages ("Missing data for required field.", "Must be one of: …") in the
request's language.

marshmallow words its field and validator messages in English and formats them when it raises,
so they cannot be lazy strings. :func:`translate_messages` recognises each of them, values
included, and rewrites it from banshi's catalog; any other text (banshi's own messages, already
translated) passes unchanged, so translating twice changes nothing. The API's base schema
(app.api.base.ApiSchema) applies it to every error it raises, and the API's error replies
apply it again to what other schemas raise.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from flask_babel import lazy_gettext as _l

REQUIRED = _l("This field is required.")

#: (marshmallow's English template, banshi's message). ``{name}`` in a template matches any
#: text, which the message repeats as ``%(name)s``. Templates marshmallow builds from parts
#: (Range: "Must be {min_op} {{min}}.") are listed once per combination of the parts.
TEMPLATES: tuple[tuple[str, Any], ...] = (
    # Every field, and the schema itself.
    ("Missing data for required field.", REQUIRED),
    ("Field may not be null.", _l("This field may not be null.")),
    ("Invalid value.", _l("This value is not valid.")),
    ("Unknown field.", _l("This field is not accepted here.")),
    ("Invalid input type.", _l("Send an object ({…}) here.")),
    ("Invalid type.", _l("Send an object ({…}) here.")),
    # Field types.
    ("Not a valid string.", _l("Send text here.")),
    ("Not a valid utf-8 string.", _l("This text is not valid UTF-8.")),
    ("Not a valid integer.", _l("Send a whole number here.")),
    ("Not a valid number.", _l("Send a number here.")),
    ("Number too large.", _l("This number is too large.")),
    ("Special numeric values (nan or infinity) are not permitted.",
     _l("Send a finite number here.")),
    ("Not a valid boolean.", _l("Send true or false here.")),
    ("Not a valid date.", _l("Send a date as YYYY-MM-DD here.")),
    ("Not a valid datetime.", _l("Send a date and time in ISO 8601 here.")),
    ("Not a valid time.", _l("Send a time as HH:MM here.")),
    ("Not a valid {awareness} datetime.", _l("Send a date and time in ISO 8601 here.")),
    ("Not a valid mapping type.", _l("Send an object ({…}) here.")),
    ("Not a valid list.", _l("Send a list ([…]) here.")),
    ("Not a valid tuple.", _l("Send a list ([…]) here.")),
    ("Not a valid email address.", _l("This is not a valid email address.")),
    ("Not a valid URL.", _l("This is not a valid URL.")),
    ("Not a valid UUID.", _l("This is not a valid UUID.")),
    ("Not a valid period of time.", _l("This is not a valid period of time.")),
    # Validators.
    ("Must be one of: {choices}.", _l("Choose one of: %(choices)s.")),
    ("One or more of the choices you made was not in: {choices}.",
     _l("Choose only from: %(choices)s.")),
    ("One or more of the choices you made was in: {values}.",
     _l("Do not choose any of: %(values)s.")),
    ("Must be equal to {other}.", _l("This must be %(other)s.")),
    ("Invalid input.", _l("This value is not allowed.")),
    ("String does not match expected pattern.", _l("This is not in the expected format.")),
    ("Shorter than minimum length {min}.", _l("Too short: at least %(min)s.")),
    ("Longer than maximum length {max}.", _l("Too long: at most %(max)s.")),
    ("Length must be between {min} and {max}.",
     _l("The length must be from %(min)s to %(max)s.")),
    ("Length must be {equal}.", _l("The length must be %(equal)s.")),
    ("Must be greater than or equal to {min}.", _l("Must be at least %(min)s.")),
    ("Must be greater than {min}.", _l("Must be more than %(min)s.")),
    ("Must be less than or equal to {max}.", _l("Must be at most %(max)s.")),
    ("Must be less than {max}.", _l("Must be less than %(max)s.")),
    ("Must be greater than or equal to {min} and less than or equal to {max}.",
     _l("Must be from %(min)s to %(max)s.")),
    ("Must be greater than {min} and less than or equal to {max}.",
     _l("Must be more than %(min)s and at most %(max)s.")),
    ("Must be greater than or equal to {min} and less than {max}.",
     _l("Must be at least %(min)s and less than %(max)s.")),
    ("Must be greater than {min} and less than {max}.",
     _l("Must be more than %(min)s and less than %(max)s.")),
)


def _pattern(template: str) -> re.Pattern:
    escaped = re.escape(template)
    return re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.*)", escaped), re.DOTALL)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern, Any], ...]:
    # Longest first: "Must be greater than or equal to {min}." would also match the text of
    # "… {min} and less than or equal to {max}.", taking "1 and less than …" as the minimum.
    ordered = sorted(TEMPLATES, key=lambda entry: len(entry[0]), reverse=True)
    return tuple((_pattern(template), message) for template, message in ordered)


def translate_message(text: Any) -> Any:
    """Return one of marshmallow's messages in the request's language; anything else as is."""
    if not isinstance(text, str):
        return text
    for pattern, message in _compiled():
        match = pattern.fullmatch(text)
        if match is not None:
            return str(message) % match.groupdict() if match.groupdict() else str(message)
    return text


def translate_messages(messages: Any) -> Any:
    """Return marshmallow's error messages (a dict, a list or a text, nested) translated."""
    if isinstance(messages, dict):
        return {key: translate_messages(value) for key, value in messages.items()}
    if isinstance(messages, (list, tuple)):
        return [translate_messages(value) for value in messages]
    return translate_message(messages)
