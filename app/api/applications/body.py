"""The JSON bodies of /api/v1/applications/ (and the reviews' decisions, and definitions)."""
from __future__ import annotations

from app.api.base import json_object

#: A JSON body (answers, a drawn signature included) is far below this; only files are larger.
JSON_MAX_BYTES = 2 * 1024 * 1024


def read_json() -> dict:
    """Return the request's JSON object body (app.api.base.json_object), at most 2 MB."""
    return json_object(JSON_MAX_BYTES)
