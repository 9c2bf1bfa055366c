"""Word and Excel files: refused when they carry macros or embedded objects, fetch remote parts
or expand too far. The one embedding allowed is a native chart's data: a workbook (or document)
package linked from a chart part, inspected by the same rules and bounds, to a fixed depth.

Documents are stored as uploaded (re-writing them could change what the citizen signed); what is
checked here is that opening one in a reviewer's viewer runs nothing and fetches nothing.
Every check has a budget: bytes inflated, entries listed, XML parts read.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from io import BytesIO
from urllib.parse import unquote
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
#: A native chart keeps its data as a whole workbook (a ``package`` relationship of the chart
#: part, under embeddings/): inspected as an upload is, to this many levels, and then allowed.
CHART_TYPES = frozenset({"application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
                         "application/vnd.ms-office.chartex+xml"})
MAX_EMBEDDING_DEPTH = 2
MAIN_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml",
              "pptx": "ppt/presentation.xml"}


def check_ooxml(data: bytes, name: str, extension: str) -> bytes:
    """Return a .docx/.xlsx unchanged if its zip is safe and it has no macros or remote parts."""
    _check_package(data, name, extension, Budget(MAX_XML_READ), 0)
    return data


def _check_package(data: bytes, name: str, extension: str, budget: Budget, depth: int) -> None:
    """Check one OOXML package (``depth`` 0: the upload; more: a chart's embedded workbook)."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise (unreadable(name, extension) if depth == 0 else _embedded(name)) from None
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
    main = MAIN_PARTS[extension]
    if "[content_types].xml" not in seen or main not in seen:
        if depth:
            raise _embedded(name)
        other = "xl/workbook.xml" if extension == "docx" else "word/document.xml"
        raise (mismatched(name, extension) if other in seen else unreadable(name, extension))
    if any(p.rsplit("/", 1)[-1] in ("vbaproject.bin", "vbadata.xml")
           or p.startswith("xl/macrosheets/") for p in seen):
        raise _macros(name)
    if any(part == "activex" for p in seen for part in p.split("/")[:-1]):
        raise _embedded(name)
    by_name = {entry.orig_filename.lower(): entry for entry in entries}
    try:
        chart_packages = _check_parts(archive, entries, by_name, name, budget)
        embedded = {p for p in seen if "embeddings" in p.split("/")[:-1]}
        if embedded - chart_packages:
            raise _embedded(name)  # an embedded file no chart owns
        for path in sorted(chart_packages):
            kind = path.rsplit(".", 1)[-1]
            if depth >= MAX_EMBEDDING_DEPTH or kind not in MAIN_PARTS or path not in by_name:
                raise _embedded(name)
            entry = by_name[path]
            with archive.open(entry) as handle:
                inner = handle.read(entry.file_size + 1)
            _check_package(inner, name, kind, budget, depth + 1)
    except OverflowError:
        raise too_complex(name) from None
    except (zipfile.BadZipFile, expat.ExpatError, ValueError, OSError, EOFError, zlib.error):
        raise (unreadable(name, extension) if depth == 0 else _embedded(name)) from None


def _check_parts(archive, entries, by_name: dict, name: str, budget: Budget) -> set[str]:
    """Check the content types and every relationship; return the parts that charts embed."""
    types = _xml_attributes(archive, by_name["[content_types].xml"], budget,
                            ("Default", "Override"))
    if any("macroenabled" in t.get("ContentType", "").lower()
           or "vbaproject" in t.get("ContentType", "").lower() for t in types):
        raise _macros(name)
    if any(t.get("ContentType", "").lower().endswith((".oleobject", ".activex")) for t in types):
        raise _embedded(name)
    overrides = {t.get("PartName", "").lstrip("/").lower(): t.get("ContentType", "").lower()
                 for t in types if "PartName" in t}
    charts = {part for part, kind in overrides.items() if kind in CHART_TYPES}
    packages = set()
    for entry in entries:
        path = entry.orig_filename.lower()  # part names are case-insensitive (OPC)
        if not path.endswith(".rels"):
            continue
        folder, _, rels_name = path.rpartition("_rels/")
        source = folder + rels_name[:-len(".rels")]
        for rel in _xml_attributes(archive, entry, budget, ("Relationship",)):
            if (source in charts and rel.get("Type", "").endswith("/package")
                    and rel.get("TargetMode", "").lower() != "external"):
                packages.add(_target_part(source, rel.get("Target", "")))
            else:
                _check_relationship(rel, name)
    return packages


def _target_part(source: str, target: str) -> str:
    """Return the part a relationship of ``source`` points to (relative or from the root)."""
    base = "" if target.startswith("/") else posixpath.dirname(source)
    return posixpath.normpath(posixpath.join(base, unquote(target).lstrip("/"))).lower()


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
