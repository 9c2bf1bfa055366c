"""Word and Excel files: refused when they carry macros or embedded objects, fetch remote parts
or expand too far.

Documents are stored as uploaded (re-writing them could change what the citizen signed); what is
checked here is that opening one in a reviewer's viewer runs nothing and fetches nothing.
Every check has a budget: bytes inflated, entries listed, XML parts read.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from io import BytesIO
from xml.parsers import expat

import olefile
from flask_babel import lazy_gettext as _l

from app.uploads import (Budget, UploadRejected, encrypted, mismatched, too_complex,
                         unreadable)

MAX_ZIP_ENTRIES = 1000
MAX_ZIP_UNCOMPRESSED = 100 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_XML_READ = 16 * 1024 * 1024  # [Content_Types].xml and every .rels part, all together
MAX_BIFF_RECORDS = 100_000  # records in an .xls workbook's globals part
#: Relationships to embedded content: an OLE object, a whole file (a macro workbook in a
#: document), an ActiveX control. Each opens or runs in the reviewer's Office, not in the file.
EMBEDDING_RELATIONSHIPS = frozenset({"oleobject", "package", "control", "activexcontrol",
                                     "activexcontrolbinary"})


def check_ooxml(data: bytes, name: str, extension: str) -> bytes:
    """Return a .docx/.xlsx unchanged if its zip is safe and it has no macros or remote parts."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise unreadable(name, extension) from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise too_complex(name)
    seen, total, packed = set(), 0, 0
    for entry in entries:
        path = entry.orig_filename
        if (not path or "\x00" in path or "\\" in path or path.startswith("/")
                or re.match(r"[A-Za-z]:", path) or ".." in path.split("/")
                or path.lower() in seen or entry.flag_bits & 0x1):
            raise UploadRejected("content", _l(
                "%(name)s has an unsafe internal structure and cannot be accepted.", name=name))
        seen.add(path.lower())
        total, packed = total + entry.file_size, packed + entry.compress_size
    if total > MAX_ZIP_UNCOMPRESSED or total > MAX_ZIP_RATIO * max(packed, 1):
        raise too_complex(name)
    main = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[extension]
    if "[content_types].xml" not in seen or main not in seen:
        other = "xl/workbook.xml" if extension == "docx" else "word/document.xml"
        raise (mismatched(name, extension) if other in seen else unreadable(name, extension))
    if any(p.rsplit("/", 1)[-1] in ("vbaproject.bin", "vbadata.xml")
           or p.startswith("xl/macrosheets/") for p in seen):
        raise _macros(name)
    if any(part in ("embeddings", "activex") for p in seen for part in p.split("/")[:-1]):
        raise _embedded(name)
    budget = Budget(MAX_XML_READ)
    try:
        for entry in entries:
            path = entry.orig_filename.lower()  # part names are case-insensitive (OPC)
            if path == "[content_types].xml":
                types = _xml_attributes(archive, entry, budget, ("Default", "Override"))
                if any("macroenabled" in t.get("ContentType", "").lower()
                       or "vbaproject" in t.get("ContentType", "").lower() for t in types):
                    raise _macros(name)
                if any(t.get("ContentType", "").lower().endswith((".oleobject", ".activex"))
                       for t in types):
                    raise _embedded(name)
            elif path.endswith(".rels"):
                for rel in _xml_attributes(archive, entry, budget, ("Relationship",)):
                    _check_relationship(rel, name)
    except OverflowError:
        raise too_complex(name) from None
    except (zipfile.BadZipFile, expat.ExpatError, ValueError, OSError, EOFError, zlib.error):
        raise unreadable(name, extension) from None
    return data


def _check_relationship(rel: dict, name: str) -> None:
    kind = rel.get("Type", "").rsplit("/", 1)[-1]
    if kind == "vbaProject":
        raise _macros(name)
    if rel.get("TargetMode", "").lower() != "external":
        if kind.lower() in EMBEDDING_RELATIONSHIPS:
            raise _embedded(name)
        return
    scheme = rel.get("Target", "").split(":", 1)[0].lower().strip()
    # A hyperlink waits for a click and Office asks first; anything else external (attached
    # template, OLE object, frame, linked picture) is fetched on opening.
    if kind != "hyperlink" or scheme not in ("http", "https", "mailto"):
        raise UploadRejected("content", _l(
            "%(name)s loads content from outside the file (a template, object or link), which "
            "is not accepted. Please save a copy without external links.", name=name))


def _xml_attributes(archive, entry, budget: Budget, tags: tuple[str, ...]) -> list[dict]:
    """Return the attributes of every element named in ``tags``; DTDs (entities) refused."""
    budget.take(entry.file_size)
    with archive.open(entry) as handle:
        content = handle.read(entry.file_size + 1)
    found = []

    def refuse(*args):
        raise ValueError("DTD in an Office part")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = lambda tag, attrs: (
        found.append(attrs) if tag.rsplit(" ", 1)[-1] in tags else None)
    parser.Parse(content, True)
    return found


def check_ole(data: bytes, name: str, extension: str) -> bytes:
    """Return a .doc/.xls unchanged if it is that kind, unencrypted and without macros."""
    try:
        with olefile.OleFileIO(BytesIO(data)) as ole:
            paths = [[part.lower() for part in path]
                     for path in ole.listdir(streams=True, storages=True)]
            flags, macro_sheets = b"", False
            if ole.exists("WordDocument"):
                with ole.openstream("WordDocument") as stream:
                    flags = stream.read(12)[10:12]
            for book in ("Workbook", "Book"):
                if ole.exists(book):
                    with ole.openstream(book) as stream:
                        macro_sheets = macro_sheets or _has_macro_sheet(stream)
    except OverflowError:
        raise too_complex(name) from None
    except Exception:  # olefile raises many types for malformed input
        raise unreadable(name, extension) from None
    tops = {path[0] for path in paths}
    if "encryptedpackage" in tops:  # a password-protected .docx/.xlsx is an OLE file
        raise encrypted(name)
    if macro_sheets or any(part in ("macros", "vba", "_vba_project_cur")
                           for path in paths for part in path):
        raise _macros(name)
    if any(path[0] == "objectpool" or path[0].startswith("mbd") for path in paths):
        raise _embedded(name)  # a .doc's embedded objects; an .xls's (MBD… storages)
    kind = "doc" if "worddocument" in tops else "xls" if tops & {"workbook", "book"} else None
    if kind is None:
        raise unreadable(name, extension)
    if kind != extension:
        raise mismatched(name, extension)
    if len(flags) == 2 and flags[1] & 0x01:  # FIB fEncrypted (bit 8 of the flags word)
        raise encrypted(name)
    return data


def _has_macro_sheet(stream) -> bool:
    """Whether a BIFF workbook declares an Excel 4.0 macro sheet (BOUNDSHEET type 1).

    Only the globals part is read: records up to the first EOF, at most MAX_BIFF_RECORDS.
    """
    for _ in range(MAX_BIFF_RECORDS):
        header = stream.read(4)
        if len(header) < 4:
            return False
        kind, size = int.from_bytes(header[:2], "little"), int.from_bytes(header[2:], "little")
        body = stream.read(size)
        if kind == 0x000A:  # EOF of the globals substream
            return False
        if kind == 0x0085 and len(body) >= 6 and body[5] == 0x01:
            return True
    raise OverflowError("too many records before the first sheet")


def _macros(name: str) -> UploadRejected:
    return UploadRejected("content", _l(
        "%(name)s contains macros, which are not accepted. Please save a copy without macros.",
        name=name))


def _embedded(name: str) -> UploadRejected:
    return UploadRejected("content", _l(
        "%(name)s contains embedded objects or files, which are not accepted. Please save a "
        "copy without embedded objects.", name=name))
