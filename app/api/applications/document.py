"""GET /api/v1/applications/<id>/document: the document an approved application delivers.

The reply carries what the citizen's printable page shows (app.views.result_document): the
title, the body as sanitised HTML, the serial number, the issuing agency and the date;
``/document.pdf`` sends the same as a PDF file (app.views.result_document_pdf). The caller's
lookup (owner or staff in scope) is the endpoint's; an application without a document — not
approved, or its item issues none — is a 404 with its own message.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from app.commands.applications.errors import ApplicationError
from app.engine.fields import EngineContext
from app.models.application import Application
from app.views.result_document import ResultDocument, result_document
from app.views.result_document_pdf import pdf_response  # noqa: F401 (the API's PDF reply)


class DocumentNotIssuedError(ApplicationError):
    """The application exists for the caller but has no document (yet)."""

    status_code = 404
    default_message = _l("This application has no document: its item issues none, or it has "
                         "not been approved.")


class DocumentSchema(Schema):
    """The document issued on approval (an item's ``result_document``, filled in)."""

    title = fields.String(required=True, metadata={
        "description": "The document's title; issued in two languages, both joined by \" / \""})
    html = fields.String(required=True, metadata={
        "description": "The body as sanitised HTML (p, strong, em, lists, links …): answers "
                       "escaped, ID numbers, mobiles and bank accounts masked; issued in two "
                       "languages, one <section lang=\"…\"> each, in order"})
    serial = fields.String(allow_none=True, metadata={
        "description": "The application's serial number: quote it to verify the document"})
    agency = fields.String(required=True, metadata={
        "description": "The issuing agency: the medical insurance bureau of the region that "
                       "decided the last step (both names when issued in two languages)"})
    issued_on = fields.Date(allow_none=True, metadata={
        "description": "The day of approval (China time)"})
    item = fields.String(required=True, metadata={"description": "The service item's name"})


def document_reply(application: Application, ctx: EngineContext) -> dict:
    """Return the reply for ``application``'s document; DocumentNotIssuedError without one."""
    document = issued(application, ctx)
    return {"title": document.title, "html": str(document.html), "serial": document.serial,
            "agency": document.agency, "item": document.item,
            "issued_on": document.issued_on.isoformat() if document.issued_on else None}


def issued(application: Application, ctx: EngineContext) -> ResultDocument:
    """Return ``application``'s document; DocumentNotIssuedError without one."""
    document = result_document(application, ctx)
    if document is None:
        raise DocumentNotIssuedError()
    return document
