"""YAML reading that remembers where each mapping started, for ``path:line:`` messages.

Anchors may be set but aliases (``*name``) are refused: a few hundred bytes of nested aliases
expand to millions of nodes (a "billion laughs" file uploaded to the item designer took 13 s
to import and made an 8 MB export). Definitions never need them. They nest a dozen levels at
most; past :data:`MAX_DEPTH` a text is refused at the line where it goes deeper (PyYAML composes
recursively: a few hundred ``[`` raised RecursionError, a 500 in the designer's import).
"""
from typing import Optional

import yaml
from flask_babel import lazy_gettext as _l


class LineDict(dict):
    """A mapping from YAML that knows its 1-based line (``.line``) and each key's line."""

    line: int = 0
    key_lines: dict


MAX_DEPTH = 50


class ListTooLong(yaml.composer.ComposerError):
    """A list goes past its limit (``limits`` of :func:`load_with_lines`)."""


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
        mapping.key_lines = {
            self.construct_object(key, deep=deep): key.start_mark.line + 1
            for key, _ in node.value
        }
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


def syntax_message(error: yaml.YAMLError) -> Optional[str]:
    """Say a YAML syntax error (scanner or parser) in the page's language with its line and
    column, the parser's own words kept as the detail; None for any other error."""
    mark = getattr(error, "problem_mark", None)
    if mark is None or not isinstance(error, (yaml.scanner.ScannerError, yaml.parser.ParserError)):
        return None
    return str(_l("not valid YAML (line %(line)s, column %(column)s): %(problem)s",
                  line=mark.line + 1, column=mark.column + 1, problem=error.problem))
