"""YAML reading that remembers where each mapping started, for ``path:line:`` messages.

Anchors may be set but aliases (``*name``) are refused: a few hundred bytes of nested aliases
expand to millions of nodes (a "billion laughs" file uploaded to the item designer took 13 s
to import and made an 8 MB export). Definitions never need them. They nest a dozen levels at
most; past :data:`MAX_DEPTH` a text is refused at the line where it goes deeper (PyYAML composes
recursively: a few hundred ``[`` raised RecursionError, a 500 in the designer's import).
"""
import re
from typing import Any, Optional

import yaml
from flask_babel import lazy_gettext as _l


class LineDict(dict):
    """A mapping from YAML that knows its 1-based line (``.line``) and each key's line."""

    line: int = 0
    key_lines: dict


MAX_DEPTH = 50


class OwnWords(yaml.composer.ComposerError):
    """A reading error banshi says in its own words, at its own place."""


class ListTooLong(OwnWords):
    """A list goes past its limit (``limits`` of :func:`load_with_lines`)."""


class DuplicateKey(OwnWords):
    """A mapping names the same key twice: YAML would keep the last silently."""


class _LineLoader(yaml.SafeLoader):
    depth = 0
    limits: dict = {}  # per text: key → (most entries in one list, in all, setting names)
    _key = None  # the mapping key whose value is being composed
    _totals: dict

    def compose_node(self, parent, index):
        if self.check_event(yaml.events.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, str(_l("aliases (*name) are not allowed: write the value out")),
                self.peek_event().start_mark)
        if self.depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, str(_l("nested more than %(depth)s levels deep", depth=MAX_DEPTH)),
                self.peek_event().start_mark)
        self.depth += 1
        self._key = index.value if isinstance(index, yaml.ScalarNode) else None
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def compose_sequence_node(self, anchor):
        limit = self.limits.get(self._key)
        if limit is None:
            return super().compose_sequence_node(anchor)
        key, (most, in_all, setting, setting_all) = self._key, limit
        start = self.get_event()  # as Composer.compose_sequence_node, counting
        tag = start.tag if start.tag not in (None, "!") else self.resolve(
            yaml.SequenceNode, None, start.implicit)
        node = yaml.SequenceNode(tag, [], start.start_mark, None, flow_style=start.flow_style)
        if anchor is not None:
            self.anchors[anchor] = node
        while not self.check_event(yaml.SequenceEndEvent):
            self._totals[key] = self._totals.get(key, 0) + 1
            if len(node.value) == most or (in_all is not None and self._totals[key] > in_all):
                count, name = (most, setting) if len(node.value) == most else (in_all, setting_all)
                raise ListTooLong(None, None, str(_l(
                    'more than %(count)s entries in "%(key)s" (setting %(setting)s)', count=count,
                    key=key, setting=name)), self.peek_event().start_mark)
            node.value.append(self.compose_node(node, len(node.value)))
        node.end_mark = self.get_event().end_mark
        return node

    def construct_mapping(self, node, deep=False):
        mapping = LineDict(super().construct_mapping(node, deep=deep))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in mapping.key_lines:  # said, not silently the last one kept
                raise DuplicateKey(None, None, str(_l(
                    '"%(key)s" is given twice here (first on line %(line)s): keep one',
                    key=key, line=mapping.key_lines[key])), key_node.start_mark)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)


def load_with_lines(text: str, limits: Optional[dict] = None):
    """Parse YAML safely; mappings become :class:`LineDict`. Raises ``yaml.YAMLError``.

    ``limits`` maps a key to (the most entries a list under it may hold, the most all such
    lists may hold together or None, the setting names of both); past either the reading stops
    with :class:`ListTooLong` at that entry (a definition's limits, app.engine.limits).
    """
    loader = _LineLoader(text)
    loader.limits, loader._totals = limits or {}, {}
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def line_of(node, key=None, default: int = 1) -> int:
    """Return the line of ``node`` (or of its ``key``), or ``default`` for plain values."""
    if isinstance(node, LineDict):
        if key is not None and key in node.key_lines:
            return node.key_lines[key]
        return node.line
    return default


def syntax_message(error: yaml.YAMLError, path: str = "") -> Optional[str]:
    """Say a YAML syntax error in the page's language with its line and column: the common
    problems (a tab, indentation, a quote or bracket never closed, a missing colon or value, a
    tag) in plain words, PyYAML's own only for the rest; "JSON" for a ``.json`` ``path``. None
    for an error without a place (the caller says it as it can)."""
    mark = getattr(error, "problem_mark", None)
    if mark is None or not isinstance(error, _PLACED) or isinstance(
            error, yaml.composer.ComposerError) and error.context != _DOCUMENTS:
        return None  # banshi's own words say themselves (OwnWords: ListTooLong …)
    line, column = error_place(error)
    template = (_l("not valid JSON (line %(line)s, column %(column)s): %(problem)s")
                if str(path).lower().endswith(".json") else
                _l("not valid YAML (line %(line)s, column %(column)s): %(problem)s"))
    return str(template % {"line": line, "column": column, "problem": _plain_words(error)})


def reading_message(error: yaml.YAMLError, path: str = "") -> str:
    """Say any error reading a definition: :func:`syntax_message`, else banshi's own limits
    (:class:`ListTooLong` …) or PyYAML's words as "not valid YAML (or JSON): …"."""
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    if (message := syntax_message(error, path)) is not None or isinstance(error, OwnWords):
        return message or problem
    if str(path).lower().endswith(".json"):
        return str(_l("not valid JSON: %(problem)s", problem=problem))
    return str(_l("not valid YAML: %(problem)s", problem=problem))


def error_place(error: yaml.YAMLError) -> tuple[int, int]:
    """Return the 1-based line and column a reader should look at: where a key without its
    colon or a quote never closed starts, else where PyYAML stopped."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    start = getattr(error, "context_mark", None)
    if start is not None and (error.context or "") in _AT_START and (
            error.problem or "").startswith(_AT_START[error.context or ""]):
        mark = start
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


_PLACED = (yaml.scanner.ScannerError, yaml.parser.ParserError, yaml.constructor.ConstructorError,
           yaml.composer.ComposerError)
#: Errors whose context mark is the place to fix: (context, how the problem starts).
_AT_START = {"while scanning a simple key": "could not find expected ':'",
             "while scanning a quoted scalar": "found unexpected end of stream"}
_DOCUMENTS = "expected a single document in the stream"
_FOUND = re.compile(r"but (?:found|got) '?(.*?)'?$")
_CHAR = re.compile(r"character '(.*)'")
_TAG = re.compile(r"tag '(.*)'")
_INDENTED = ("<block sequence start>", "<block mapping start>", "<scalar>", "-", "?",
             "<block end>")


def _plain_words(error: yaml.YAMLError) -> Any:
    """Return the problem of ``error`` as a plain sentence (PyYAML's words as a last resort)."""
    problem, context = error.problem or "", error.context or ""
    start = getattr(error, "context_mark", None)
    opened = {"line": start.line + 1, "column": start.column + 1} if start else {
        "line": "?", "column": "?"}
    found = _FOUND.search(problem)
    token = found[1] if found else ""
    char = _CHAR.search(problem)
    if "'\\t'" in problem or "tab character" in problem:
        return _l("a tab character: indent with spaces only")
    if "cannot start any token" in problem and char:
        return _l("a value cannot start with “%(char)s”: put the text in quotes", char=char[1])
    if problem.startswith("found unknown escape character") and char:
        return _l("“\\%(char)s” is no escape in a text in double quotes: write \\\\ for a "
                  "backslash, or use single quotes", char=char[1])
    if "quoted scalar" in context and "end of stream" in problem:
        return _l("the quoted text is never closed: add the closing quote")
    if context == "while scanning a simple key":
        return _l("this line has no colon: write “key: value” (a colon and a space after the "
                  "key); a text over several lines needs quotes")
    if problem == "mapping values are not allowed here":
        return _l("a colon and a space cannot stand here: put a text holding “: ” in quotes, "
                  "or check this line's indentation")
    if context in ("while parsing a flow sequence", "while parsing a flow mapping"):
        brackets = ("[", "]") if "sequence" in context else ("{", "}")
        return _l("the “%(open)s” at line %(line)s, column %(column)s is not closed with "
                  "“%(close)s” before this point, or a comma is missing between its entries",
                  open=brackets[0], close=brackets[1], **opened)
    if problem.startswith("expected <block end>") and token in ("]", "}"):
        return _l("an extra “%(char)s”: it closes nothing", char=token)
    if problem.startswith("expected <block end>") and token in _INDENTED or \
            problem == "did not find expected key":
        return _l("this line is indented differently from the lines above it: the entries of "
                  "one list or mapping start in the same column (this part starts at line "
                  "%(line)s)", line=opened["line"])
    if problem == "did not find expected '-' indicator":
        return _l("this line is not an entry of the list above it: entries start with “- ” in "
                  "the same column")
    if problem.startswith("expected the node content"):
        return _l("a value is missing before “%(char)s”", char=token)
    if (tag := _TAG.search(problem)) and "constructor" in problem:
        return _l("tags such as “%(tag)s” are not allowed: write the value plainly",
                  tag=tag[1].replace("tag:yaml.org,2002:", "!!"))
    if context == _DOCUMENTS:
        return _l("more than one document (a line “---”): a file holds one item")
    return problem or context
