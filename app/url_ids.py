"""Route ids within the range of the id columns: a larger number matches no route (404).

Every ``<int:…>`` in banshi's routes is a row id, and every id column is an INTEGER (int4 on
PostgreSQL). Werkzeug's converter took any run of digits, so a number past the column (2^31 on
PostgreSQL, 2^63 on SQLite) reached the driver and failed there with a 500. The bound is in the
converter's pattern, not only in ``to_python``: Werkzeug checks a rule's methods before its
converters, so a rule of another method whose converter refused the number would have made the
answer 405. FAB's model views' ``<pk>`` is text, bounded by the same limit in
:mod:`app.views.admin.list_guard`.
"""
from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from app.views.admin.list_guard import MAX_INTEGER_ID


def digits_up_to(bound: int) -> str:
    """Return a regular expression (no groups) for the ASCII numbers from 0 to ``bound``."""
    text = str(bound)
    choices = [rf"[0-9]{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for position, digit in enumerate(text):
        if digit != "0":
            rest = len(text) - position - 1
            tail = rf"[0-9]{{{rest}}}" if rest else ""
            choices.append(f"{text[:position]}[0-{int(digit) - 1}]{tail}")
    choices.append(text)
    return "(?:" + "|".join(choices) + ")"


class IdConverter(IntegerConverter):
    """``<int:…>`` matching 0 … MAX_INTEGER_ID; a route may still narrow it with ``max``."""

    regex = digits_up_to(MAX_INTEGER_ID)


def register(app: Flask) -> None:
    """Bound ``int`` in ``app``'s routes; call before any route or blueprint is added."""
    app.url_map.converters["int"] = IdConverter
