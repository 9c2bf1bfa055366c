"""Read a data file named on the command line as UTF-8 text, or say where it is not.

A file saved in another encoding (GBK from a Chinese Excel or Notepad, say) or not text at all
is refused with ``PATH:LINE: message`` at the line of its first undecodable byte, in the words the
web import uses, never with Python's UnicodeDecodeError.
"""
from pathlib import Path

from flask_babel import lazy_gettext as _l

from app.commands import DataFileError

YAML_NOT_UTF8 = _l("A YAML file must be UTF-8 text.")
CSV_NOT_UTF8 = _l("A CSV file must be UTF-8 text.")


def read_utf8(path, not_utf8=YAML_NOT_UTF8) -> str:
    """Return the text of ``path`` (a leading BOM dropped).

    :raises DataFileError: the file cannot be read, or is not UTF-8 (``not_utf8`` at the line of
        the first byte that is not).
    """
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise DataFileError(path, 1, _l("cannot read the file: %(reason)s",
                                        reason=error.strerror or error)) from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataFileError(path, data.count(b"\n", 0, error.start) + 1, not_utf8) from error
