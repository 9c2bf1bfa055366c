"""Read a data file named on the command line as UTF-8 text, or say where it is not.

A file saved in another encoding (GBK from a Chinese Excel or Notepad, say) or not text at all
is refused with ``PATH:LINE: message`` at the line of its first undecodable byte, in the words the
web import uses, never with Python's UnicodeDecodeError. A file larger than its kind's limit
(``IMPORT_MAX_BYTES``) is refused before it is read, naming its size and the limit.
"""
from pathlib import Path
from typing import Iterator

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from app.commands import DataFileError

YAML_NOT_UTF8 = _l("A YAML file must be UTF-8 text.")
CSV_NOT_UTF8 = _l("A CSV file must be UTF-8 text.")
#: The largest file of each kind read when the app's configuration says nothing (config.py).
DEFAULT_MAX_BYTES = {"calendar": 1 << 20, "dictionaries": 16 << 20, "regions": 16 << 20,
                     "formdefs": 4 << 20, "persons": 128 << 20}


def max_bytes(kind: str) -> int:
    """Return the configured size limit (bytes) of an import file of ``kind``."""
    limits = current_app.config.get("IMPORT_MAX_BYTES") if has_app_context() else None
    return int((limits or {}).get(kind, DEFAULT_MAX_BYTES[kind]))


def _opened(path, kind: str):
    """Return ``path`` opened for reading bytes, once its size is within ``kind``'s limit."""
    try:
        handle = open(path, "rb")
        size, limit = Path(path).stat().st_size, max_bytes(kind)
    except OSError as error:
        raise DataFileError(path, 1, _l("cannot read the file: %(reason)s",
                                        reason=error.strerror or error)) from error
    if size > limit:
        handle.close()
        raise DataFileError(path, 1, _l(
            "the file has %(size)s bytes, more than the %(limit)s allowed for a %(kind)s file "
            "(IMPORT_MAX_BYTES)", size=f"{size:,}", limit=f"{limit:,}", kind=kind))
    return handle


def read_utf8(path, not_utf8=YAML_NOT_UTF8, kind: str = "formdefs") -> str:
    """Return the text of ``path`` (a leading BOM dropped).

    :raises DataFileError: the file cannot be read, is larger than ``kind``'s limit, or is not
        UTF-8 (``not_utf8`` at the line of the first byte that is not).
    """
    with _opened(path, kind) as handle:
        try:
            data = handle.read()
        except OSError as error:
            raise DataFileError(path, 1, _l("cannot read the file: %(reason)s",
                                            reason=error.strerror or error)) from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataFileError(path, data.count(b"\n", 0, error.start) + 1, not_utf8) from error


def utf8_lines(path, not_utf8=CSV_NOT_UTF8, kind: str = "persons") -> Iterator[str]:
    """Yield the lines of ``path`` one at a time (ends kept, a leading BOM dropped), so a large
    file is read in bounded memory; the checks and errors are those of :func:`read_utf8`."""
    with _opened(path, kind) as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                raise DataFileError(path, number, not_utf8) from error
