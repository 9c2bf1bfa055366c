"""Checking an uploaded material file before anything is stored (SECURITY_TESTS.md C1–C6).

    checked = check_upload(file_storage.stream, file_storage.filename,
                           accept=material["accept"], max_bytes=material_limit)
    key = get_storage().save(checked.data)   # checked.sha256 is the hash of exactly these bytes

``check_upload`` reads at most ``max_bytes + 1`` bytes, requires the extension to be accepted
AND the content to be that type, then looks inside: images are decoded under a pixel budget and
re-encoded without metadata; PDFs, Office zips and OLE files are refused when they carry active
content (scripts, macros, launch actions, attachments, external templates) or would expand past
a fixed budget. Every refusal is an ``UploadRejected`` whose message names the file. The
original name is kept as display data only (``CheckedUpload.original_name``); storage keys are
made by the server (``app.storage``).

Libraries, and why each:

- ``filetype`` — a second, independent opinion on what the first bytes are (pure Python,
  maintained, no libmagic system dependency); it must agree with our own magic-number check.
- ``Pillow`` — decodes JPEG and PNG under our pixel budget (reading the header before any pixel
  is allocated, decoding big phone JPEGs at reduced scale) and re-encodes them, which drops
  EXIF/GPS and any trailing payload while applying the EXIF orientation.
- ``pypdf`` — confirms a PDF opens (not encrypted, at least one page) with its resource limits
  tightened for this call; active content is found by our own token scan, which does not
  depend on the cross-reference table a hostile file can make lie.
- ``olefile`` — reads the OLE2 container of .doc/.xls to find the WordDocument/Workbook
  stream and any Macros/VBA storage; a few lines of format knowledge rather than a parser of
  our own for a format with many corner cases.
- Standard library ``zipfile`` and ``xml.parsers.expat`` (DTDs refused) read .docx/.xlsx.
"""
from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import lazy_gettext as _l

from app.commands import CommandError
from app.uploads import sniff

__all__ = ["Budget", "CheckedUpload", "UploadRejected", "check_upload"]

_READ_CHUNK = 1024 * 1024
_STATUS = {"too_large": 413, "type": 422, "content": 422, "rate": 429}


class UploadRejected(CommandError):
    """The file is refused: ``code`` is too_large (413), type or content (422), rate (429:
    too many uploads from the account, app.uploads.rate)."""

    def __init__(self, code: str, message):
        if code not in _STATUS:
            raise ValueError(f"unknown upload rejection code {code!r}")
        self.code, self.message = code, message
        super().__init__(message)

    @property
    def status(self) -> int:
        return _STATUS[self.code]

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed: ``data`` is what to store (images re-encoded), ``sha256`` its hash."""

    data: bytes
    content_type: str
    extension: str
    sha256: str
    original_name: str
    size: int


def shown_types(accept, allowed) -> list[str]:
    """Return the accepted types as the materials page lists them: the definition's order,
    upper case (JPG, JPEG, PNG, PDF)."""
    named = dict.fromkeys(str(a).lower().lstrip(".") for a in accept)
    return [ext.upper() for ext in named if ext in allowed]


def check_upload(stream: BinaryIO, filename: str | None, accept, max_bytes: int) -> CheckedUpload:
    """Read, identify and inspect one upload; raise UploadRejected when it may not be stored.

    :param accept: extensions the material accepts (``["jpg", "jpeg", "png", "pdf"]``).
    :param max_bytes: the material's limit; the stored bytes never exceed it either.
    """
    from app.uploads import documents, images, pdf, rate  # they import this module's errors

    raw_name = filename or ""
    name = sniff.display_name(raw_name) or "?"
    rate.count_upload(name)  # before any work: refused files cost work too
    if "\x00" in raw_name:
        raise UploadRejected("type", _l(
            "The name of %(name)s contains characters that are not allowed. Rename the file and "
            "try again.", name=name))
    extension = sniff.extension(name)
    allowed = sniff.allowed_families(accept)
    family = allowed.get(extension)
    if family is None:
        raise UploadRejected("type", _l(
            "%(name)s is not an accepted type of file. Accepted: %(types)s.",
            name=name, types=", ".join(shown_types(accept, allowed)) or "-"))
    data = _read_at_most(stream, max_bytes, name)
    if not data:
        raise UploadRejected("content", _l("%(name)s is empty.", name=name))
    if not sniff.agrees(data, family):
        if family.container == "zip" and sniff.container(data) == "ole":
            # A password-protected .docx/.xlsx is an OLE file: say so rather than "not a .docx".
            documents.check_ole(data, name, extension)
        raise mismatched(name, extension)
    check = {"jpeg": images.check_jpeg, "png": images.check_png, "pdf": pdf.check_pdf,
             "docx": documents.check_ooxml, "xlsx": documents.check_ooxml,
             "doc": documents.check_ole, "xls": documents.check_ole}[family.name]
    stored = check(data, name, extension)
    if len(stored) > max_bytes:  # a re-encoded image can come out larger than it went in
        raise too_large(name, max_bytes)
    return CheckedUpload(data=stored, content_type=family.content_type, extension=extension,
                         sha256=hashlib.sha256(stored).hexdigest(), original_name=name,
                         size=len(stored))


def _read_at_most(stream: BinaryIO, max_bytes: int, name: str) -> bytes:
    """Return the stream's bytes, refusing (413) as soon as more than max_bytes arrive."""
    buffer = bytearray()
    while len(buffer) <= max_bytes:
        chunk = stream.read(min(_READ_CHUNK, max_bytes + 1 - len(buffer)))
        if not chunk:
            return bytes(buffer)
        buffer += chunk
    raise too_large(name, max_bytes)


def too_large(name: str, max_bytes: int) -> UploadRejected:
    megabytes = f"{max_bytes / (1024 * 1024):.1f}".removesuffix(".0")
    return UploadRejected("too_large", _l(
        "%(name)s is larger than %(limit)s MB. Please upload a smaller file.",
        name=name, limit=megabytes))


def mismatched(name: str, extension: str) -> UploadRejected:
    return UploadRejected("type", _l(
        "The content of %(name)s is not a .%(extension)s file. Save it in that format, or "
        "give it the extension that matches its content.", name=name, extension=extension))


def unreadable(name: str, extension: str) -> UploadRejected:
    return UploadRejected("content", _l(
        "%(name)s is damaged or is not a valid .%(extension)s file.",
        name=name, extension=extension))


def too_complex(name: str) -> UploadRejected:
    """Checking the file would take more than its budget (bombs, thousands of parts)."""
    return UploadRejected("content", _l(
        "%(name)s is too complex to check. Please save it again as a simpler file.", name=name))


def encrypted(name: str) -> UploadRejected:
    return UploadRejected("content", _l(
        "%(name)s is encrypted or password-protected. Please upload an unprotected copy (saving "
        "or printing it to a new file usually gives one).", name=name))


class Budget:
    """A running total that refuses to grow past ``cap`` (bytes inflated, read or lexed)."""

    def __init__(self, cap: int):
        self.cap, self.used = cap, 0

    def take(self, count: int) -> None:
        """Count ``count`` more bytes; OverflowError once the total passes the cap."""
        self.used = min(self.used + count, self.cap + 1)
        if self.used > self.cap:
            raise OverflowError("budget exceeded")

    def inflate(self, compressed) -> bytes:
        """Return the zlib-inflated bytes; never produces more than one byte past the cap."""
        room = self.cap - self.used + 1
        if room <= 0:  # zlib reads max_length=0 as "no limit"
            raise OverflowError("budget exceeded")
        out = zlib.decompressobj().decompress(compressed, room)
        self.take(len(out))
        return out
