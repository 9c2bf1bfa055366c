"""The other person's version of a part, as the 409 of a two-tab save shows it: by label.

Each setting is named by the label of its input on the part's form (the same words the person
just edited under); a nested setting (``notice.title``, ``outcomes.approved``) gets a row of its
own. The item's keys that have no input on the settings form (its format version, code and
region) are labelled here; anything else is shown under its key.
"""
from __future__ import annotations

from typing import Any, Iterable

from flask_babel import lazy_gettext as _l

from app.commands.item_edit import find
from app.models.region import with_code
from app.region_tree import region_tree

#: Item keys shown in a conflict that the settings form does not edit.
FIXED_LABELS = {"schema": _l("Definition format version"), "code": _l("Item code"),
                "region": _l("Region"), "derives": _l("Derived from"),
                "effective_from": _l("Effective from"), "hidden": _l("Hidden"),
                "after": _l("Placed after")}
HEAD, TAIL = ("schema", "code", "region", "derives"), ("effective_from", "hidden", "after")
SKIPPED = ("fields",)  # a repeating group's own fields are parts of their own


def their_part(definition: dict, kind: str, key: str | None) -> Any:
    """Return the part as the saved draft has it (the item: its own settings), or None."""
    if kind == "item":
        return {k: v for k, v in definition.items()
                if k not in ("pages", "materials", "approval")}
    found = find(definition, kind, key)
    return found[0][found[1]] if found is not None else None


def labelled_version(part: Any, inputs: Iterable) -> list[tuple[str, Any]] | None:
    """Return the part's settings as ``(label, value)`` rows in form order, or None when the
    part is gone (they deleted it)."""
    if part is None:
        return None
    inputs = list(inputs)
    labels = {**FIXED_LABELS, **{i.key: i.label for i in inputs}}
    order = [*HEAD, *(i.key for i in inputs), *TAIL]
    rows = []
    for key, value in part.items():
        if key in SKIPPED:
            continue
        nested = isinstance(value, dict) and any(f"{key}.{sub}" in labels for sub in value)
        if nested:
            rows += [(f"{key}.{sub}", inner) for sub, inner in value.items()]
        else:
            rows.append((key, value))

    def place(row):
        return order.index(row[0]) if row[0] in order else len(order)

    return [(str(labels.get(key, key)), _region(value) if key == "region" else value)
            for key, value in sorted(rows, key=place)]


def _region(code: Any) -> Any:
    node = region_tree().get(code) if isinstance(code, str) else None
    return with_code(node.name_for(), code) if node is not None else code
