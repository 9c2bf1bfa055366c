"""Problems found in a definition, each at the line of the key it is about (``path:line: …``).

Checks speak in *paths* — ``("pages", 0, "fields", 2, "visible_when")`` — because the
normalised definition has no lines; :func:`line_at` walks the same path through the
:class:`~app.yamlio.LineDict` tree the file was parsed into and finds the line.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Callable, Collection, Optional

from flask_babel import lazy_gettext as _l

from app.engine.schema_fields import REQUIRED, UnknownKey
from app.yamlio import LineDict

Path = tuple


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a definition file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def line_at(tree: Any, path: Path, default: int = 1) -> int:
    """Return the line of the deepest part of ``path`` present in ``tree``.

    A key that is missing counts as the mapping that should hold it; a plain (line-less)
    tree gives ``default``.
    """
    node, line = tree, tree.line if isinstance(tree, LineDict) else default
    for step in path:
        if isinstance(node, dict) and not isinstance(step, int) and step in node:
            if isinstance(node, LineDict):
                line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
            if isinstance(node, LineDict):
                line = node.line
        else:
            break
    return line


def _name(path: Path) -> Optional[str]:
    names = [step for step in path if isinstance(step, str)]
    return names[-1] if names else None


def unknown_key(key: Any, allowed: Collection[str], field_type: Optional[str] = None) -> Any:
    """Return the message for ``key`` where only ``allowed`` keys are taken, naming the
    closest of them when one is close (``aproval`` → did you mean "approval"?)."""
    close = difflib.get_close_matches(str(key), sorted(allowed), n=1, cutoff=0.6)
    if field_type is None and close:
        return _l('unknown key "%(key)s": did you mean "%(close)s"?', key=key, close=close[0])
    if field_type is None:
        return _l('unknown key "%(key)s"', key=key)
    if close:
        return _l('unknown key "%(key)s" for a field of type %(type)s: did you mean '
                  '"%(close)s"?', key=key, type=field_type, close=close[0])
    return _l('unknown key "%(key)s" for a field of type %(type)s', key=key, type=field_type)


def shape_message(path: Path, message: Any) -> str:
    """Turn a schema error at ``path`` into a sentence naming the key."""
    key = _name(path)
    if isinstance(message, UnknownKey):
        return str(unknown_key(key, message.allowed))
    if message is REQUIRED:
        return str(_l('"%(key)s" is required', key=key))
    if key is None:
        return str(message)
    return str(_l("%(key)s: %(message)s", key=key, message=message))


class Collector:
    """Gather problems of one file; ``locate`` maps a definition path to a path in the tree."""

    def __init__(self, path: str, tree: Any,
                 locate: Optional[Callable[[Path], Optional[Path]]] = None,
                 fallback: Optional[Path] = None):
        self.path, self.tree, self.locate, self.fallback = str(path), tree, locate, fallback
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []  # worth a look; they do not stop publishing
        self.blocking: list[Problem] = []  # also refuse a draft (see Checked.blocking)

    def line(self, path: Path) -> int:
        if self.locate is not None:
            located = self.locate(path)
            path = located if located is not None else (self.fallback or ())
        return line_at(self.tree, path)

    def add(self, path: Path, message: Any) -> None:
        self.problems.append(Problem(self.path, self.line(path), str(message)))

    def block(self, path: Path, message: Any) -> None:
        """Report a problem a draft cannot be kept with either (the designer could not show it)."""
        self.add(path, message)
        self.blocking.append(self.problems[-1])

    def warn(self, path: Path, message: Any) -> None:
        self.warnings.append(Problem(self.path, self.line(path), str(message)))

    def add_direct(self, path: Path, message: Any) -> None:
        """Report at a path of the file's own tree (not translated through ``locate``)."""
        self.problems.append(Problem(self.path, line_at(self.tree, path), str(message)))

    def add_at_line(self, line: int, message: Any) -> None:
        self.problems.append(Problem(self.path, line, str(message)))

    def sorted(self) -> list[Problem]:
        return sorted(set(self.problems), key=lambda p: (p.line, p.message))
