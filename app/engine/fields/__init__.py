"""The field-type registry: one table entry per type keyword of a definition (CONTRACT.md §3).

    ftype = get_type(field["type"])          # UnknownFieldType names it and lists the valid ones
    ftype.parse(raw, field, ctx)             # canonical JSON answer, or ValidationError
    ftype.form_field(field, ctx)             # unbound WTForms field (labels in ctx.locale)
    ftype.json_schema(field, ctx)            # JSON-Schema fragment for API clients
    ftype.cel_spec(field)                    # what bind_answers converts the answer with

``field`` is a field of the normalised definition (docs/engine.md). Each type keeps its own
``settings`` (keys beyond :data:`COMMON_SETTINGS`) and ``required_settings``.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from app.engine.fields import (choice, dates, identity, numeric, person, region, repeat, special,
                               text)
from app.engine.fields.base import (
    COMMON_SETTINGS, IGNORED_INPUT, REQUIRED, DictEntry, EngineContext, FieldType, RowErrors,
    UnknownFieldType, is_blank, level_by_shape,
)

__all__ = [
    "COMMON_SETTINGS", "IGNORED_INPUT", "REGISTRY", "REQUIRED", "DictEntry", "EngineContext",
    "FieldType", "RowErrors", "UnknownFieldType", "cel_kinds", "get_type", "is_blank",
    "level_by_shape",
]

_MODULES = (text, numeric, choice, dates, identity, region, special, repeat, person)
_ORDER = ("text", "textarea", "number", "money", "date", "daterange", "select", "radio",
          "checkboxes", "yesno", "dictionary", "region", "id_card", "mobile", "postcode",
          "bank_account", "uscc", "email", "acknowledge", "signature", "repeat", "display",
          "enrollments")


def _table() -> dict[str, FieldType]:
    entries = {ftype.name: ftype for module in _MODULES for ftype in module.TYPES}
    return {name: entries.pop(name) for name in _ORDER if name in entries} | entries


#: Type keyword → :class:`FieldType`, in CONTRACT.md §3's order. Read-only.
REGISTRY: Mapping[str, FieldType] = MappingProxyType(_table())


def get_type(name: Any) -> FieldType:
    """Return the registry entry for ``name``; raise UnknownFieldType listing the valid ones."""
    try:
        return REGISTRY[name]
    except (KeyError, TypeError):
        raise UnknownFieldType(name, REGISTRY) from None


def cel_kinds(fields: Iterable[Mapping]) -> dict[str, Any]:
    """Return ``{key: kind or (kind, item_kind)}`` for the fields that take an answer."""
    kinds = {}
    for field in fields:
        ftype = get_type(field["type"])
        if ftype.has_answer:
            kinds[field["key"]] = ftype.cel_spec(field)
    return kinds
