"""An item's ``result_document``: the document the citizen receives when the application is
approved (出具参保凭证's certificate …), written in the definition as a title and a Markdown body
with placeholders.

    result_document:
      title: {zh: 参保缴费凭证, en: Certificate of enrollment}
      body: |
        兹证明 **{{person.name}}**（证件号码 {{person.id_number}}）参加{{answers.insutype}}……

Placeholders are the one strict form ``{{name}}`` (blanks inside allowed): :data:`FIXED` names,
the registry's facts (:data:`REGISTRY_FACTS`; :data:`ENROLLMENT_FACTS` of the enrollment the
document's ``enrollment`` condition picks), kept when the application is approved
(:mod:`app.workflow.document_facts`), and ``answers.<key>`` of a question outside a repeating
group that has a short answer. No expressions, filters or template code: anything else between
``{{`` and ``}}`` — or a ``{{`` never closed — is a lint problem at its line
(:func:`check_result_document`). A sentence or paragraphs may be shown only when an answer or
fact has a value, or only when it has none: ``{{if answers.period}} … {{end}}``, ``{{if not
answers.period}} … {{end}}`` (not nested; the name is checked as a placeholder's).

:func:`render_document` renders the body with the project's Markdown renderer
(:mod:`app.engine.markdown`) *before* the values go in: each placeholder becomes an inert token,
the Markdown is rendered and sanitised, then each token is replaced by its value HTML-escaped
and the result is sanitised again, so an answer such as ``[x](javascript:…)`` or ``<script>``
reads as the text typed and can neither add Markdown nor markup.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from typing import Any, Optional

import nh3
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.engine.document_language import check_language
from app.engine.lint_document_facts import placed_line, warn_unchecked_answers
from app.engine.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, render_markdown
from app.engine.problems import Collector

#: The placeholders every document may use, with what each holds (docs/engine.md).
FIXED = ("item", "serial", "approved_on", "agency", "person.name", "person.id_number")
#: The subject as the person registry held them at approval (ID number masked, or in full).
REGISTRY_FACTS = ("registry.name", "registry.id_number", "registry.id_number_full")
#: The enrollment ``result_document.enrollment`` picked at approval: names of its codes, its
#: region's full name, its dates and both as one period ("2012年3月1日至2016年4月30日").
ENROLLMENT_FACTS = ("enrollment.insutype", "enrollment.region", "enrollment.status",
                    "enrollment.psn_type", "enrollment.employer_name", "enrollment.start_date",
                    "enrollment.end_date", "enrollment.period")
_BRACES = re.compile(r"\{\{([^{}]*)\}\}")
_NAME = re.compile(r"\s*([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)\s*")
_IF = re.compile(r"\s*if\s+(not\s+)?([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)\s*")
_END = re.compile(r"\s*end\s*")
_BLOCK = re.compile(r"\{\{\s*if\s+(not\s+)?([a-z][a-z0-9_.]*)\s*\}\}(.*?)\{\{\s*end\s*\}\}",
                    re.DOTALL)
#: Types whose answer is no short value to write into a sentence (as for ``summary``).
NOT_INLINE = frozenset({"repeat", "signature"})


def placeholders(text: str) -> tuple[list[str], list[str]]:
    """Return the names of ``text``'s placeholders and conditions, and the malformed ones (and
    a block's ``{{if …}}`` or ``{{end}}`` that opens or closes none), as written."""
    names, bad, opened = [], [], None
    for match in _BRACES.finditer(text):
        name, condition = _NAME.fullmatch(match.group(1)), _IF.fullmatch(match.group(1))
        if condition:
            names.append(condition.group(2))
            if opened is not None:
                bad.append(match.group(0))  # blocks do not nest
            opened = match.group(0)
        elif _END.fullmatch(match.group(1)):
            if opened is None:
                bad.append(match.group(0))
            opened = None
        else:
            (names.append(name.group(1)) if name else bad.append(match.group(0)))
    if opened is not None:
        bad.append(opened)
    rest = _BRACES.sub("", text)
    if "{{" in rest or "}}" in rest:
        bad.append("{{" if "{{" in rest else "}}")
    return names, bad


def _answer_keys(definition: Mapping) -> dict:
    """Return the questions outside repeating groups, by key (the ones a document may name)."""
    return {field.get("key"): field for page in definition.get("pages") or ()
            if isinstance(page, dict) for field in page.get("fields") or ()
            if isinstance(field, dict)}


def _texts(value: Any, path: tuple):
    if isinstance(value, dict):
        for lang in ("zh", "en"):
            if isinstance(value.get(lang), str):
                yield path + (lang,), value[lang]
    elif isinstance(value, str):
        yield path, value


def check_result_document(definition: dict, c: Collector) -> None:
    """Report every placeholder of ``result_document`` that is malformed or names nothing."""
    document = definition.get("result_document")
    if not isinstance(document, dict):
        return
    from app.engine.fields import REGISTRY  # the other half of the engine

    fields = _answer_keys(definition)
    texts = []
    for part in ("title", "body"):
        for path, text in _texts(document.get(part), ("result_document", part)):
            names, bad = placeholders(text)
            texts.append((path, text, names))
            for written in bad:
                c.add_at_line(placed_line(c, path, text, written), _l(
                    'result_document: "%(text)s" opens or closes no block; write '
                    "{{if name}} … {{end}} or {{if not name}} … {{end}}, one block at a time",
                    text=written) if _IF.fullmatch(written[2:-2]) or _END.fullmatch(
                        written[2:-2]) else _l(
                    'result_document: "%(text)s" is no placeholder; write one as '
                    "{{name}}, e.g. {{serial}} or {{answers.key}}", text=written))
            for name in names:
                message = _unknown(name, fields, REGISTRY, document)
                if message is not None:
                    c.add_at_line(placed_line(c, path, text, name), message)
    check_language(document, fields, c)
    warn_unchecked_answers(definition, fields, texts, c)


def _unknown(name: str, fields: Mapping, registry: Mapping, document: Mapping
             ) -> Optional[Any]:
    """Return why placeholder ``name`` names nothing a document can show, or None."""
    if name in FIXED or name in REGISTRY_FACTS:
        return None
    if name in ENROLLMENT_FACTS:
        return None if document.get("enrollment") else _l(
            'result_document: "{{%(name)s}}" prints the enrollment that "enrollment" picks, '
            'and the document has no "enrollment": add the condition one of '
            "person.enrollments (e) must meet", name=name)
    if not name.startswith("answers."):
        return _l('result_document: unknown placeholder "{{%(name)s}}"; use %(names)s or '
                  "answers.<question key>", name=name,
                  names=", ".join(FIXED + REGISTRY_FACTS + ENROLLMENT_FACTS))
    key = name.split(".", 1)[1]
    field = fields.get(key)
    if field is None:
        return _l('result_document: "{{%(name)s}}" names no question of the item (outside a '
                  "repeating group)", name=name)
    ftype = registry.get(field.get("type"))
    if ftype is not None and (field.get("type") in NOT_INLINE or not ftype.has_answer
                              or ftype.table is not None):
        return _l('result_document: "{{%(name)s}}" is a %(type)s question, which has no short '
                  "value to write into the text", name=name, type=field.get("type"))
    return None


def _clean(html: str) -> Markup:
    return Markup(nh3.clean(html, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES,
                            url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer nofollow"))


def shown_blocks(text: str, values: Mapping[str, str]) -> str:
    """Return ``text`` with each ``{{if name}} … {{end}}`` block kept when ``name`` has a value
    (``{{if not name}}``: when it has none) and left out otherwise, its markers removed."""
    def block(match: re.Match) -> str:
        filled = bool(str(values.get(match.group(2), "")).strip())
        return match.group(3) if filled != bool(match.group(1)) else ""

    return _BLOCK.sub(block, text)


def render_text(text: str, values: Mapping[str, str]) -> str:
    """Return ``text`` (a title) with its placeholders replaced: plain text, to be escaped."""
    return _BRACES.sub(lambda m: _value(m, values), shown_blocks(text, values))


def _value(match: re.Match, values: Mapping[str, str]) -> str:
    name = _NAME.fullmatch(match.group(1))
    return str(values.get(name.group(1), "")) if name else ""


def render_document(body: str, values: Mapping[str, str]) -> Markup:
    """Return the body as sanitised HTML with each placeholder's value, escaped, in its place."""
    nonce = secrets.token_hex(6)
    found: list[str] = []

    def token(match: re.Match) -> str:
        found.append(_value(match, values))
        return f"zq{nonce}x{len(found) - 1}xq"

    html = str(render_markdown(_BRACES.sub(token, shown_blocks(body, values))))
    html = re.sub(rf"zq{nonce}x(\d+)xq", lambda m: str(escape(found[int(m.group(1))])), html)
    return _clean(html)
