"""CEL for people writing it in the item designer: check one expression, try it on samples.

    visible = variables_for(definition, ("field", "special_type"))   # what it may read
    report = check_expression('special == "1"', visible)              # error / unknown names

The rules are lint's (:func:`app.engine.lint_rules.check_expressions`): a field's expression sees
the fields of its page and of earlier pages (a repeating group's fields also see their
siblings); materials and steps see every field; all see ``filer``, ``person``, ``region`` and
``today``. Trying an expression on sample answers is :mod:`app.engine.cel_try`.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field as dataclass_field
from typing import Any, Mapping, Optional

import cel
from flask_babel import lazy_gettext as _l

from app.engine.cel import ExpressionError, compile_expression
from app.engine.fields import cel_kinds, get_type
from app.engine.lint_attributes import part_attribute_problem
from app.engine.lint_rules import BASE_VARIABLES, FIELD_EXPRESSIONS, fields_of
from app.engine.lint_types import part_problem

#: The sample person a "try it" panel starts with (all values editable there).
SAMPLE_PERSON = {"name": "张三", "sex": "1", "birth_date": "1990-01-01", "age": "36",
                 "region": "", "cert_type": "01", "id_number": "11010519491231002X"}
PERSON_KINDS = {"name": "text", "sex": "text", "birth_date": "date", "age": "number",
                "region": "text", "cert_type": "text", "id_number": "text"}


@dataclass(frozen=True)
class ExpressionReport:
    """What checking one expression found; ``error`` set means it does not compile."""

    source: str
    error: Optional[str] = None
    references: frozenset = frozenset()
    unknown: tuple = ()
    hints: tuple = ()  # one sentence per unknown name: the closest known key, or a later page

    @property
    def ok(self) -> bool:
        return self.error is None and not self.unknown


_SYNTAX = re.compile(r"<input>:(\d+):(\d+): (?:Syntax error: )?([^\n]*)")
_QUOTED = re.compile(r"(?:at: '(.*)'$|input '(.*?)'(?: expecting|$))")
_FULL_WIDTH = str.maketrans("＝“”‘’（）！＆｜，＜＞", "=\"\"''()!&|,<>")


def _reason(text: str) -> str:
    """Say in plain words what the CEL parser's first complaint means."""
    quoted = _QUOTED.search(text)
    token = (quoted[1] or quoted[2] or "") if quoted else ""
    if text.startswith("mismatched input '<EOF>'") or text.startswith("missing") and \
            "<EOF>" in text:
        missing = re.match(r"missing '(.*?)'", text)
        if missing:
            return str(_l("it ends too early: “%(token)s” is missing at the end",
                          token=missing[1]))
        return str(_l("it ends too early: a value, a closing bracket or a closing quote is "
                      "missing at the end"))
    if text.startswith("token recognition error"):
        if token.translate(_FULL_WIDTH) != token:
            return str(_l("“%(token)s” is a full-width character: type “%(ascii)s” with the "
                          "keyboard in English mode", token=token[:1],
                          ascii=token[:1].translate(_FULL_WIDTH)))
        if token[:1] in "\"'":
            return str(_l("a text in quotes is not closed: add the closing %(quote)s",
                          quote=token[:1]))
        if token.startswith("="):
            return str(_l("“=” alone is not a comparison: write “==” (equal) or “!=” "
                          "(not equal)"))
        return str(_l("“%(token)s” cannot be used in an expression", token=token.strip()))
    if text.startswith("missing"):
        missing = re.match(r"missing '(.*?)'", text)
        return str(_l("“%(token)s” is missing here", token=missing[1] if missing else token))
    if text.startswith(("extraneous input", "mismatched input")):
        return str(_l("“%(token)s” is not expected here", token=token))
    if text.startswith("no viable alternative"):
        return str(_l("the expression cannot be read on from “%(token)s”", token=token))
    return text


def compile_message(error: ExpressionError) -> str:
    """Return a compile error as the designer shows it: where (line and column) and why, in
    the page's language, without repeating the expression that stands above it."""
    if error.detail == "size() refused":
        return str(_l("Write length(…) instead of size(…): size counts the bytes of a text, "
                      "not its characters."))
    found = _SYNTAX.search(error.detail or "")
    if found is None:
        return str(error.message)
    line, column, reason = int(found[1]), int(found[2]), _reason(found[3])
    if line == 1:
        return str(_l("Column %(column)s: %(reason)s.", column=column, reason=reason))
    return str(_l("Line %(line)s, column %(column)s: %(reason)s.", line=line, column=column,
                  reason=reason))


def _references(source: str, error: ExpressionError) -> frozenset:
    """Return the variables an expression refused only for ``size()`` reads (it parses)."""
    if error.detail != "size() refused":
        return frozenset()
    return frozenset(cel.compile(source).references()["variables"])


def _hints(unknown: tuple, visible: set, every: set) -> tuple:
    hints = []
    for name in unknown:
        if name in every:
            hints.append(str(_l("“%(name)s” is asked only on a later page: an expression here "
                                "cannot read it yet.", name=name)))
            continue
        close = difflib.get_close_matches(name, sorted(visible - {"today"}), n=1, cutoff=0.6)
        if close:
            hints.append(str(_l("There is no field “%(name)s”: did you mean “%(close)s”?",
                                name=name, close=close[0])))
        else:
            hints.append(str(_l("There is no field “%(name)s” here.", name=name)))
    return tuple(hints)


@dataclass(frozen=True)
class TryOutcome:
    value: Any = None
    error: Optional[str] = None
    inputs: tuple = ()  # the field keys the expression reads (sample inputs to show)
    person: bool = False
    extra: dict = dataclass_field(default_factory=dict)
    note: Optional[str] = None  # what a failed evaluation counts as at run time, and why
    words: Optional[str] = None  # the value as the page says it (是 / 否 …)


def variables_for(definition: Mapping, part: tuple[str, str]) -> set[str]:
    """Return the names an expression of ``part`` (``("field", "a.b")``, ``("step", k)`` …) sees."""
    kind, key = part
    pages = definition.get("pages") or []
    page_of = {f.get("key"): i for i, p in enumerate(pages) for f in p.get("fields") or []}
    if kind != "field":
        return set(page_of) | BASE_VARIABLES
    group, _, child = key.rpartition(".")
    top = group or key
    index = page_of.get(top, len(pages))
    visible = {k for k, i in page_of.items() if i <= index} | BASE_VARIABLES
    if group:
        for _path, field, _group, _page in fields_of(definition):
            if field.get("key") == group:
                visible |= {c.get("key") for c in field.get("fields") or []}
    return visible


def check_expression(source: Any, visible: set[str], every: Optional[set[str]] = None, *,
                     definition: Optional[Mapping] = None, part: tuple = ("step", ""),
                     setting: str = "") -> ExpressionReport:
    """Compile ``source``; name the variables it reads that it cannot see, each with a hint
    (the closest name it can see, or that ``every`` — all field keys — has it on a later page).
    With ``definition``, an expression that compiles is also tried on sample answers of the
    fields' types, and the attributes it reads are looked for, as lint does
    (:mod:`app.engine.lint_types`, :mod:`app.engine.lint_attributes`): ``part`` and ``setting``
    (the input's name, ``rules.0.check``) say where it stands.
    """
    if isinstance(source, bool) or source is None:
        return ExpressionReport(str(source))
    error = None
    try:
        references = compile_expression(source).references
    except ExpressionError as refused:
        error, references = compile_message(refused), _references(source, refused)
    unknown = tuple(sorted(references - visible))
    if definition is not None and error is None and not unknown:
        problem = part_problem(source, definition, part, setting)
        if problem is not None:
            error = str(_l("The types in the expression do not match: %(problem)s.",
                           problem=problem))
        elif (missing := part_attribute_problem(source, definition, part)) is not None:
            error = str(_l("The expression reads what does not exist: %(problem)s.",
                           problem=missing))
    return ExpressionReport(source, error=error, references=references, unknown=unknown,
                            hints=_hints(unknown, visible, every or set()))


def field_kinds(definition: Mapping) -> dict:
    top = [f for p in definition.get("pages") or [] for f in p.get("fields") or []]
    children = [c for f in top for c in f.get("fields") or [] if isinstance(f.get("fields"), list)]
    kinds = {}
    for field in top + children:
        try:
            kinds.update(cel_kinds([field]))
        except LookupError:
            continue  # an unknown type: lint reports it
    return kinds


def expression_inputs(part: Mapping, kind: str) -> dict[str, Any]:
    """Return the CEL inputs of a part by name: ``visible_when``, ``rules.0.check``, ``when`` …"""
    names = {"field": FIELD_EXPRESSIONS,
             "material": ("required_when",), "step": ("when", "auto")}.get(kind, ())
    found = {name: part[name] for name in names if isinstance(part.get(name), str)}
    for index, rule in enumerate(part.get("rules") or [] if kind == "field" else []):
        if isinstance(rule, Mapping) and isinstance(rule.get("check"), str):
            found[f"rules.{index}.check"] = rule["check"]
    return found


def field_type(name: Any):
    """Return the registry entry of ``name`` or None (an unknown type)."""
    try:
        return get_type(name)
    except LookupError:
        return None
