"""FAB list and show pages without the word "None": an empty value reads "—" or its meaning.

FAB's list and show templates print ``formatter(value)``, or the value itself when the column
has no formatter, so an empty relation or column (a province's parent, an administrator's
region) came out as the literal "None" in every language. Here every listed and shown column
gets a formatter that keeps the view's own one and then turns an empty result (None, "", an
empty list) into ``empty_texts[column]`` — a word where emptiness means something (an account
without a region belongs to the whole country) — or "—".
"""
from __future__ import annotations

from typing import Any, Callable, Optional

EMPTY = "—"


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, tuple)) and len(value) == 0)


def or_empty(formatter: Optional[Callable[[Any], Any]], empty: Any) -> Callable[[Any], Any]:
    """Return a formatter giving ``formatter(value)`` (or the value), ``empty`` when that is empty."""
    def show(value):
        shown = formatter(value) if formatter is not None else value
        return empty if _is_empty(shown) or str(shown) == "" else shown

    return show


class EmptyValuesMixin:
    """Mix into a FAB ModelView (before it) to show empty values as words, not "None"."""

    #: column → what an empty value means there (lazy text); the others read "—".
    empty_texts: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        columns = [*self.list_columns, *self.show_columns]
        for fieldsets in (getattr(self, "show_fieldsets", None) or [],):
            for _title, spec in fieldsets:
                columns += list(spec.get("fields", ()))
        own = dict(self.formatters_columns or {})
        self.formatters_columns = {
            **own, **{column: or_empty(own.get(column), self.empty_texts.get(column, EMPTY))
                      for column in dict.fromkeys(columns)}}
