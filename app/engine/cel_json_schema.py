"""Express simple CEL conditions over answers as JSON Schema (draft 2020-12), for API clients.

A question required only under a condition (``visible_when``, ``required_when``) is announced in
an item's ``answers_schema`` as ``if``/``then`` when the condition can be said exactly in JSON
Schema (app.api.catalog.schema). That is so for conditions built only from

    key == "text"   key != "text"   key == true   key == false   key == null   key != null
    key in ["a", "b"]   "a" in key   (key a multiple choice)

joined with ``&&``, ``||``, ``!( … )`` and parentheses, where ``key`` is an answer whose JSON
value is the value CEL sees: a choice among fixed values (an ``enum`` of texts), a yes/no
answer or a multiple choice, never computed, read-only or prefilled, and one the condition's
field may read (on its own page or an earlier one: later pages are null to it; in a repeat's
row, the row's own answers). A compared answer counts as null while hidden, so its own
``visible_when`` is part of the translation. None of these comparisons fails on a missing answer
(``x == "1"`` is false on null), so ``&&``, ``||`` and ``!`` mean in JSON Schema exactly what they
mean to the engine (app.engine.answers). Anything else — ``filer``, ``person``, ``region``,
numbers, dates, functions, arithmetic — is not translated: :func:`condition_schema` returns None
and the caller announces the CEL text instead.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

from app.engine.answers import takes_no_input
from app.engine.fields import EngineContext, get_type
from app.validators import ValidationError

_TOKEN = re.compile(r"""\s*(?:(&&|\|\||==|!=|!|\(|\)|\[|\]|,)|"([^"\\\n]+)"|'([^'\\\n]+)'"""
                    r"""|([A-Za-z_][A-Za-z0-9_]*))""")
_KEYWORDS = {"true": True, "false": False, "null": None}


class Untranslatable(Exception):
    """The condition is not one JSON Schema can say exactly."""


@dataclass(frozen=True)
class Readable:
    """An answer a condition may compare: its field, where it is asked, its JSON Schema."""

    field: Mapping
    place: int
    schema: Mapping


def _tokens(source: str) -> list[tuple[str, Any]]:
    tokens, position = [], 0
    while position < len(source.rstrip()):
        match = _TOKEN.match(source, position)
        if match is None or match.end() == position:
            raise Untranslatable(source)
        operator, double, single, name = match.groups()
        if operator:
            tokens.append(("op", operator))
        elif name in _KEYWORDS:
            tokens.append(("literal", _KEYWORDS[name]))
        elif name:
            tokens.append(("in", None) if name == "in" else ("name", name))
        else:
            tokens.append(("literal", double if double is not None else single))
        position = match.end()
    return tokens


def _domain(readable: Readable, ctx: EngineContext) -> tuple[str, dict]:
    """Return the answer's kind (text, bool, list) and what an answer of it looks like in
    JSON; raise Untranslatable unless every value it may take reaches CEL unchanged."""
    field, schema = readable.field, readable.schema
    ftype = get_type(field["type"])
    if takes_no_input(field) or field.get("prefill") or ftype.nested:
        raise Untranslatable(field["key"])
    items = schema.get("items") if isinstance(schema.get("items"), Mapping) else {}
    if ftype.cel_kind == "bool" and schema.get("type") == "boolean" and "const" not in schema:
        kind, values, answered = "bool", [True, False], {"type": "boolean"}
    elif ftype.cel_kind == "text" and _texts(schema.get("enum")):
        kind, values, answered = "text", schema["enum"], {"enum": list(schema["enum"])}
    elif ftype.cel_kind == "list" and _texts(items.get("enum")):
        kind, values = "list", [[v] for v in items["enum"]]
        answered = {"type": "array", "minItems": 1}
    else:
        raise Untranslatable(field["key"])
    for value in values:
        try:
            if ftype.is_empty(value) or ftype.parse(value, field, ctx) != value:
                raise Untranslatable(field["key"])
        except ValidationError as error:
            raise Untranslatable(field["key"]) from error
    return kind, answered


def _texts(values: Any) -> bool:
    return isinstance(values, list) and bool(values) and all(
        isinstance(v, str) and v.strip() for v in values)


class _Translation:
    """One recursive-descent pass over a condition's tokens (``||`` < ``&&`` < ``!( )``)."""

    def __init__(self, source: str, place: int, answers: Mapping[str, Readable],
                 ctx: EngineContext, reading: frozenset):
        self.tokens, self.position = _tokens(source), 0
        self.place, self.answers, self.ctx, self.reading = place, answers, ctx, reading

    def run(self) -> dict:
        schema = self.either()
        if self.position != len(self.tokens):
            raise Untranslatable("trailing tokens")
        return schema

    def peek(self) -> tuple[str, Any]:
        return self.tokens[self.position] if self.position < len(self.tokens) else ("end", None)

    def take(self, kind: str, value: Any = None) -> Any:
        token = self.peek()
        if token[0] != kind or (value is not None and token[1] != value):
            raise Untranslatable(f"expected {value or kind}")
        self.position += 1
        return token[1]

    def either(self) -> dict:
        parts = [self.both()]
        while self.peek() == ("op", "||"):
            self.position += 1
            parts.append(self.both())
        return parts[0] if len(parts) == 1 else {"anyOf": parts}

    def both(self) -> dict:
        parts = [self.unary()]
        while self.peek() == ("op", "&&"):
            self.position += 1
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else {"allOf": parts}

    def unary(self) -> dict:
        if self.peek() == ("op", "!"):  # only before "(" or "!": "!x == 1" is (!x) == 1 in CEL
            self.position += 1
            if self.peek() not in (("op", "("), ("op", "!")):
                raise Untranslatable("! before a name")
            return {"not": self.unary()}
        if self.peek() == ("op", "("):
            self.position += 1
            inner = self.either()
            self.take("op", ")")
            return inner
        return self.comparison()

    def comparison(self) -> dict:
        kind, value = self.peek()
        self.position += 1
        if kind == "literal" and self.peek()[0] == "in":  # "a" in key
            self.position += 1
            key = self.take("name")
            if not isinstance(value, str):
                raise Untranslatable("in with a non-text")
            return self.holds(key, "list", {"contains": {"const": value}}, value)
        if kind == "literal":  # "a" == key
            operator = self.take("op")
            return self.equal(self.take("name"), operator, value)
        if kind != "name":
            raise Untranslatable("expected a comparison")
        if self.peek()[0] == "in":
            self.position += 1
            return self.member(value)
        operator = self.take("op")
        return self.equal(value, operator, self.take("literal"))

    def member(self, key: str) -> dict:
        self.take("op", "[")
        values = [self.take("literal")]
        while self.peek() == ("op", ","):
            self.position += 1
            values.append(self.take("literal"))
        self.take("op", "]")
        if not all(isinstance(v, str) for v in values):
            raise Untranslatable("in a list of non-texts")
        return self.holds(key, "text", {"enum": values}, values[0])

    def equal(self, key: str, operator: str, literal: Any) -> dict:
        if operator not in ("==", "!="):
            raise Untranslatable(operator)
        if literal is None:
            schema = {"not": self.answered(key)}
        else:
            kind = "bool" if isinstance(literal, bool) else "text"
            schema = self.holds(key, kind, {"const": literal}, literal)
        return {"not": schema} if operator == "!=" else schema

    def readable(self, key: str) -> Readable:
        readable = self.answers.get(key)
        if readable is None or readable.place > self.place or key in self.reading:
            raise Untranslatable(key)  # a variable, a later page's answer (null), or a cycle
        return readable

    def holds(self, key: str, kind: str, value_schema: dict, sample: Any) -> dict:
        """Return: ``key`` is shown and answered, and its answer matches ``value_schema``."""
        readable = self.readable(key)
        if _domain(readable, self.ctx)[0] != kind:
            raise Untranslatable(f"{key} compared with {sample!r}")
        return self.shown(key, {"required": [key], "properties": {key: value_schema}})

    def answered(self, key: str) -> dict:
        answered = _domain(self.readable(key), self.ctx)[1]
        return self.shown(key, {"required": [key], "properties": {key: answered}})

    def shown(self, key: str, schema: dict) -> dict:
        """Add the compared answer's own visible_when: a hidden answer is null to CEL."""
        readable = self.answers[key]
        condition = readable.field.get("visible_when")
        if not isinstance(condition, str) or not condition.strip():
            return schema  # none, or the neutral ``true`` of a variant (app.engine.overrides)
        visible = _Translation(condition, readable.place, self.answers, self.ctx,
                               self.reading | {key}).run()
        return {"allOf": [schema, visible]}


def condition_schema(source: Any, place: int, answers: Mapping[str, Readable],
                     ctx: EngineContext, reading: frozenset = frozenset()) -> Optional[dict]:
    """Return a JSON Schema that an answers object satisfies exactly when the CEL condition
    ``source``, read from page ``place``, is true; None when that cannot be said exactly.

    :param answers: the answers the condition may compare, by key (a page's and the earlier
        pages', or a repeat row's), each with its page's index in ``place``.
    :param reading: keys whose conditions are being translated (a cycle is untranslatable).
    """
    if isinstance(source, bool):  # the neutral values a variant may write
        return {} if source else {"not": {}}
    if not isinstance(source, str) or not source.strip():
        return None
    try:
        return _Translation(source, place, answers, ctx, frozenset(reading)).run()
    except (Untranslatable, RecursionError):
        return None
