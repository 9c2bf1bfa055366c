"""An application's version in HTTP headers: ``ETag`` on reads, ``If-Match`` on saves (E2).

The tag is the application's ``lock_version`` in double quotes (``"6"``), the number the body's
``version`` gives too; a save that names another version, in either place, is the stale save
that answers 409 and changes nothing.
"""
from __future__ import annotations

from typing import Optional

from flask import request
from flask_babel import lazy_gettext as _l

from app.commands.applications.errors import ApplicationError, StaleApplicationError
from app.models.application import Application


class IfMatchInvalidError(ApplicationError):
    """``If-Match`` is not one application version (400)."""

    status_code = 400
    default_message = _l("If-Match gives the application's version as its ETag reads: one "
                         "whole number, in double quotes or bare (If-Match: \"6\").")


def with_etag(response, application: Application):
    """Return ``response`` with the application's version as its ``ETag``."""
    response.headers["ETag"] = f'"{application.lock_version}"'
    return response


def stated_version() -> Optional[int]:
    """Return the version ``If-Match`` names (``"6"``, ``W/"6"`` or ``6``); None without the
    header or for ``*`` (any version).

    :raises IfMatchInvalidError: the header names no version, or several.
    """
    value = request.headers.get("If-Match")
    if value is None or value.strip() == "*":
        return None
    tag = value.strip()
    tag = tag[2:] if tag.startswith("W/") else tag
    if len(tag) >= 2 and tag[0] == tag[-1] == '"':
        tag = tag[1:-1]
    if not (tag.isascii() and tag.isdigit() and len(tag) <= 9):
        raise IfMatchInvalidError()
    return int(tag)


def expected_version(body_version: Optional[int]) -> Optional[int]:
    """Return the version a save must find: the body's ``version`` and/or ``If-Match``.

    :raises StaleApplicationError: the two name different versions (one of them is stale).
    """
    header = stated_version()
    if header is not None and body_version is not None and header != body_version:
        raise StaleApplicationError()
    return body_version if body_version is not None else header
