"""No text of a definition may hold a control character (lint, at the line of its key).

YAML's escapes (``"\\0"``, ``"\\x07"``) and JSON's (``"\\u0000"``) write NUL and the other C0
control characters into a text that the request guard (app.request_guard) never sees, since
the body holds only the backslash. PostgreSQL cannot store a NUL in a JSON value, and the
others are invisible on a page. Tab and line breaks are text in a value (a notice's body may
run over lines); a key, a name the definition is read by, holds none at all.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from flask_babel import lazy_gettext as _l

from app.engine.problems import Collector

#: NUL and the C0 controls but tab, line feed and carriage return (as app.request_guard).
IN_VALUE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
IN_KEY = re.compile(r"[\x00-\x1f]")


def _found(pattern: re.Pattern, text: Any) -> Optional[str]:
    """Return the first control character of ``text`` as U+XXXX, else None."""
    match = pattern.search(text) if isinstance(text, str) else None
    return f"U+{ord(match.group()):04X}" if match else None


def check_characters(tree: Any, c: Collector) -> None:
    """Report (as blocking) each key or text holding a control character, at its line."""
    pending: list[tuple[tuple, Any]] = [((), tree)]
    while pending:  # iterative: as deep as reading allowed, without recursion
        path, node = pending.pop()
        if isinstance(node, dict):
            items = list(node.items())
        elif isinstance(node, list):
            items = list(enumerate(node))
        else:
            continue
        for key, value in reversed(items):
            name = next((step for step in reversed(path + (key,)) if isinstance(step, str)),
                        "")
            if (char := _found(IN_KEY, key)) is not None:
                c.block(path + (key,), _l('the key "%(key)s" holds a control character '
                                          "(%(char)s): remove it",
                                          key=IN_KEY.sub("?", key), char=char))
            elif (char := _found(IN_VALUE, value)) is not None:
                c.block(path + (key,), _l('"%(key)s" holds a control character (%(char)s), '
                                          "which a definition may not hold: remove it",
                                          key=IN_KEY.sub("?", name), char=char))
            pending.append((path + (key,), value))
