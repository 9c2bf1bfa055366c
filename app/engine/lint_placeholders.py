"""Lint of what the item designer leaves as placeholders: a field still as the designer made
it is not ready for citizens (its text, its only option, its only column)."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.engine.lint_rules import _list, _name, fields_of
from app.engine.problems import Collector

#: The text the designer gives a new page's introduction (``<page>_intro``, a page needs a field)
#: and a new display field until the administrator writes one. Lint recognises the text, not
#: the key: a renamed placeholder is still one, and an ``x_intro`` someone wrote is not.
PLACEHOLDER_TEXT = "……"
#: What the designer gives a new choice field (one option) and a new repeat (one text column)
#: so that they are valid at once; lint refuses either left exactly as given.
PLACEHOLDER_OPTIONS = ({"value": "1", "label": {"zh": "选项一", "en": "Option 1"}},)
PLACEHOLDER_REPEAT_FIELDS = ({"key": "item", "type": "text", "label": {"zh": "内容", "en": None}},)
_NOTHING = " \t\r\n\u3000…。.·"  # a text made of these alone says nothing


def is_placeholder(text: Any) -> bool:
    """Return True for a text that shows nothing: the designer's "……" (dots, blanks only)."""
    value = text.get("zh") if isinstance(text, dict) else text
    return isinstance(value, str) and not value.strip(_NOTHING)


def check_placeholders(definition: dict, c: Collector) -> None:
    """A field still as the designer made it — a display field showing the placeholder text,
    a choice with only the placeholder option, a repeat with only the placeholder column — is
    not ready for citizens."""
    pages = _list(definition.get("pages"))
    for path, field, group, page in fields_of(definition):
        where = {"number": page + 1, "page": pages[page].get("key"), "key": _name(field, group)}
        if field.get("type") == "display" and is_placeholder(field.get("text")):
            c.add(path + ("text",), _l('page %(number)s ("%(page)s"): "%(key)s" still shows '
                                       'the placeholder text "……"; write its text or delete it',
                                       **where))
        elif tuple(_list(field.get("options"))) == PLACEHOLDER_OPTIONS:
            c.add(path + ("options",), _l('page %(number)s ("%(page)s"): "%(key)s" still has '
                                          'only the placeholder option "选项一"; write its '
                                          "options", **where))
        elif (field.get("type") == "repeat"
              and tuple(_list(field.get("fields"))) == PLACEHOLDER_REPEAT_FIELDS):
            c.add(path + ("fields",), _l('page %(number)s ("%(page)s"): "%(key)s" still has '
                                         'only the placeholder column "内容"; add the columns '
                                         "its rows need", **where))
