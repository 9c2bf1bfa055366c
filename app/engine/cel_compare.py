"""Lint: an answer compared with a literal of another kind, which it can never equal.

CEL's ``==``, ``!=`` and ``in`` take values of any two kinds: ``special == 1`` on a radio
(whose codes are texts) is legal CEL and simply false for every answer, so trying it on sample
answers (app.engine.lint_types) finds nothing, and a field shown only ``visible_when`` it is
true disappears for everyone. This check reads the expression's tokens instead: an answer
(a field key standing alone as one side) compared by ``==``/``!=`` with a literal of another
kind, or tested with ``in`` against a list literal holding one, or a literal of another kind
tested ``in`` a multiple choice::

    problem = comparison_problem('special == 1', {"special": "text"}, {"special": "是否特殊"})
    # “special == 1” compares “是否特殊” (special), a text, with a number … write special == "1"

Only plain operands count: ``special == 1 + n`` or ``rows.all(r, r.kind == 1)`` are left to
the sample trials. ``null`` compares with anything.
"""
from __future__ import annotations

import re
from typing import Any, Mapping, Optional

from flask_babel import get_locale, lazy_gettext as _l

_TOKEN = re.compile(r"""
    (?P<text>[rR]?"(?:\\.|[^"\\])*"|[rR]?'(?:\\.|[^'\\])*')
  | (?P<number>0[xX][0-9a-fA-F]+[uU]?|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?[uU]?|\.\d+)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<op>==|!=|<=|>=|&&|\|\||[-+*/%<>!?:.,()\[\]{}])
  | (?P<space>\s+)
""", re.X)
_MACRO_BINDING = re.compile(r"\.\s*(?:all|exists_one|exists|map|filter)\s*\(\s*(\w+)\s*,")
#: Tokens that may stand right before the left operand of a comparison, or right after its right
#: operand, without taking part in it (``==`` binds looser than arithmetic and ``<``).
_BEFORE = {None, "(", "[", ",", "&&", "||", "?", ":", "{"}
_AFTER = {None, ")", "]", ",", "&&", "||", "?", ":", "}"}
_WORDS = {"text": _l("a text"), "number": _l("a number"), "bool": _l("true or false"),
          "date": _l("a date"), "list": _l("a list")}


def _tokens(source: str) -> list[tuple[str, str, int, int]]:
    """Return (group, text, start, end) of each token but spaces."""
    return [(m.lastgroup, m[0], m.start(), m.end()) for m in _TOKEN.finditer(source)
            if m.lastgroup != "space"]


def _kind(spec: Any) -> str:
    kind = spec[0] if isinstance(spec, tuple) else spec
    return "number" if kind == "money" else kind


def _literal(tokens: list, i: int) -> tuple[Optional[str], int]:
    """Return the kind of the literal starting at ``i`` (None: not one) and where it ends; a
    list literal's kind is ``list:<kinds of its items>``."""
    group, value = tokens[i][:2] if i < len(tokens) else (None, None)
    if value == "-" and i + 1 < len(tokens) and tokens[i + 1][0] == "number":
        return "number", i + 2
    if group in ("number", "text"):
        return group, i + 1
    if value in ("true", "false", "null"):
        return ("null" if value == "null" else "bool"), i + 1
    if value == "[":
        kinds, j = [], i + 1
        while j < len(tokens) and tokens[j][1] != "]":
            kind, j = _literal(tokens, j)
            if kind is None or kind.startswith("list"):
                return None, j
            kinds.append(kind)
            if j < len(tokens) and tokens[j][1] == ",":
                j += 1
        return "list:" + ",".join(kinds), j + 1
    return None, i


def _answer(tokens: list, i: int, kinds: Mapping, bound: set) -> Optional[str]:
    """Return the key of the answer standing alone at ``i`` (a field key not read further)."""
    group, value = tokens[i][:2] if i < len(tokens) else (None, None)
    if group != "word" or value not in kinds or value in bound:
        return None
    if i > 0 and tokens[i - 1][1] == ".":
        return None
    return None if i + 1 < len(tokens) and tokens[i + 1][1] in (".", "(", "[") else value


def _convert(kind: str, written: str) -> Optional[str]:
    """Return literal ``written`` as a literal an answer of ``kind`` can equal, or None."""
    bare = written.lstrip("rR")
    if kind == "text" and re.fullmatch(r"-?\d+(\.\d+)?", written):
        return f'"{written}"'
    if kind == "number" and re.fullmatch(r"([\"'])-?\d+(\.\d+)?\1", bare):
        return bare[1:-1]
    if kind == "bool" and bare.strip("\"'") in ("1", "0", "true", "false"):
        return "true" if bare.strip("\"'") in ("1", "true") else "false"
    return None


def _fix(source: str, tokens: list, start: int, end: int, kind: str) -> Optional[str]:
    """Return the comparison with each literal of another kind rewritten, or None when one
    has no single right form."""
    pieces, at, i = [], tokens[start][2], start
    while i < end:
        group, value, begin, finish = tokens[i]
        if value == "-" and i + 1 < end and tokens[i + 1][0] == "number":
            group, value, finish, i = "number", "-" + tokens[i + 1][1], tokens[i + 1][3], i + 1
        if group in ("number", "text") or value in ("true", "false"):
            own = {"number": "number", "text": "text"}.get(group, "bool")
            if own != kind:
                literal = _convert(kind, value)
                if literal is None:
                    return None
                pieces += [source[at:begin], literal]
                at = finish
        i += 1
    return "".join(pieces) + source[at:tokens[end - 1][3]]


def _name(key: str, labels: Mapping) -> str:
    label = labels.get(key)
    if isinstance(label, Mapping):
        language = str(get_locale() or "zh")[:2]
        label = label.get(language) or label.get("zh") or label.get("en")
    return str(_l("“%(label)s” (%(key)s)", label=label, key=key)) if label else key


def _problem(written: str, key: str, kind: str, other: str, fix: Optional[str],
             labels: Mapping) -> Any:
    field, word, other_word = _name(key, labels), _WORDS.get(kind, kind), _WORDS.get(other, other)
    if fix:
        return _l("“%(expression)s” compares %(field)s, %(kind)s, with %(other)s, which it never "
                  "equals: write %(fix)s", expression=written, field=field, kind=word,
                  other=other_word, fix=fix)
    return _l("“%(expression)s” compares %(field)s, %(kind)s, with %(other)s, which it never "
              "equals: compare it with %(kind)s", expression=written, field=field, kind=word,
              other=other_word)


def comparison_problem(source: Any, kinds: Mapping, labels: Optional[Mapping] = None) -> Any:
    """Return why an answer in ``source`` is compared with a literal it can never equal (a lazy
    text naming the comparison, the field by its label, and how to write it), or None.

    :param kinds: the CEL kind of every field the expression may read (``cel_kinds``).
    :param labels: each field's label by key (text or ``{"zh": …, "en": …}``).
    """
    if not isinstance(source, str):
        return None
    tokens, labels = _tokens(source), labels or {}
    bound = set(_MACRO_BINDING.findall(source))
    for i, (_group, operator, _start, _end) in enumerate(tokens):
        if operator not in ("==", "!=", "in") or i == 0:
            continue
        found = _side(tokens, i, kinds, bound)
        if found is None:
            continue
        key, kind, other, start, end = found
        if other is None or other == "null" or other == kind:
            continue
        if other.startswith("list:"):
            items = [k for k in other[5:].split(",") if k and k not in ("null", kind)]
            if not items:
                continue
            other = items[0]
        written = source[tokens[start][2]:tokens[end - 1][3]]
        return _problem(written, key, kind, other, _fix(source, tokens, start, end, kind),
                        labels)
    return None


def _side(tokens: list, i: int, kinds: Mapping, bound: set) -> Optional[tuple]:
    """Read the comparison at operator ``i``: (key, the answer's kind, the literal's kind, first
    token, end) when one side is an answer standing alone and the other a literal."""
    operator = tokens[i][1]
    key = _answer(tokens, i - 1, kinds, bound)
    if key is not None:  # answer OP literal
        other, end = _literal(tokens, i + 1)
        if i >= 2 and tokens[i - 2][1] not in _BEFORE or other is None or \
                end < len(tokens) and tokens[end][1] not in _AFTER or \
                (operator == "in") != other.startswith("list"):
            return None
        return key, _kind(kinds[key]), other, i - 1, end
    # literal OP answer (a literal of one token, or a negative number)
    start = i - 2 if i >= 2 and tokens[i - 2][1] == "-" and tokens[i - 1][0] == "number" else i - 1
    other, end = _literal(tokens, start)
    key = _answer(tokens, i + 1, kinds, bound)
    if other is None or end != i or other.startswith("list") or key is None or \
            start > 0 and tokens[start - 1][1] not in _BEFORE or \
            i + 2 < len(tokens) and tokens[i + 2][1] not in _AFTER:
        return None
    spec, kind = kinds[key], _kind(kinds[key])
    if (operator == "in") != (kind == "list"):
        return None
    if operator == "in":
        item = spec[1] if isinstance(spec, tuple) else "text"
        if isinstance(item, Mapping):
            return None  # a repeating group's rows
        kind = _kind(item or "text")
    return key, kind, other, start, i + 2


def labels_of(definition: Mapping) -> dict:
    """Return every field's label by key (a repeating group's fields too)."""
    labels: dict = {}
    pages = [p for p in definition.get("pages") or () if isinstance(p, Mapping)]
    for field in (f for p in pages for f in p.get("fields") or () if isinstance(f, Mapping)):
        children = field.get("fields") if isinstance(field.get("fields"), list) else ()
        for one in (field, *(c for c in children if isinstance(c, Mapping))):
            if isinstance(one.get("key"), str) and one.get("label"):
                labels.setdefault(one["key"], one["label"])
    return labels
