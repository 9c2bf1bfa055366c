"""Where a definition reads a field, in the designer's words: a place that reads it is named by
its part and by the input that holds the expression — 显示条件（表达式）, 第1条规则 — as the
part's form labels it, never by its YAML key (``visible_when``, ``rules.0.check``)."""
from __future__ import annotations

import re
from typing import Iterable

from flask_babel import lazy_gettext as _l

_RULE = re.compile(r"rules\.(\d+)\.check")


def setting_words(setting: str) -> str:
    """Return the name of the input that holds an expression or a field reference."""
    from app.views.admin.item_inputs import SETTING_LABELS

    rule = _RULE.fullmatch(setting)
    if rule is not None:
        return str(_l("Rule %(number)s", number=int(rule[1]) + 1))
    return str(SETTING_LABELS.get(setting, setting))


def uses_in_words(uses: Iterable[tuple]) -> list[tuple[str, str, str]]:
    """Return (part, input, expression) for each (part, setting, expression) of
    :func:`app.engine.references.references_to`; the item's summary is one of its settings."""
    return [(str(_l("Item settings")) if setting == "summary" else where,
             setting_words(setting), source) for where, setting, source in uses]


def said(uses: Iterable[tuple]) -> str:
    """Return the places as one line: "part · input: expression; …"."""
    return str(_l("; ")).join(str(_l("%(part)s · %(input)s: %(source)s", part=where,
                                     input=setting, source=source))
                              for where, setting, source in uses_in_words(uses))
