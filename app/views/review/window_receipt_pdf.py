"""The acknowledgement of receipt (受理回执) as an A4 PDF, set as the result documents are
(app.views.result_document_pdf: reportlab, STSong-Light, invariant bytes)."""
from __future__ import annotations

import io
from html import escape

from flask import Response
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.api.applications.files import content_disposition
from app.views.result_document_pdf import _styles
from app.views.review.window_receipt import Receipt


def _table(rows: list[tuple[str, str]], style) -> Table:
    table = Table([[Paragraph(escape(label), style), Paragraph(escape(value or ""), style)]
                   for label, value in rows], colWidths=(36 * mm, None), hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TEXTCOLOR", (0, 0), (0, -1), "#555555"),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#bbbbbb")]))
    return table


def receipt_pdf(receipt: Receipt) -> bytes:
    """Return the receipt as the bytes of an A4 PDF, labelled in the request's language."""
    styles = _styles()
    story: list = [Paragraph(escape(receipt.title), styles["title"]),
                   _table(receipt.facts, styles["fact"]), Spacer(1, 6 * mm),
                   Paragraph(escape(_("Materials received")), styles["h4"])]
    if receipt.materials:
        story.append(_table(receipt.materials, styles["fact"]))
    else:
        story.append(Paragraph(escape(_("No materials")), styles["body"]))
    story += [Spacer(1, 8 * mm), Paragraph(escape(_(
        "Keep this receipt. To ask about the application, quote its serial number or call "
        "%(phone)s.", phone=receipt.phone)), styles["note"])]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                      topMargin=28 * mm, bottomMargin=24 * mm, title=receipt.title,
                      creator="banshi", invariant=1).build(story)
    return buffer.getvalue()


def receipt_response(receipt: Receipt) -> Response:
    """Return the receipt as a PDF download named by its title and serial number (no-store)."""
    serial = receipt.application.serial or str(receipt.application.id)
    response = Response(receipt_pdf(receipt), mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(
        f"{receipt.title}-{serial}.pdf", "pdf")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
