"""YAML reading that remembers where each mapping started, for ``path:line:`` messages."""
import yaml


class LineDict(dict):
    """A mapping from YAML that knows its 1-based line (``.line``) and each key's line."""

    line: int = 0
    key_lines: dict


class _LineLoader(yaml.SafeLoader):
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
