"""PDFs: refused when encrypted or when opening one could run, launch or unpack anything.

The check is a token scan that does not trust the cross-reference table (a hostile file can
make it lie, and viewers repair broken ones their own way):

- forbidden names are looked for in the raw bytes, ``#xx`` escapes decoded (``/J#61vaScript``);
- every ``N G obj`` header in the file starts a small dictionary lexer, including headers that
  lie inside another stream's data, because a viewer reaches objects by offset; a dictionary
  that is an object stream (``/First``, ``/ObjStm``) has its data inflated under one budget for
  the whole file and scanned too. Object streams in any encoding but Flate are refused;
- pypdf then confirms that the file opens with at least one page. It runs last, so the streams
  it inflates for that (cross-reference and object streams) were already measured here.
"""
from __future__ import annotations

import bisect
import re
import zlib
from io import BytesIO

import pypdf
from flask_babel import lazy_gettext as _l

from app.uploads import Budget, UploadRejected, encrypted, too_complex, unreadable

MAX_INFLATED = 32 * 1024 * 1024  # cross-reference and object streams, all together
MAX_LEXED = 64 * 1024 * 1024  # dictionary bytes lexed, all together
MAX_DICTIONARY = 1024 * 1024
MAX_OBJECTS = 200_000

# Action types that run or open something (JavaScript, Launch, Rendition may carry /JS),
# attachments, rich media, and /Encrypt. Short names are looked for only outside stream data,
# where three random bytes would otherwise match about once every hundred megabytes.
LONG_NAMES = frozenset({"JavaScript", "Launch", "Rendition", "EmbeddedFile", "EmbeddedFiles",
                        "RichMedia", "Encrypt"})
SHORT_NAMES = frozenset({"JS", "AA", "XFA"})
_FLATE = frozenset({"FlateDecode", "Fl"})
_FILTERS = _FLATE | {"LZWDecode", "LZW", "ASCIIHexDecode", "AHx", "ASCII85Decode", "A85",
                     "RunLengthDecode", "RL", "CCITTFaxDecode", "CCF", "DCTDecode", "DCT",
                     "JBIG2Decode", "JPXDecode", "Crypt", "BrotliDecode"}
_D = rb"\x00\t\n\x0c\r %()/<>\[\]{}"
# Only names that are forbidden as written, or that hold an escape, need a closer look; the
# regex engine skips the millions of ordinary names a big file can hold.
_CANDIDATE = re.compile(
    rb"/(" + b"|".join(re.escape(n.encode()) for n in sorted(LONG_NAMES | SHORT_NAMES))
    + rb"|[^#" + _D + rb"]{0,127}#[^" + _D + rb"]{0,127})(?=[" + _D + rb"]|\Z)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_HEADER = re.compile(rb"(?<![0-9])[0-9]{1,10}[\x00\t\n\x0c\r ]+[0-9]{1,5}[\x00\t\n\x0c\r ]+obj"
                     rb"(?=[" + _D + rb"])")
_TOKEN = re.compile(rb"[\x00\t\n\x0c\r ]+|%[^\r\n]*|<<|>>|/[^" + _D + rb"]*|\(|"
                    rb"<[0-9A-Fa-f\x00\t\n\x0c\r ]*>?|[\[\]{}]|[^" + _D + rb"]+")
_STRING_PART = re.compile(rb"\\.|[()]", re.S)
_BLANKS = re.compile(rb"[\x00\t\n\x0c\r ]*+")
_EOL = re.compile(rb"[\r\n]")
_STREAM_KEYWORD = re.compile(rb"stream(?:\r\n|\n|\r)")
# No comments here: a regex skipping "%…" to the end of the line after every ">>" would cost
# the square of a long line. A comment before "stream" is legal but no writer makes one; such a
# stream only loses the short-name allowance (more is refused, nothing more is accepted).
_SEQUENTIAL_STREAM = re.compile(rb">>[\x00\t\n\x0c\r ]*+stream(?:\r\n|\n|\r)")


def check_pdf(data: bytes, name: str, extension: str) -> bytes:
    """Return the PDF unchanged if it opens, is not encrypted and holds no active content."""
    max_inflated = MAX_INFLATED
    tail = data[-1024:]
    if not data.startswith(b"%PDF-") or b"%%EOF" not in tail or b"startxref" not in tail:
        raise unreadable(name, extension)
    try:
        found = forbidden_names(data, Budget(max_inflated))
    except OverflowError:
        raise too_complex(name) from None
    except zlib.error:
        raise unreadable(name, extension) from None
    if "Encrypt" in found:
        raise encrypted(name)
    if found:
        raise UploadRejected("content", _l(
            "%(name)s contains scripts, attachments or automatic actions, which are not "
            "accepted. Please print it to a new PDF and upload that.", name=name))
    with pypdf.apply_configuration(zlib_maximum_output_length=max_inflated,
                                   page_tree_maximum_entries=20_000):
        try:
            reader = pypdf.PdfReader(BytesIO(data), strict=False)
            is_encrypted, pages = reader.is_encrypted, len(reader.pages)
        except Exception:  # pypdf raises many types for malformed input
            raise unreadable(name, extension) from None
    if is_encrypted:
        raise encrypted(name)
    if pages < 1:
        raise unreadable(name, extension)
    return data


def forbidden_names(data: bytes, budget: Budget) -> set[str]:
    """Return the forbidden names in the file's bytes and in its compressed objects.

    :raises OverflowError: the budget ran out (inflated or lexed bytes, objects).
    :raises zlib.error: an object stream does not inflate.
    """
    ends = [m.start() for m in re.finditer(rb"endstream", data)]
    found = _names(data, _stream_data_spans(data, ends))
    if found:
        return found
    # Object streams never overlap in a real file, so together they span less than the file.
    lexed, spanned = Budget(MAX_LEXED), Budget(len(data))
    for count, header in enumerate(_HEADER.finditer(data)):
        if count > MAX_OBJECTS:
            raise OverflowError("too many objects")
        keys, body = _stream_dictionary(data, header.end(), lexed)
        if body is None or not keys & {"First", "ObjStm", "XRef"}:
            continue
        is_xref, filters = "XRef" in keys, keys & _FILTERS
        # Legitimate writers compress object streams with plain Flate; a predictor or another
        # filter would hide names from this scan (cross-reference streams use a predictor).
        if filters - _FLATE or (keys & {"DecodeParms", "DP"} and not is_xref):
            raise OverflowError("an object stream in an unusual encoding")
        index = bisect.bisect_left(ends, body)
        end = ends[index] if index < len(ends) else len(data)
        spanned.take(end - body)
        raw = memoryview(data)[body:end]
        text = budget.inflate(raw) if filters else bytes(raw)
        if not is_xref:  # cross-reference data is binary: measured, not scanned
            found |= _names(text, [])
    return found


def _stream_dictionary(data: bytes, pos: int, lexed: Budget) -> tuple[set[str], int | None]:
    """Lex the dictionary after an object header; return its names and where stream data starts.

    Strings are skipped whole, so a ``>>`` or ``stream`` inside one cannot end the dictionary
    early. The body position is None when the object is not a stream (or does not lex).
    """
    names, depth, start = set(), 0, pos
    while True:
        if pos - start > MAX_DICTIONARY:  # no real dictionary is this long: refuse, not skip
            raise OverflowError("dictionary too long")
        match = _TOKEN.match(data, pos)
        if match is None:
            lexed.take(pos - start)
            return names, None
        token, pos = match.group(), match.end()
        if token == b"(":
            pos = _skip_string(data, pos, start + MAX_DICTIONARY + 1)
        elif token == b"<<":
            depth += 1
        elif token == b">>":
            depth -= 1
            if depth <= 0:
                break
        elif token.startswith(b"/"):
            names.add(decode_name(token[1:]))
        elif depth == 0 and not token.isspace() and not token.startswith(b"%"):
            break  # not a dictionary: a number, array or string object
    if depth != 0:
        lexed.take(pos - start)
        return names, None
    while True:  # blanks and comments between ">>" and "stream"
        pos = _BLANKS.match(data, pos).end()
        if data[pos:pos + 1] != b"%":
            break
        eol = _EOL.search(data, pos)
        pos = eol.start() if eol else len(data)
    lexed.take(pos - start)
    keyword = _STREAM_KEYWORD.match(data, pos)
    return names, keyword.end() if keyword else None


def _skip_string(data: bytes, pos: int, limit: int) -> int:
    depth = 1
    for match in _STRING_PART.finditer(data, pos, limit):
        if match.group() == b"(":
            depth += 1
        elif match.group() == b")":
            depth -= 1
            if depth == 0:
                return match.end()
    return max(limit, pos)


def _stream_data_spans(data: bytes, ends: list[int]) -> list[tuple[int, int]]:
    """Return where stream data lies, read front to back (for the short names only)."""
    spans, covered = [], 0
    for match in _SEQUENTIAL_STREAM.finditer(data):
        if match.start() < covered:
            continue
        index = bisect.bisect_left(ends, match.end())
        covered = ends[index] if index < len(ends) else len(data)
        spans.append((match.end(), covered))
    return spans


def _names(text: bytes, spans: list[tuple[int, int]]) -> set[str]:
    starts = [span[0] for span in spans]
    found = set()
    for match in _CANDIDATE.finditer(text):
        value = decode_name(match.group(1))
        if value in LONG_NAMES:
            found.add(value)
        elif value in SHORT_NAMES:
            index = bisect.bisect_right(starts, match.start()) - 1
            if index < 0 or match.start() >= spans[index][1]:
                found.add(value)
    return found


def decode_name(raw: bytes) -> str:
    """Return a PDF name as text: ``J#61vaScript`` is ``JavaScript`` (PDF 1.2 escapes)."""
    if b"#" in raw:
        raw = _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
    return raw.decode("latin-1")
