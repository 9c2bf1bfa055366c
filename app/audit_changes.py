"""What a save changed, for its history event: ``{setting: {"from": old, "to": new}}``.

Read from SQLAlchemy's attribute history before the flush (the callers' ``pre_update`` hooks
run with autoflush off), so only settings whose value differs are named. A personal value is
masked before it is recorded: the audit log is no copy of personal data.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

from sqlalchemy import inspect


def _scalar(history) -> tuple[Any, Any]:
    new = history.added[0] if history.added else (
        history.unchanged[0] if history.unchanged else None)
    old = history.deleted[0] if history.deleted else new
    return old, new


def _collection(history, value: Callable[[Any], Any]) -> tuple[list, list]:
    kept = [value(item) for item in history.unchanged or ()]
    old = sorted(kept + [value(item) for item in history.deleted or ()])
    new = sorted(kept + [value(item) for item in history.added or ()])
    return old, new


def changes(item: Any, settings: Mapping[str, str],
            masks: Optional[Mapping[str, Callable[[Any], Any]]] = None,
            collections: Optional[Mapping[str, Callable[[Any], Any]]] = None) -> dict:
    """Return the settings of ``item`` whose value this save changes, old and new.

    :param settings: ``{detail key: attribute}`` of plain columns.
    :param masks: ``{detail key: mask}`` applied to both values (names, mobiles).
    :param collections: ``{attribute: what to record of each member}`` (roles by name); the
        detail key is the attribute's name.
    """
    state, masks, found = inspect(item), masks or {}, {}
    for key, attribute in settings.items():
        old, new = _scalar(state.attrs[attribute].history)
        if old != new:
            mask = masks.get(key, lambda value: value)
            found[key] = {"from": None if old is None else mask(old),
                          "to": None if new is None else mask(new)}
    for attribute, value in (collections or {}).items():
        old, new = _collection(state.attrs[attribute].history, value)
        if old != new:
            found[attribute] = {"from": old, "to": new}
    return found


def snapshot(item: Any, settings: Mapping[str, str],
             masks: Optional[Mapping[str, Callable[[Any], Any]]] = None) -> dict:
    """Return the settings of ``item`` as they are (for an event that adds or deletes it)."""
    masks = masks or {}
    return {key: masks.get(key, lambda value: value)(getattr(item, attribute))
            if getattr(item, attribute) is not None else None
            for key, attribute in settings.items()}
