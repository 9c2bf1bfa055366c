"""Refuse the list arguments and row ids FAB's model views would answer with a 500 or would
silently ignore (D2).

FAB reads ``psize_<view>`` and ``page_<view>`` with ``int()`` and pages with them as given
(``abc`` raised, a page past a 64-bit integer overflowed the database driver, a page of 1000
rows was drawn), applies ``_flt_<i>_<column>`` by index into the column's filters (an index past
them raised) and skips a filter on a column it does not search (the list then looked filtered
and was not), sorts by whatever column ``_oc_<view>`` names, and loads ``/show|edit|delete/<pk>``
with the text as sent (a number past the INTEGER column failed on PostgreSQL and SQLite alike).
Registered with ``before_request`` for every ModelView, FAB's own security views included: a page
size outside 1–100 (FAB's own choices are 25–100), a page past MAX_PAGE, a direction other than
asc/desc, a filter on a column the view does not search or past its filters, or an ordering
by a column the view does not order by is a 400; such an id is a 404 (no such row).
"""
from __future__ import annotations

import re

from flask import abort, current_app, request
from sqlalchemy import Integer

MAX_PAGE_SIZE = 100  # the largest page a list draws: FAB's page-size menu offers 25 to 100
MAX_PAGE = 10 ** 6
MAX_INTEGER_ID = 2 ** 31 - 1
_FILTER = re.compile(r"_flt_(\d)_(.*)")  # FAB's own pattern (flask_appbuilder.urltools)
_ORDER = re.compile(r"_oc_(.*)")  # FAB's own pattern, found anywhere in the argument's name


def _view_of(endpoint: str):
    blueprint = endpoint.rsplit(".", 1)[0]
    return next((view for view in current_app.appbuilder.baseviews
                 if getattr(view, "endpoint", None) == blueprint
                 and getattr(view, "datamodel", None) is not None), None)


def whole_number_within(value: str, low: int, high: int) -> bool:
    """Tell whether ``value`` is ASCII digits naming a number from ``low`` to ``high``
    (``str.isdigit`` alone also takes "²", which ``int`` refuses)."""
    return value.isascii() and value.isdigit() and low <= int(value) <= high


def _bad_number(value: str, low: int, high: int) -> bool:
    return not whole_number_within(value, low, high)


def _bad_filter(view, arg: str) -> bool:
    # FAB applies a filter of a searchable column by its index into _all_filters, and skips
    # one on any other column: both are refused, as is a name FAB's pattern cannot read.
    found = _FILTER.fullmatch(arg)
    searchable, applied = view._filters.get_search_filters(), view._filters._all_filters
    return (found is None or found[2] not in searchable
            or int(found[1]) >= len(applied.get(found[2], ())))


def _bad_order(view, arg: str, value: str) -> bool:
    name = _ORDER.search(arg)[1]
    ordered = next((v for v in current_app.appbuilder.baseviews
                    if type(v).__name__ == name and getattr(v, "datamodel", None) is not None),
                   None)
    return ordered is None or value not in (ordered.order_columns or ())


def _bad_list_args(view) -> bool:
    for arg in request.args:
        value = request.args.get(arg, "")
        if arg.startswith("psize_") and _bad_number(value, 1, MAX_PAGE_SIZE):
            return True
        if arg.startswith("page_") and _bad_number(value, 0, MAX_PAGE):
            return True
        if arg.startswith("_od_") and value not in ("asc", "desc"):
            return True
        if "_flt_" in arg and _bad_filter(view, arg):
            return True
        if "_oc_" in arg and _bad_order(view, arg, value):
            return True
    return False


def _integer_pk(view) -> bool:
    columns = view.datamodel.obj.__table__.primary_key.columns
    return len(columns) == 1 and isinstance(next(iter(columns)).type, Integer)


def guard_list_args():
    """``before_request``: 400 for list arguments FAB cannot read, 404 for impossible ids."""
    view = _view_of(request.endpoint or "")
    if view is None:
        return None
    pk = (request.view_args or {}).get("pk")
    if pk is not None and _integer_pk(view) and _bad_number(str(pk), 0, MAX_INTEGER_ID):
        abort(404)
    if _bad_list_args(view):
        abort(400)
    return None
