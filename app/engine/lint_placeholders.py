"""Lint of what the item designer leaves unfinished: a page with no fields yet, and a field still
as the designer made it (its text, its only option, its only column), are not ready for citizens.
A draft keeps either; publishing waits until it is done."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.engine.lint_rules import _list, _name, fields_of
from app.engine.problems import Collector

#: The text the designer gives a new display field until the administrator writes one (and gave
#: a new page's introduction, ``<page>_intro``, before a draft could hold an empty page). Lint
#: recognises the text, not the key: a renamed placeholder is still one, and an ``x_intro``
#: someone wrote is not.
PLACEHOLDER_TEXT = "……"
#: What the designer once gave a new choice field (one option) and a new repeat (one text
#: column) so that they were valid at once; lint refuses either left exactly as given in a draft.
PLACEHOLDER_OPTIONS = ({"value": "1", "label": {"zh": "选项一", "en": "Option 1"}},)
PLACEHOLDER_REPEAT_FIELDS = ({"key": "item", "type": "text", "label": {"zh": "内容", "en": None}},)
_NOTHING = " \t\r\n\u3000…。.·"  # a text made of these alone says nothing


def is_placeholder(text: Any) -> bool:
    """Return True for a text that shows nothing: the designer's "……" (dots, blanks only)."""
    value = text.get("zh") if isinstance(text, dict) else text
    return isinstance(value, str) and not value.strip(_NOTHING)


def check_empty_pages(definition: dict, c: Collector) -> None:
    """A page with no fields yet (the designer adds a page before its first field) cannot be
    published; a draft keeps it (an empty repeat has lint_rules' own message)."""
    for index, page in enumerate(_list(definition.get("pages"))):
        if not _list(page.get("fields")):
            c.add(("pages", index, "fields") if "fields" in page else ("pages", index), _l(
                'page %(number)s ("%(page)s") has no fields yet; add its first field or delete '
                "the page", number=index + 1, page=page.get("key")))


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
