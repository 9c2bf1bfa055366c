"""Lint of ``summary``: the questions an item shows on its list rows (我要查, the review queue).

Each key names a question of the item, outside a repeating group, whose answer reads as one short
value: not a repeat, a signature, a table (enrollment records) or a text with no answer, and not
a material (a material's files are no answer to show in a row).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.engine.problems import Collector
from app.engine.lint_rules import fields_of

#: Types whose answer is no short value for a list row.
NOT_SUMMARY = frozenset({"repeat", "signature"})


def _registry():
    from app.engine.fields import REGISTRY  # the other half of the engine

    return REGISTRY


def check_summary(definition: dict, c: Collector) -> None:
    """Report every ``summary`` entry that names no question fit for a list row."""
    keys = definition.get("summary")
    if not isinstance(keys, list):
        return
    top, nested = {}, {}
    for _path, field, group, _page in fields_of(definition):
        (nested if group is not None else top).setdefault(field.get("key"), field)
    materials = {m.get("key") for m in definition.get("materials") or () if isinstance(m, dict)}
    registry = _registry()
    for index, key in enumerate(keys):
        path = ("summary", index)
        field = top.get(key)
        if field is None:
            if key in nested:
                message = _l('summary: "%(key)s" is inside a repeating group; name a question '
                             "outside one", key=key)
            elif key in materials:
                message = _l('summary: "%(key)s" is a material; name a question', key=key)
            else:
                message = _l('summary: unknown field "%(key)s"', key=key)
            c.add(path, message)
            continue
        ftype = registry.get(field.get("type"))
        if ftype is None:
            continue  # the unknown type is reported at the field
        if field.get("type") in NOT_SUMMARY or not ftype.has_answer or ftype.table is not None:
            c.add(path, _l('summary: "%(key)s" is a %(type)s question, which has no short '
                           "value for a list row", key=key, type=field.get("type")))
