"""Request bodies nested too deeply for the parser are bad JSON (400), not a server error.

``json.loads`` of 100,000 ``[`` raises ``RecursionError``, which Werkzeug's ``get_json`` does not
catch (it catches ``ValueError``): every JSON endpoint, FAB's token login included, answered 500
before this provider turns it into the ``ValueError`` of any other malformed body.
"""
from __future__ import annotations

from typing import Any

from flask.json.provider import DefaultJSONProvider


class BanshiJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError as error:
            raise ValueError("JSON nested too deeply") from error
