"""The document an approved application delivers (its item's ``result_document``), filled in.

    document = result_document(application, ctx)   # None: not approved, or the item issues none
    document.title, document.html, document.serial, document.agency, document.issued_on

Shared by the citizen's printable page (/my/applications/<id>/document) and the API
(GET /api/v1/applications/<id>/document); who may see it is the caller's lookup's business
(the owner on the web, the owner and staff in scope through the API). Values read as lists
show them (:func:`~app.views.citizen.answer_display.show_value`, personal identifiers masked:
app.engine.masked), since a document is handed on; the subject's ID number is masked too. The
registry's facts kept at approval (app.workflow.document_facts) read the same way: codes by
their names, the region by its full name, dates in the document's language. It is issued in
the languages the answers choose (app.engine.document_language: one part each, in order), else
in the reader's.
The issuing agency is the medical insurance bureau of the region that decided the last step
(app.views.document_agency); the date is the day the application closed (China time). The
body is rendered by :func:`app.engine.documents.render_document`: answers go in escaped.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Optional

from flask_babel import force_locale, gettext as _
from markupsafe import Markup

from app.commands.applications.context import subject_id_number
from app.engine.document_language import document_languages
from app.engine.documents import render_document, render_text
from app.engine.fields import EngineContext
from app.validators import mask_id_number
from app.workflow.document_facts import FACTS
from app.views.citizen.answer_display import LOCAL, local_date, show_value
from app.views.document_agency import agency_name, issuing_region


@dataclass(frozen=True)
class DocumentPart:
    """The document in one language: its title, body, facts and their labels."""

    language: str
    title: str
    html: Markup
    agency: str
    issued_on: str  # the date as this language writes it
    item: str
    labels: dict  # service_item, serial, issued_by, date_of_issue, verify


@dataclass(frozen=True)
class ResultDocument:
    """A filled-in result document: what the printable page and the API show; ``parts``: one
    per language it is issued in (app.engine.document_language), in order."""

    title: str
    html: Markup
    serial: Optional[str]
    agency: str
    issued_on: Optional[dt.date]
    item: str
    parts: tuple[DocumentPart, ...] = ()


def _values(application: Any, definition: dict, ctx: EngineContext,
            issuer: str) -> dict[str, str]:
    applicant = getattr(application, "applicant", None)
    values = {
        "item": ctx.text(definition.get("name")) or "",
        "serial": application.serial or "",
        "approved_on": local_date(application.closed_at) if application.closed_at else "",
        "agency": agency_name(issuer),
        "person.name": application.subject_name or getattr(applicant, "real_name", "") or "",
        "person.id_number": mask_id_number(subject_id_number(application) or ""),
    }
    answers = application.answers or {}
    values.update(_registry_values(answers.get(FACTS), ctx))
    for page in definition.get("pages", ()):
        for field in page.get("fields", ()):
            value = answers.get(field["key"])
            if value not in (None, "", []):
                values[f"answers.{field['key']}"] = show_value(field, value, ctx, mask=True)
    return values


#: How each kept enrollment fact reads (app.workflow.document_facts): as a question would.
_SHOWN_AS = {"insutype": {"type": "dictionary", "dictionary": "insutype"},
             "status": {"type": "dictionary", "dictionary": "psn_insu_stas"},
             "psn_type": {"type": "dictionary", "dictionary": "psn_type"},
             "region": {"type": "region"}, "employer_name": {"type": "text"},
             "start_date": {"type": "date"}, "end_date": {"type": "date"}}


def _registry_values(facts: Any, ctx: EngineContext) -> dict[str, str]:
    """Return the ``registry.*`` and ``enrollment.*`` placeholders' values (none kept: none)."""
    if not isinstance(facts, dict):
        return {}
    number = facts.get("id_number") or ""
    values = {"registry.name": facts.get("name") or "",
              "registry.id_number": mask_id_number(number) if number else "",
              "registry.id_number_full": number}
    enrollment = facts.get("enrollment")
    if isinstance(enrollment, dict):
        for key, field in _SHOWN_AS.items():
            values[f"enrollment.{key}"] = show_value(field, enrollment.get(key), ctx)
        start, end = values["enrollment.start_date"], values["enrollment.end_date"]
        values["enrollment.period"] = (_("%(start)s to %(end)s", start=start, end=end) if end
                                       else _("%(start)s to date", start=start))
    return values


def _labels() -> dict:
    return {"service_item": _("Service item"), "serial": _("Serial number"),
            "issued_by": _("Issued by"), "date_of_issue": _("Date of issue"),
            "verify": _("To verify this document, quote its serial number to the issuing "
                        "agency.")}


def _part(application: Any, definition: dict, ctx: EngineContext, issuer: str,
          language: str) -> DocumentPart:
    """Return the document in ``language``: its values, labels and dates in that language."""
    document = definition["result_document"]
    with force_locale(language):
        here = replace(ctx, locale=language, _entries={})
        values = _values(application, definition, here, issuer)
        return DocumentPart(
            language=language, title=render_text(here.text(document.get("title")) or "", values),
            html=render_document(here.text(document.get("body")) or "", values),
            agency=values["agency"], issued_on=values["approved_on"], item=values["item"],
            labels=_labels())


def result_document(application: Any, ctx: EngineContext) -> Optional[ResultDocument]:
    """Return the document ``application`` delivers, or None (not approved, or none issued):
    in the languages its answers choose, else in the reader's."""
    definition = application.version.definition if application.version is not None else {}
    document = definition.get("result_document")
    if application.status != "approved" or not document:
        return None
    languages = document_languages(document, application.answers or {}) or (ctx.lang,)
    issuer = issuing_region(application)
    parts = tuple(_part(application, definition, ctx, issuer, language)
                  for language in languages)
    closed = application.closed_at
    html = parts[0].html if len(parts) == 1 else Markup("").join(
        Markup('<section lang="%s">%s</section>') % (part.language, part.html)
        for part in parts)
    return ResultDocument(
        title=" / ".join(part.title for part in parts), html=html, serial=application.serial,
        agency=" / ".join(part.agency for part in parts),
        issued_on=closed.astimezone(LOCAL).date() if closed else None, item=parts[0].item,
        parts=parts)
