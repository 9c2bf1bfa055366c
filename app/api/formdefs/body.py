"""Read the body of ``POST /api/v1/formdefs/``: one definition as YAML or JSON, as lint's text.

Problems are told at the body's own lines, as ``<body>:LINE: …``. JSON is read as YAML (JSON is
YAML), so lines are the body's; tabs between tokens, which JSON allows and YAML does not, become
spaces first. A JSON body that YAML would read differently (``\\u`` escapes of characters beyond
U+FFFF, numbers written with an exponent) is checked as its re-indented form instead (two spaces,
one key a line) and its lines are those of that form.
"""
from __future__ import annotations

import json
from typing import Optional

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge

from app.api.applications.body import JSON_MAX_BYTES
from app.commands.formdef_errors import DefinitionInvalidError
from app.engine.limits import reading_limits
from app.engine.lint import Problem
from app.yamlio import MAX_DEPTH, load_with_lines

BODY = "<body>"
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml")
JSON_TYPE = "application/json"
MAX_BYTES = JSON_MAX_BYTES  # a definition is a JSON body like any other (2 MB)


class BodyTooLarge(Exception):
    """The body exceeds :data:`MAX_BYTES` (413)."""


class UnsupportedBody(Exception):
    """The body is neither YAML nor JSON (415)."""


class BadRevisionHeader(Exception):
    """``If-Match`` is not a draft's revision (400)."""


def stated_revision() -> Optional[int]:
    """Return the draft's revision ``If-Match`` names (``3`` or the ETag ``"3"``), else None.

    :raises BadRevisionHeader: the header is there but is not a whole number of up to 9 digits.
    """
    value = request.headers.get("If-Match")
    if value is None:
        return None
    tag = value.strip()
    if len(tag) >= 2 and tag[0] == tag[-1] == '"':
        tag = tag[1:-1]
    if not (tag.isascii() and tag.isdigit() and len(tag) <= 9):
        raise BadRevisionHeader(value)
    return int(tag)


def _line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def definition_text() -> str:
    """Return the request's definition as text for lint.

    :raises UnsupportedBody: the Content-Type is not a YAML or the JSON type.
    :raises BodyTooLarge: the body is larger than :data:`MAX_BYTES`.
    :raises DefinitionInvalidError: not UTF-8, or not valid JSON (at its line).
    """
    kind = request.mimetype
    if kind not in YAML_TYPES and kind != JSON_TYPE:
        raise UnsupportedBody(kind)
    request.max_content_length = MAX_BYTES  # before the body is read: 413 past it
    try:
        data = request.get_data(cache=False)
    except RequestEntityTooLarge as error:
        raise BodyTooLarge() from error
    if len(data) > MAX_BYTES:
        raise BodyTooLarge()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DefinitionInvalidError([Problem(BODY, _line(data, error.start), str(
            _l("The body must be UTF-8 text.")))]) from error
    return _json_as_yaml(text) if kind == JSON_TYPE else text


def _json_as_yaml(text: str) -> str:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise DefinitionInvalidError([Problem(BODY, error.lineno, str(_l(
            "not valid JSON: %(problem)s (column %(column)s)", problem=error.msg,
            column=error.colno)))]) from error
    except RecursionError as error:  # far deeper than YAML is read: refused as it would be
        raise DefinitionInvalidError([Problem(BODY, 1, str(_l(
            "nested more than %(depth)s levels deep", depth=MAX_DEPTH)))]) from error
    spaced = text.replace("\t", " ")  # valid JSON has no raw tab inside a string
    try:
        same = load_with_lines(spaced, reading_limits()) == value
    except Exception:  # noqa: BLE001 - YAML refuses it: check the re-indented form
        same = False
    return spaced if same else json.dumps(value, ensure_ascii=False, indent=2)


def version_numbers(values) -> Optional[frozenset[int]]:
    """Return the version numbers of ``?supersede=`` (repeated or comma-separated); None when
    one is not a whole number."""
    numbers = [part.strip() for value in values for part in value.split(",") if part.strip()]
    if not all(part.isascii() and part.isdigit() and len(part) <= 9 for part in numbers):
        return None
    return frozenset(int(part) for part in numbers)
