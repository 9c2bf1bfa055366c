"""How large a definition may be: pages, fields, options, materials and steps.

A definition of 15,000 fields (788 KB, under the 2 MB upload limit) took 42 s to import and made
a 38 MB item page. Each limit is a setting (``config.py``, the environment) with a default far
above any real item (the largest shipped one has 25 fields). Lint checks them on the file as
written, before anything else, at the line of the first part past a limit, and a variant's also
once merged onto its parent (at the variant's line of that part, else its ``derives``); reading
a definition stops at the first entry past one (:func:`reading_limits`), so a huge file is
refused before it is parsed to the end. The rows of a repeating group that names no
``max_items`` are limited the same way (:func:`max_items`), when answers are checked.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from app.engine.problems import Collector

DEFAULTS = {"FORMDEF_MAX_PAGES": 30, "FORMDEF_MAX_FIELDS": 300,
            "FORMDEF_MAX_FIELDS_PER_PAGE": 100, "FORMDEF_MAX_OPTIONS": 200,
            "FORMDEF_MAX_MATERIALS": 30, "FORMDEF_MAX_STEPS": 20,
            "FORMDEF_DEFAULT_MAX_ITEMS": 100}


def limit(name: str) -> int:
    """Return the setting ``name`` (a positive whole number), else its default."""
    value = current_app.config.get(name) if has_app_context() else None
    try:
        return max(1, int(value)) if value is not None else DEFAULTS[name]
    except (TypeError, ValueError):
        return DEFAULTS[name]


def max_items(field: Any) -> int:
    """Return how many rows a repeating group may keep: its ``max_items``, else the setting
    ``FORMDEF_DEFAULT_MAX_ITEMS``.

    A group without ``max_items`` was bounded only by the 2 MB answers body (thousands of rows,
    each checked on every save and run through its list conditions); a definition may still
    leave it out.
    """
    own = field.get("max_items") if isinstance(field, Mapping) else None
    if isinstance(own, int) and not isinstance(own, bool) and own > 0:
        return own
    return limit("FORMDEF_DEFAULT_MAX_ITEMS")


def reading_limits() -> dict:
    """Return the limits for :func:`app.yamlio.load_with_lines`, by the key of the list."""
    def one(name, total=None):
        return (limit(name), limit(total) if total else None, name, total)
    return {"pages": one("FORMDEF_MAX_PAGES"),
            "fields": one("FORMDEF_MAX_FIELDS_PER_PAGE", "FORMDEF_MAX_FIELDS"),
            "options": one("FORMDEF_MAX_OPTIONS"), "materials": one("FORMDEF_MAX_MATERIALS"),
            "approval": one("FORMDEF_MAX_STEPS")}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def check_limits(tree: Any, c: Collector, parent: Optional[str] = None) -> None:
    """Report (as blocking) each limit the file goes past, at the first part past it.

    With ``parent`` (``code@region``), ``tree`` is a variant merged onto that parent: a variant
    within the limits may add enough to take the item past them.
    """
    def over(path: tuple, message, name: str, count: int) -> None:
        if parent is not None:
            c.block(path, _l("%(message)s once merged onto %(parent)s: %(count)s, at most "
                             "%(limit)s (setting %(setting)s)", message=message, parent=parent,
                             count=count, limit=limit(name), setting=name))
            return
        c.block(path, _l("%(message)s: %(count)s, at most %(limit)s (setting %(setting)s)",
                         message=message, count=count, limit=limit(name), setting=name))

    tree = _dict(tree)
    pages = _list(tree.get("pages"))
    if len(pages) > limit("FORMDEF_MAX_PAGES"):
        over(("pages", limit("FORMDEF_MAX_PAGES")), _l("too many pages"), "FORMDEF_MAX_PAGES",
             len(pages))
    total, first_past = 0, None
    for p, page in enumerate(pages):
        fields, on_page = _list(_dict(page).get("fields")), 0
        for f, field in enumerate(fields):
            children = _list(_dict(field).get("fields"))
            for path, one in [(("pages", p, "fields", f), field)] + [
                    (("pages", p, "fields", f, "fields", n), child)
                    for n, child in enumerate(children)]:
                total, on_page = total + 1, on_page + 1
                if total == limit("FORMDEF_MAX_FIELDS") + 1:
                    first_past = path
                options = _list(_dict(one).get("options"))
                if len(options) > limit("FORMDEF_MAX_OPTIONS"):
                    over(path + ("options", limit("FORMDEF_MAX_OPTIONS")),
                         _l('too many options in "%(key)s"', key=_dict(one).get("key")),
                         "FORMDEF_MAX_OPTIONS", len(options))
        if on_page > limit("FORMDEF_MAX_FIELDS_PER_PAGE"):
            over(("pages", p, "fields"), _l('too many fields on page "%(key)s"',
                                            key=_dict(page).get("key")),
                 "FORMDEF_MAX_FIELDS_PER_PAGE", on_page)
    if first_past is not None:
        over(first_past, _l("too many fields in the item"), "FORMDEF_MAX_FIELDS", total)
    for key, name, message in (("materials", "FORMDEF_MAX_MATERIALS", _l("too many materials")),
                               ("approval", "FORMDEF_MAX_STEPS", _l("too many steps"))):
        parts = _list(tree.get(key))
        if len(parts) > limit(name):
            over((key, limit(name)), message, name, len(parts))
