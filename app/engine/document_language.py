"""The language(s) a result document is issued in, chosen by an answer, whatever the reader's.

    result_document:
      language: language        # the key of a select/radio question
      title: {zh: 参保缴费凭证, en: Certificate of enrollment}
      body: {zh: …, en: …}

The question's option values name the languages: ``zh``, ``en``, or both in their order
joined by ``_`` (``zh_en``: Chinese, then English; ``en_zh``). The document is then issued
in those languages alone — the printable page and the PDF alike, one full section per language
(title, body, the facts and the note), in the order named — while the page around it keeps the
reader's language. Unanswered, or without ``language``, it is issued in the reader's language.
Lint (:func:`check_language`) refuses a key that names no such question, an option value that
names no language, and a language the title or the body has no text in.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from flask_babel import lazy_gettext as _l

from app.engine.problems import Collector

#: The languages definitions carry (app.engine.fields.EngineContext.lang).
LANGUAGES = ("zh", "en")
CHOICE_TYPES = frozenset({"select", "radio"})


def languages_named(value: Any) -> Optional[tuple[str, ...]]:
    """Return the languages an option value names (``zh_en`` → zh, en), or None for none."""
    if not isinstance(value, str) or not value:
        return None
    parts = tuple(value.split("_"))
    if len(set(parts)) != len(parts) or any(part not in LANGUAGES for part in parts):
        return None
    return parts


def document_languages(document: Mapping, answers: Mapping) -> Optional[tuple[str, ...]]:
    """Return the languages ``document`` is issued in for ``answers``; None: the reader's."""
    key = document.get("language")
    if not isinstance(key, str):
        return None
    return languages_named(answers.get(key))


def _has_text(value: Any, language: str) -> bool:
    if isinstance(value, Mapping):
        return isinstance(value.get(language), str) and bool(value[language].strip())
    return language == "zh" and isinstance(value, str) and bool(value.strip())


def check_language(document: Mapping, fields: Mapping[str, Any], c: Collector) -> None:
    """Report a ``language`` that names no choice question of language codes, or a language
    the document has no title or body in (``fields``: the questions outside repeating groups)."""
    key = document.get("language")
    if key is None:
        return
    path = ("result_document", "language")
    field = fields.get(key) if isinstance(key, str) else None
    if not isinstance(field, Mapping) or field.get("type") not in CHOICE_TYPES:
        c.add(path, _l('result_document: language "%(key)s" names no select or radio question '
                       "of the item (outside a repeating group); its options choose the "
                       "document's languages", key=key))
        return
    named: dict[str, None] = {}
    for option in field.get("options") or ():
        value = option.get("value") if isinstance(option, Mapping) else option
        languages = languages_named(value)
        if languages is None:
            c.add(path, _l('result_document: option "%(value)s" of "%(key)s" names no document '
                           "language; write zh, en, or both in order joined by _ (zh_en)",
                           value=value, key=key))
            continue
        named.update(dict.fromkeys(languages))
    for language in named:
        for part in ("title", "body"):
            if not _has_text(document.get(part), language):
                c.add(("result_document", part), _l(
                    'result_document: "%(key)s" may choose %(language)s, and the %(part)s has '
                    "no text in it: write it as {zh: …, en: …}", key=key, language=language,
                    part=part))
