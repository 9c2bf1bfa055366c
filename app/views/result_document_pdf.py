"""A result document as a PDF file: what the printable page shows, for clients that cannot print
a web page (mini-programs, apps) and citizens who keep or forward the file.

    data = document_pdf(document)      # bytes of an A4 PDF, in the request's language
    return pdf_response(document)      # the same as a download (web pages and the API)

Rendered with reportlab. The body is the document's sanitised HTML (:mod:`app.engine.documents`:
only the tags of :data:`app.engine.markdown.ALLOWED_TAGS`, answers already escaped); each block
becomes a paragraph and each inline tag reportlab's own markup, every text escaped again for
reportlab's parser, so an answer reads in the PDF as it was typed. Chinese is set in Adobe's
STSong-Light, a CID font every PDF reader carries (nothing is embedded, the file stays small);
it has no bold face, so ``strong`` text is set in the same face. The file is invariant: the same
document gives the same bytes (its creation date is the day of issue; no random id).
"""
from __future__ import annotations

import datetime as dt
import io
from html import escape
from html.parser import HTMLParser
from typing import Optional

from flask import Response
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import TimeStamp
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (HRFlowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer,
                                Table)
from reportlab.platypus import TableStyle

from app.api.applications.files import content_disposition
from app.views.result_document import DocumentPart, ResultDocument

FONT = "STSong-Light"
_BLOCKS = {"p": "body", "h3": "h3", "h4": "h4", "h5": "h5", "h6": "h5", "pre": "pre"}
_INLINE = {"strong": "<b>", "em": "<i>", "code": '<font face="Courier">'}
_CLOSE = {"strong": "</b>", "em": "</i>", "code": "</font>"}


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    base = ParagraphStyle("body", fontName=font, fontSize=11.5, leading=19, wordWrap="CJK",
                          spaceAfter=6)
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=28,
                                alignment=TA_CENTER, spaceAfter=14),
        "body": base,
        "h3": ParagraphStyle("h3", parent=base, fontSize=14, leading=21, spaceBefore=6),
        "h4": ParagraphStyle("h4", parent=base, fontSize=13, leading=20, spaceBefore=4),
        "h5": ParagraphStyle("h5", parent=base, fontSize=12, leading=19, spaceBefore=4),
        "pre": ParagraphStyle("pre", parent=base, fontSize=10, leading=15, leftIndent=6 * mm),
        "item": ParagraphStyle("item", parent=base, leftIndent=8 * mm, bulletIndent=3 * mm,
                               bulletFontName=font, spaceAfter=2),
        "quote": ParagraphStyle("quote", parent=base, leftIndent=8 * mm, textColor="#444444"),
        "fact": ParagraphStyle("fact", parent=base, fontSize=10.5, leading=16, spaceAfter=0),
        "note": ParagraphStyle("note", parent=base, fontSize=9.5, leading=14,
                               textColor="#555555"),
    }


class _Blocks(HTMLParser):
    """Turn the body's sanitised HTML into blocks: (style, reportlab markup, bullet, depth)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str, Optional[str], int]] = []
        self._text: list[str] = []
        self._style: Optional[str] = None
        self._lists: list[list] = []  # per open list: [tag, next number]
        self._bullet: Optional[str] = None  # the open item's, until its first paragraph
        self._links: list[bool] = []  # per open <a>: whether it became a link
        self._quote = 0
        self._pre = False

    def _flush(self) -> None:
        text = "".join(self._text).strip()
        self._text = []
        if not text:
            return
        depth = len(self._lists)
        if depth:
            style = "item"
        elif self._quote and self._style in (None, "body"):
            style = "quote"
        else:
            style = self._style or "body"
        self.blocks.append((style, text, self._bullet if depth else None, depth))
        self._bullet = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("ul", "ol"):
            self._flush()
            start = attributes.get("start") or "1"
            self._lists.append([tag, int(start) if start.isdigit() else 1])
        elif tag == "li":
            self._flush()
            if self._lists:
                kind = self._lists[-1]
                self._bullet = "•" if kind[0] == "ul" else f"{kind[1]}."
                kind[1] += 1
        elif tag in _BLOCKS:
            self._flush()
            self._style, self._pre = _BLOCKS[tag], tag == "pre"
        elif tag == "blockquote":
            self._flush()
            self._quote += 1
        elif tag == "br":
            self._text.append("<br/>")
        elif tag == "hr":
            self._flush()
            self.blocks.append(("hr", "", None, 0))
        elif tag in _INLINE:
            self._text.append(_INLINE[tag])
        elif tag == "a":
            href = attributes.get("href")
            self._links.append(bool(href))
            if href:
                self._text.append(f'<a href="{escape(href)}" color="#1a4f8b">')

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            self._flush()
            if self._lists:
                self._lists.pop()
        elif tag in _BLOCKS or tag == "li":
            self._flush()
            self._style, self._pre = None, False
        elif tag == "blockquote":
            self._flush()
            self._quote = max(0, self._quote - 1)
        elif tag in _CLOSE:
            self._text.append(_CLOSE[tag])
        elif tag == "a" and self._links and self._links.pop():
            self._text.append("</a>")

    def handle_data(self, data):
        text = escape(data, quote=False)
        if self._pre:
            text = text.replace("\n", "<br/>")
        self._text.append(text)

    def close(self):
        super().close()
        self._flush()


def body_blocks(html: str) -> list[tuple[str, str, Optional[str], int]]:
    """Return the body's blocks: (style name, reportlab markup, bullet or None, list depth)."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    return parser.blocks


def _facts(part: DocumentPart, serial: Optional[str], style: ParagraphStyle) -> Table:
    labels = part.labels
    rows = [(labels["service_item"], part.item)]
    if serial:
        rows.append((labels["serial"], serial))
    rows.append((labels["issued_by"], part.agency))
    if part.issued_on:
        rows.append((labels["date_of_issue"], part.issued_on))
    table = Table([[Paragraph(escape(label), style), Paragraph(escape(value or ""), style)]
                   for label, value in rows], colWidths=(32 * mm, None), hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TEXTCOLOR", (0, 0), (0, -1), "#555555"),
                               ("LINEABOVE", (0, 0), (-1, 0), 0.5, "#999999")]))
    return table


def _part_story(part: DocumentPart, serial: Optional[str], styles: dict) -> list:
    """Return the flowables of the document in one language: title, body, facts, note."""
    story: list = [Paragraph(escape(part.title), styles["title"])]
    for style, markup, bullet, depth in body_blocks(str(part.html)):
        if style == "hr":
            story.append(HRFlowable(width="100%", thickness=0.5, color="#999999",
                                    spaceBefore=4, spaceAfter=8))
            continue
        look = styles[style]
        if depth > 1:  # a nested list's items stand further in
            look = ParagraphStyle(f"item{depth}", parent=look, leftIndent=8 * mm * depth,
                                  bulletIndent=8 * mm * depth - 5 * mm)
        story.append(Paragraph(markup, look, bulletText=bullet))
    return story + [Spacer(1, 10 * mm), _facts(part, serial, styles["fact"]),
                    Spacer(1, 6 * mm), Paragraph(escape(part.labels["verify"]), styles["note"])]


def _issue_stamp(day: Optional[dt.date]) -> TimeStamp:
    """Return the PDF's creation time: midnight of the day of issue, China time (a fixed
    time when there is none), so the same document keeps the same bytes."""
    stamp = TimeStamp(1)
    if day is not None:
        moment = dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone(dt.timedelta(hours=8)))
        stamp.t = moment.timestamp()
        stamp.lt = stamp.YMDhms = moment.timetuple()[:6]
        stamp.dhh, stamp.dmm, stamp.tzname = 8, 0, "CST"
    return stamp


def document_pdf(document: ResultDocument) -> bytes:
    """Return ``document`` as the bytes of an A4 PDF: one part per language it is issued in,
    each on its own page and labelled in its language."""
    styles = _styles()
    story: list = []
    for index, part in enumerate(document.parts):
        if index:
            story.append(PageBreak())
        story += _part_story(part, document.serial, styles)
    buffer = io.BytesIO()
    footer, stamp = document.serial or "", _issue_stamp(document.issued_on)

    def page(canvas, doc):
        canvas._doc._timeStamp = stamp  # CreationDate: the day of issue, still invariant
        canvas.saveState()
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor("#777777")
        canvas.drawString(doc.leftMargin, 12 * mm, footer)
        canvas.drawRightString(A4[0] - doc.rightMargin, 12 * mm, str(doc.page))
        canvas.restoreState()

    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                      topMargin=28 * mm, bottomMargin=24 * mm, title=document.title,
                      author=document.agency, subject=document.item, creator="banshi",
                      invariant=1).build(story, onFirstPage=page, onLaterPages=page)
    return buffer.getvalue()


def pdf_response(document: ResultDocument) -> Response:
    """Return ``document`` as a PDF download named by its title and serial number.

    Not cached anywhere (it holds personal data); the type is the server's, never sniffed.
    """
    title = document.parts[0].title if document.parts else document.title  # no " / "
    name = "-".join(part for part in (title, document.serial) if part) + ".pdf"
    response = Response(document_pdf(document), mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(name, "pdf")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
