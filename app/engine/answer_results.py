"""What validating answers gives: the clean answers with their errors and warnings, and for a
page also which fields are visible, required and offered now (app.engine.answers)."""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple


class _Validated(NamedTuple):
    answers: dict[str, Any]
    errors: dict[str, list[str]]
    warnings: dict[str, list[str]]


class Validation(_Validated):
    """Clean answers (canonical JSON), errors and warnings, each keyed by field.

    ``rows`` is outside the tuple (``answers, errors, warnings = …`` still reads): each
    repeating group's rows as accepted one by one (a row's valid answers, by place), kept when
    another row's error leaves the whole group out of ``answers``. ``refusals`` too: an agent's
    answers the subject's registry record refused, as ``(key, what the check read)``
    (app.engine.registry_refusals).
    """

    def __new__(cls, answers: dict, errors: dict, warnings: dict,
                rows: Mapping[str, list] | None = None,
                refusals: tuple | list = ()) -> "Validation":
        self = super().__new__(cls, answers, errors, warnings)
        self.rows = MappingProxyType(dict(rows or {}))
        self.refusals = tuple(refusals)
        return self


class PageState(NamedTuple):
    """A page's validation plus which fields are visible and required now (for forms)."""

    answers: dict[str, Any]
    errors: dict[str, list[str]]
    warnings: dict[str, list[str]]
    visible: frozenset[str]
    required: frozenset[str]
    choices: Mapping[str, tuple[str, ...]] = MappingProxyType({})  # ``among``, evaluated
    #: The values of the visible fields that take no input (``compute``, ``readonly``, a
    #: registry ``source``) as the engine decides them, kept even when a rule refuses them.
    fixed: Mapping[str, Any] = MappingProxyType({})
    #: Each repeating group's rows as accepted one by one (:attr:`Validation.rows`).
    rows: Mapping[str, list] = MappingProxyType({})
