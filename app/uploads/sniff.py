"""What a file is, judged from its bytes, and what it may be called.

Two opinions must agree with the extension: our own magic-number check (which container the
bytes are) and the ``filetype`` package's guess from the first 8 KiB. The checkers in
``images`` and ``documents`` then look inside the container (a zip is a .docx only if it holds
``word/document.xml``).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import filetype

SNIFF_BYTES = 8192
MAX_NAME_CHARS = 200
# Characters removed from a name shown to people: bidi overrides and isolates (U+202A–U+202E,
# U+2066–U+2069) and other format characters (Cf) and lone surrogates (Cs).
_REMOVED_CATEGORIES = frozenset({"Cf", "Cs"})
# Characters that break a name into lines or hide in it: controls incl. CR/LF/TAB (Cc), line and
# paragraph separators (Zl, Zp). A run of them becomes one space, so words stay apart.
_SPACED_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})
# How a multipart header carries a control character of a file name: browsers (the HTML
# standard) write LF and CR as %0A and %0D, urllib3 (Python clients) every C0 control as %XX.
# werkzeug turns only %22 back into a quote, so the rest would be kept as literal "%0D%0A".
_ESCAPED_CONTROL = re.compile(r"%[01][0-9A-Fa-f]")
_ZIP = "application/zip"
# filetype tells .doc/.xls/.ppt apart by which sector a writer put first, so it may call a
# .doc from another writer an .xls: for OLE files the stream names (documents.py) decide.
_OLE = frozenset({"application/msword", "application/vnd.ms-excel",
                  "application/vnd.ms-powerpoint", None})


@dataclass(frozen=True)
class Family:
    """A kind of material file: its extensions, stored type and the container it lives in."""

    name: str
    extensions: frozenset[str]
    content_type: str
    container: str
    # What the filetype package may call it; None: it may also not recognise it (it guesses
    # Office files from the first entries, which writers order differently).
    filetype_mimes: frozenset[str | None]


FAMILIES = {f.name: f for f in (
    Family("jpeg", frozenset({"jpg", "jpeg"}), "image/jpeg", "jpeg", frozenset({"image/jpeg"})),
    Family("png", frozenset({"png"}), "image/png", "png", frozenset({"image/png", "image/apng"})),
    Family("pdf", frozenset({"pdf"}), "application/pdf", "pdf", frozenset({"application/pdf"})),
    Family("docx", frozenset({"docx"}),
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "zip",
           frozenset({"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                      _ZIP, None})),
    Family("xlsx", frozenset({"xlsx"}),
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "zip",
           frozenset({"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      _ZIP, None})),
    Family("doc", frozenset({"doc"}), "application/msword", "ole", _OLE),
    Family("xls", frozenset({"xls"}), "application/vnd.ms-excel", "ole", _OLE),
)}
EXTENSIONS = {ext: family for family in FAMILIES.values() for ext in family.extensions}

_MAGIC = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
)


def container(data: bytes) -> str | None:
    """Return the container the bytes start as (jpeg, png, pdf, zip, ole), or None."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    return None


def agrees(data: bytes, family: Family) -> bool:
    """Whether our magic check and the filetype package both allow ``family`` for ``data``."""
    if container(data) != family.container:
        return False
    kind = filetype.guess(data[:SNIFF_BYTES])
    return (kind.mime if kind is not None else None) in family.filetype_mimes


def allowed_families(accept) -> dict[str, Family]:
    """Map each accepted extension (jpg and jpeg count as one) to its family."""
    families = {EXTENSIONS[e] for e in (str(a).lower().lstrip(".") for a in accept)
                if e in EXTENSIONS}
    return {ext: family for family in families for ext in family.extensions}


def unescape_name(filename: str) -> str:
    """Return an upload's name with its escaped controls (%0D%0A, %00) taken as the controls
    they stand for: what the request guard judges (a NUL is refused however it came)."""
    return _ESCAPED_CONTROL.sub(lambda m: chr(int(m.group()[1:], 16)), filename)


def display_name(filename: str) -> str:
    """Return an upload's name as stored and shown: :func:`unescape_name`, then
    :func:`clean_name`, ≤ 200 chars."""
    text = clean_name(unescape_name(filename))
    if len(text) > MAX_NAME_CHARS:
        stem, dot, ext = text.rpartition(".")
        if dot and stem and len(ext) <= 10:
            text = stem[:MAX_NAME_CHARS - len(ext) - 1].rstrip() + "." + ext
        else:
            text = text[:MAX_NAME_CHARS]
    return text


def clean_name(name: str) -> str:
    """Return ``name`` NFC, without bidi tricks, each run of controls or line breaks one space.

    Control characters are never useful in a name shown to people and could break a header or
    a log line (病历 CR LF X-Inj: 1.jpg); a space keeps the words around them apart.
    """
    text: list[str] = []
    for char in unicodedata.normalize("NFC", name):
        category = unicodedata.category(char)
        if category in _SPACED_CATEGORIES:
            if text and text[-1] != " ":
                text.append(" ")
        elif category not in _REMOVED_CATEGORIES:
            text.append(char)
    return "".join(text).strip()


def extension(name: str) -> str:
    """Return the part after the last dot, lower-cased ('' when there is none)."""
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot else ""
