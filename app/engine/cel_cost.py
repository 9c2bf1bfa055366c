"""What one evaluation of an expression may cost, estimated from its text before it is kept.

The CEL package (common-expression-language, a Rust interpreter) has no cost or time limit to
stop an evaluation, and it holds the interpreter lock while it runs: a published condition
``[0, …, 2999].all(a, [0, …, 2999].all(b, a + b >= 0))`` took 4-5 s on every answers save and
stalled other requests meanwhile. Expressions are checked when compiled
(:func:`app.engine.cel.compile_expression`), so lint, import, publish and the designer refuse
them, naming where they stand:

* at most :data:`MAX_CHARS` characters;
* at most :data:`MAX_LITERAL_ITEMS` items in all the list and map literals together;
* at most :data:`MAX_COST` estimated steps, where each token counts once, times the length of
  every literal list a surrounding ``all``/``exists``/``exists_one``/``map``/``filter`` runs
  over (so ``[…100 items].all(a, [… 100 items].all(b, a + b >= 0))`` is about 100 × 100 × 7).

A list check over *answers* (a repeating group's rows, a multiple choice) counts once when an
expression is compiled alone. Lint knows the fields (app.engine.lint_types) and counts it by
what may be kept: twice a repeating group's ``max_items`` rows, or without it twice the
setting ``FORMDEF_DEFAULT_MAX_ITEMS`` (app.engine.limits.max_items; more are not saved,
app.commands.applications.save), a multiple choice's twice ``max_selections``, else
:data:`ANSWER_ROWS`; ``rows.all(r, rows.all(s, r.x != s.x))`` over 2,000 rows took 6 s. Macros nest at most :data:`app.engine.cel_macros.MAX_MACRO_DEPTH` deep.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Mapping
from typing import Any, Optional

from flask_babel import lazy_gettext as _l

MAX_CHARS = 4000
MAX_LITERAL_ITEMS = 500
#: About 20 ms of evaluation (~0.2 µs a step, measured on the package's arithmetic).
MAX_COST = 100_000
#: How many items lint counts for another list answer without a limit (a multiple choice
#: without ``max_selections``, the registry's enrollments): twice the largest max_items.
ANSWER_ROWS = 2000

_TOKEN = re.compile(r"""
    (?P<text>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')
  | (?P<macro>\.\s*(?:all|exists_one|exists|map|filter)\s*\()
  | (?P<open>[\[{(])
  | (?P<close>[\]})])
  | (?P<comma>,)
  | (?P<word>[A-Za-z_][A-Za-z_0-9]*|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?[uU]?)
  | (?P<operator>[-+*/%<>=!&|?:.]+)
""", re.X)


@dataclass(frozen=True)
class Cost:
    literal_items: int
    steps: int
    ranges: tuple[int, ...]  # the lengths list checks run over (literals, answers' bounds)


@dataclass
class _Frame:
    kind: str  # "literal" ([…] or {…}), "group" (calls, indexes, parentheses) or "macro"
    items: int = 0
    filled: bool = False
    times: int = 1  # for a macro: the length of the literal it runs over (1 for answers)


def estimate(source: str, rows: Optional[Mapping[str, int]] = None) -> Cost:
    """Estimate the work one evaluation of ``source`` does (see the module's documentation).

    :param rows: how many items each list answer may hold, by variable; a list check over a
        variable not named here counts once.
    """
    frames: list[_Frame] = []
    literal_items = steps = 0
    last_literal, previous = 0, ""  # items of a literal just closed; the token before
    variable, before = None, ""  # the name just read, when it is a top-level variable
    ranges: list[int] = []
    multiplier = 1
    for found in _TOKEN.finditer(source):
        kind, token = found.lastgroup, found.group()
        closed = 0
        if frames and kind not in ("close", "comma"):
            frames[-1].filled = True
        if kind == "macro":
            times = (last_literal if previous == "literal"
                     else (rows or {}).get(variable, 1) if previous == "word" else 1)
            frames.append(_Frame("macro", times=max(times, 1)))
            multiplier *= frames[-1].times
            if times > 1:
                ranges.append(times)
        elif kind == "open":
            literal = token != "(" and previous not in ("word", "literal", "group")
            if token == "{" and previous == "word":
                literal = True  # a message literal Type{field: value}
            frames.append(_Frame("literal" if literal else "group"))
        elif kind == "comma" and frames:
            frames[-1].items += 1
        elif kind == "close" and frames:
            frame = frames.pop()
            if frame.kind == "macro":
                multiplier //= frame.times
            elif frame.kind == "literal":
                closed = frame.items + (1 if frame.filled else 0)
                literal_items += closed
        steps += multiplier
        variable = token if kind == "word" and before != "." else None
        before = token
        previous = ("literal" if closed else "group" if kind == "close"
                    else "operator" if token == "in" else "word" if kind == "word" else kind)
        last_literal = closed
    return Cost(literal_items, steps, tuple(ranges))


def refusal(source: str, rows: Optional[Mapping[str, int]] = None) -> Optional[Any]:
    """Return why ``source`` costs too much to evaluate on every save (lazy text), or None;
    ``rows`` as for :func:`estimate`."""
    shown = source if len(source) <= 120 else source[:117] + "…"
    if len(source) > MAX_CHARS:
        return _l("Expression is longer than %(max)d characters (expression: %(expression)s)",
                  max=MAX_CHARS, expression=shown)
    cost = estimate(source, rows)
    if cost.literal_items > MAX_LITERAL_ITEMS:
        return _l("Expression lists more than %(max)d values in its lists and maps "
                  "(%(count)d; expression: %(expression)s)",
                  max=MAX_LITERAL_ITEMS, count=cost.literal_items, expression=shown)
    if cost.steps > MAX_COST:
        return _l("Expression would take about %(steps)d steps on every save, more than "
                  "%(max)d: its list checks (all, exists, map, filter) run over lists of "
                  "%(sizes)s values (expression: %(expression)s)",
                  steps=cost.steps, max=MAX_COST,
                  sizes=" × ".join(map(str, cost.ranges)) or "1", expression=shown)
    return None
