"""YAML reading that remembers where each mapping started, for ``path:line:`` messages.

Anchors may be set but aliases (``*name``) are refused: a few hundred bytes of nested aliases
expand to millions of nodes (a "billion laughs" file uploaded to the item designer took 13 s
to import and made an 8 MB export). Definitions never need them. They nest a dozen levels at
most; past :data:`MAX_DEPTH` a text is refused at the line where it goes deeper (PyYAML composes
recursively: a few hundred ``[`` raised RecursionError, a 500 in the designer's import).
"""
import yaml
from flask_babel import lazy_gettext as _l


class LineDict(dict):
    """A mapping from YAML that knows its 1-based line (``.line``) and each key's line."""

    line: int = 0
    key_lines: dict


MAX_DEPTH = 50


class _LineLoader(yaml.SafeLoader):
    depth = 0

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
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

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


def load_with_lines(text: str):
    """Parse YAML safely; mappings become :class:`LineDict`. Raises ``yaml.YAMLError``."""
    return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass


def line_of(node, key=None, default: int = 1) -> int:
    """Return the line of ``node`` (or of its ``key``), or ``default`` for plain values."""
    if isinstance(node, LineDict):
        if key is not None and key in node.key_lines:
            return node.key_lines[key]
        return node.line
    return default
