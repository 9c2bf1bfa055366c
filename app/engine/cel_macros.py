"""How deeply an expression's macros nest: a bound on the work one evaluation can do.

Each level of ``all``/``exists``/``exists_one``/``map``/``filter`` multiplies the work by its
list's length, and the CEL package has no time limit to stop an evaluation: seven nested
``[0, …, 9].all(…)`` in a published condition took 2.8 s per answers save, each further level
ten times more. :func:`app.engine.cel.compile_expression` refuses more than
:data:`MAX_MACRO_DEPTH`.
"""
from __future__ import annotations

import re

_MACRO_OR_TEXT = re.compile(r"""\.\s*(?:all|exists|exists_one|map|filter)\s*\(|[()]|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'""")
#: How deep macros may nest (``rows.all(r, r.items.exists(i, …))`` is 2).
MAX_MACRO_DEPTH = 2


def macro_depth(source: str) -> int:
    """Return how deeply the macros of ``source`` nest (0 when it has none); text in quotes
    does not count."""
    open_macros: list[int] = []  # the parenthesis depth at which each open macro started
    depth = deepest = 0
    for token in _MACRO_OR_TEXT.findall(source):
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
            if open_macros and open_macros[-1] == depth:
                open_macros.pop()
        elif token[0] == ".":
            open_macros.append(depth)
            depth += 1
            deepest = max(deepest, len(open_macros))
    return deepest
