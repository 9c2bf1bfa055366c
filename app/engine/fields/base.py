"""The shapes every field type shares: FieldType, EngineContext, settings, errors."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field as dataclass_field
from functools import cached_property
from typing import Any, NamedTuple

from flask_babel import lazy_gettext as _l

from app.clock import today as clock_today
from app.validators import ValidationError, message_text, same_name  # noqa: F401 - re-exported

#: Keys every field accepts, whatever its type (CONTRACT.md §3); a type adds its own ``settings``.
COMMON_SETTINGS = frozenset({
    "key", "type", "label", "required", "help", "placeholder", "default", "prefill",
    "visible_when", "required_when", "rules", "readonly", "compute", "locked",
})

#: Message of an unanswered required field (one msgid for the whole engine).
REQUIRED = _l("Answer this question.")
#: Warning of a save for a value sent to a field that takes no input (``compute``,
#: ``readonly``, a registry ``source``): the engine gives its answer, the value is dropped.
IGNORED_INPUT = _l("The system fills this in; the value sent was ignored.")


class UnknownFieldType(LookupError):
    """A definition names a field type the registry does not know."""

    def __init__(self, name: object, valid: Iterable[str]) -> None:
        self.name, self.valid = name, tuple(sorted(valid))
        self.message = _l("Unknown field type %(name)s; valid types: %(valid)s",
                          name=repr(name), valid=", ".join(self.valid))
        super().__init__(self.message)

    def __str__(self) -> str:
        return message_text(self.message)


class RowErrors(ValidationError):
    """Refuse a repeating group, keeping one message list per ``[row].key``."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(_l("Some rows have mistakes."), code="rows")
        self.errors = errors


@dataclass(frozen=True)
class People:
    """Persons the answers are checked against, on a save and at submission only
    (app.engine.people): ``signer(role)`` the name of who signs (``filer`` or ``subject``),
    ``name_of(id_number)`` the person registry's name for an ID number (None: unknown)."""

    signer: Callable[[str], str | None]
    name_of: Callable[[str], str | None]


def as_code_text(raw: Any) -> Any:
    """Return a JSON integer as its decimal text (a code sent as a number: 1 for "1"), any
    other value as it is."""
    return str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else raw


def text_stamp(raw: Any, stored: Any = None, moment: Any = None) -> Any:
    """Return a raw textual answer to store: integers as their text, in a list item by item."""
    return [as_code_text(v) for v in raw] if isinstance(raw, list) else as_code_text(raw)


def is_blank(value: Any) -> bool:
    """Tell whether a raw value counts as unanswered."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, (list, tuple, dict)) and not value


class DictEntry(NamedTuple):
    """One code of a dictionary as the engine sees it; ``region`` None for a national code, else
    the region whose local code it is."""

    code: str
    label: dict
    parent: str | None = None
    region: str | None = None


def _entry(raw: Any) -> DictEntry | None:
    """Normalise a mapping, a DictionaryEntry row or a DictEntry; None for inactive codes."""
    if isinstance(raw, DictEntry):
        return raw
    get = raw.get if isinstance(raw, Mapping) else (lambda key, default=None: getattr(
        raw, key, default))
    if get("active", True) is False:
        return None
    label = get("label") or get("name") or {"zh": get("name_zh"), "en": get("name_en")}
    if isinstance(label, str):
        label = {"zh": label, "en": None}
    return DictEntry(str(get("code")), dict(label), get("parent") or get("parent_code"),
                     get("region") or get("region_code"))


def _no_dictionary(code: str) -> None:
    return None


def _no_region(code: str) -> bool:
    return False


def _code_itself(code: str) -> str:
    return code


def level_by_shape(code: str) -> str:
    """Guess a region's level from its GB/T 2260 code shape (longer codes are grassroots)."""
    if len(code) > 6:
        return "grassroots"
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


@dataclass(frozen=True)
class EngineContext:
    """What the engine may ask its surroundings: locale, region, code tables, regions, today.

    ``dictionary(code)`` returns the entries in effect (mappings with ``code``, ``name``/``label``
    {zh, en} or ``name_zh``/``name_en``, ``parent``/``parent_code``, ``region``/``region_code``
    for a local code; ``DictionaryEntry`` rows; or :class:`DictEntry`) or None for an unknown
    dictionary. ``region_level(code)`` defaults to
    the code's shape; ``region_name(code)`` (a region's full name) to the code itself;
    ``region_below(code)`` (the level of the shallowest current region directly under it, None
    for none) to None.
    """

    locale: str = "zh"
    region: str | None = None
    dictionary: Callable[[str], Iterable[Any] | None] = _no_dictionary
    region_exists: Callable[[str], bool] = _no_region
    region_level: Callable[[str], str | None] | None = None
    today: dt.date | None = None
    region_name: Callable[[str], str] = _code_itself
    region_below: Callable[[str], str | None] | None = None
    _entries: dict = dataclass_field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def lang(self) -> str:
        """Return "en" or "zh", the two languages definitions carry."""
        return "en" if str(self.locale).lower().startswith("en") else "zh"

    def text(self, value: Any) -> str:
        """Return a definition text value in this locale, falling back to Chinese."""
        if value is None:
            return ""
        if type(value) is dict or isinstance(value, Mapping):  # a page asks some hundred times
            return value.get(self.lang) or value.get("zh") or value.get("en") or ""
        return str(value)

    def entries(self, code: str) -> dict[str, DictEntry] | None:
        """Return a dictionary's active entries by code (cached per context), or None."""
        if code not in self._entries:
            raw = self.dictionary(code)
            self._entries[code] = None if raw is None else {
                e.code: e for e in map(_entry, raw) if e is not None}
        return self._entries[code]

    def level_of(self, code: str) -> str | None:
        """Return the level of region ``code``."""
        return self.region_level(code) if self.region_level else level_by_shape(code)

    def reaches(self, code: str, level: str) -> bool:
        """Tell whether region ``code`` answers a question asking for ``level`` (see
        :func:`reaches_level`). Without a tree only the region's own level counts."""
        if self.region_below is None:
            return level_rank(self.level_of(code)) >= level_rank(level)
        return reaches_level(self.level_of(code), self.region_below(code), level)

    def current_date(self) -> dt.date:
        """Return today's date (the context's, else the application's clock: app.clock)."""
        return self.today or clock_today()


def level_rank(level: str | None) -> int:
    """Return a level's depth (province 0 … grassroots 3; -1 when unknown)."""
    from app.models.region import LEVELS  # here, so models may import the registry

    return LEVELS.index(level) if level in LEVELS else -1


def reaches_level(level: str | None, below: str | None, wanted: str) -> bool:
    """Tell whether a region at ``level`` whose shallowest child is at ``below`` (None: no child)
    is as deep as ``wanted``: it is at that level or deeper, or the tree skips that level under
    it. 上海市 (310000, a province) has its districts straight under it, so it is its own city:
    it answers ``level: city``, while ``level: county`` still asks for a district. A city
    without counties (东莞, 中山, 儋州, 仙桃 …: their towns are not in the national tree) is its
    own county. Otherwise a childless region does not count: a province without cities (香港)
    answers no city question, a county without 医保 nodes no grassroots one."""
    rank = level_rank(wanted)
    if below is None:
        return level_rank(level) >= rank or (level == "city" and wanted == "county")
    return level_rank(level) >= rank or level_rank(below) > rank


@dataclass(frozen=True)
class FieldType:
    """One type keyword: how its answers are parsed, shown, described and seen by CEL."""

    name: str
    cel_kind: str | None
    parser: Callable[[Any, Mapping, EngineContext], Any]
    widget: Callable[[Mapping, EngineContext], Any]
    schema: Callable[[Mapping, EngineContext], dict]
    settings: frozenset[str] = frozenset()
    required_settings: frozenset[str] = frozenset()
    empty: Callable[[Any], bool] = is_blank
    warner: Callable[[Any, Mapping, EngineContext], list] | None = None
    item_kind: Callable[[Mapping], Any] | None = None
    from_cel: Callable[[Any], Any] | None = None
    related: Callable[[Any, Mapping, EngineContext, Mapping], Any] | None = None
    has_answer: bool = True
    nested: bool = False
    required_message: Any = REQUIRED
    #: The variable path (``person.enrollments``) the answer always comes from; input is ignored.
    source: str | None = None
    #: ``(value, field, ctx) -> (headers, rows of cell texts)``: the answer read as a table.
    table: Callable[[Any, Mapping, EngineContext], tuple[list[str], list[list[str]]]] | None = None
    #: How an answer of this type is masked where identifiers are (``masked: true`` or a prefill
    #: from ``person.id_number``: app.engine.masked); None: the type cannot be masked. A type
    #: with a mask lists ``masked`` among its ``settings``.
    mask: Callable[[Any], str] | None = None
    #: ``(raw, stored raw, now) -> raw to store``: what the server adds to an answer as it is
    #: saved (a signature's signing time; app.engine.people.stamped); None: stored as sent.
    stamp: Callable[[Any, Any, dt.datetime], Any] | None = None
    #: ``(answer, field, answers beside it, People) -> message or None``: a check against
    #: persons outside the answers (the signer, the registry), run on a save and at submission.
    person_check: Callable[[Any, Mapping, Mapping, People], Any] | None = None
    #: The answer is text (a code, a name, a list of codes): a JSON integer is read as its
    #: decimal text, so 1 is the option "1", and is stored as that text (``stamp``).
    textual: bool = False

    def __post_init__(self) -> None:
        if self.textual and self.stamp is None:
            object.__setattr__(self, "stamp", text_stamp)

    @property
    def accepted_settings(self) -> frozenset[str]:
        """Return every key a field of this type may carry."""
        return COMMON_SETTINGS | self.settings

    def parse(self, raw: Any, field: Mapping, ctx: EngineContext) -> Any:
        """Return the canonical JSON answer for ``raw`` or raise ValidationError."""
        if self.textual:
            raw = text_stamp(raw)
        if self.has_answer and self.empty(raw):
            raise ValidationError(self.required_message, code="required")
        return self.parser(raw, field, ctx)

    def form_field(self, field: Mapping, ctx: EngineContext) -> Any:
        """Return the unbound WTForms field that shows ``field``."""
        return self.widget(field, ctx)

    def json_schema(self, field: Mapping, ctx: EngineContext) -> dict:
        """Return the JSON-Schema fragment of this field's answer, titled in ctx's locale."""
        schema = dict(self.schema(field, ctx))
        if field.get("compute") or field.get("readonly") or self.source:
            schema["readOnly"] = True  # what is sent is dropped (IGNORED_INPUT)
        schema["title"] = ctx.text(field.get("label")) or field.get("key", "")
        if field.get("help"):
            schema["description"] = ctx.text(field["help"])
        return schema

    def cel_spec(self, field: Mapping) -> str | tuple[str, Any]:
        """Return the kind (or ``(kind, item_kind)``) ``bind_answers`` converts the answer with."""
        return (self.cel_kind, self.item_kind(field)) if self.item_kind else self.cel_kind

    def is_empty(self, value: Any) -> bool:
        """Tell whether ``value`` leaves the field unanswered."""
        return self.empty(value)

    def warnings(self, value: Any, field: Mapping, ctx: EngineContext) -> list[str]:
        """Return messages about a canonical answer that is accepted but doubtful."""
        return [message_text(m) for m in self.warner(value, field, ctx)] if self.warner else []

    def check_related(self, value: Any, field: Mapping, ctx: EngineContext,
                      values: Mapping) -> str | None:
        """Return a message when the answer disagrees with the other answers, else None."""
        message = self.related(value, field, ctx, values) if self.related else None
        return message_text(message) if message is not None else None
