"""Request bodies nested too deeply for the parser are bad JSON (400), not a server error.

``json.loads`` of 100,000 ``[`` raises ``RecursionError``, which Werkzeug's ``get_json`` does not
catch (it catches ``ValueError``): every JSON endpoint, FAB's token login included, answered 500
before this provider turns it into the ``ValueError`` of any other malformed body.

``NaN``, ``Infinity`` and numbers past a double (``1e400``) are no JSON either (RFC 8259), yet
Python's parser takes them: an answer stored so made the application's own JSON unreadable to
its client. They are malformed bodies too.

Every JSON reply says ``application/json; charset=utf-8``: FAB's API replies set it, and so does
``jsonify`` here (the request guard's 400s, the error handlers' 401, 404, 405, 413, 429).
"""
from __future__ import annotations

import math
from typing import Any

from flask.json.provider import DefaultJSONProvider


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e400: no IEEE double holds it
        raise ValueError(f"{text} is too large a number")
    return number


class BanshiJSONProvider(DefaultJSONProvider):
    mimetype = "application/json; charset=utf-8"

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        kwargs.setdefault("parse_constant", _no_constant)
        kwargs.setdefault("parse_float", _finite)
        try:
            return super().loads(s, **kwargs)
        except RecursionError as error:
            raise ValueError("JSON nested too deeply") from error
