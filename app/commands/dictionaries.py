"""Load the national code tables and check local extensions."""
import re
from pathlib import Path

import yaml
from flask_babel import lazy_gettext as _l
from sqlalchemy import false, select

from app.commands import CommandError, DataFileError
from app.commands.text_files import read_utf8
from app.extensions import db
from app.models.dictionary import Dictionary, DictionaryEntry
from app.models.region import Region
from app.yamlio import line_of, load_with_lines

DICTIONARIES_FILE = Path(__file__).resolve().parent.parent / "data" / "dictionaries.yaml"


class DictionaryError(CommandError):
    """A code-table rule refused a write; ``field`` names the entry's attribute it is about."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


#: A code is ASCII letters and digits only (the national tables' codes are all digits): what a
#: client sends back is compared byte for byte, so spaces or full-width characters never match.
CODE_PATTERN = re.compile(r"[A-Za-z0-9]{1,40}")
CODE_FORMAT = _l("A code is 1 to 40 letters (A-Z) or digits, without spaces.")


def normalised_code(value) -> str:
    """Return ``value`` trimmed; raise DictionaryError unless it is a code of letters and digits."""
    code = value.strip() if isinstance(value, str) else ""
    if not CODE_PATTERN.fullmatch(code):
        raise DictionaryError(CODE_FORMAT, field="code")
    return code


def _text(node, key, path):
    value = node.get(key) if isinstance(node, dict) else None
    if not isinstance(value, dict) or not value.get("zh") or not value.get("en"):
        raise DataFileError(path, line_of(node, key), _l("%(key)s needs zh and en text", key=key))
    return str(value["zh"]), str(value["en"])


def _reserved(node, path) -> bool:
    value = node.get("reserved", False)
    if not isinstance(value, bool):
        raise DataFileError(path, line_of(node, "reserved"), _l("reserved must be true or false"))
    return value


def _entries(nodes, path, parent=None, seen=None):
    """Yield (line, code, zh, en, parent_code, reserved) for a list of entries and their
    children; a reserved entry is a slot kept for local use (app.models.dictionary)."""
    seen = set() if seen is None else seen
    for node in nodes or []:
        code = node.get("code") if isinstance(node, dict) else None
        if not isinstance(code, str) or not code.strip():
            raise DataFileError(path, line_of(node), _l("an entry needs a quoted code"))
        if not CODE_PATTERN.fullmatch(code):
            raise DataFileError(path, line_of(node), CODE_FORMAT)
        if code in seen:
            raise DataFileError(path, line_of(node), _l("duplicate code %(code)s", code=code))
        seen.add(code)
        zh, en = _text(node, "name", path)
        yield line_of(node), code, zh, en, parent, _reserved(node, path)
        yield from _entries(node.get("children"), path, code, seen)


def read_dictionaries(path: Path | None = None) -> list[dict]:
    """Parse and check the code-table file."""
    path = path or DICTIONARIES_FILE  # read when called: a test may point it elsewhere
    try:
        document = load_with_lines(read_utf8(path, kind="dictionaries"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise DataFileError(path, mark.line + 1 if mark else 1, _l("not valid YAML")) from error
    tables = document.get("dictionaries") if isinstance(document, dict) else None
    if not isinstance(tables, list):
        raise DataFileError(path, 1, _l("expected a top-level 'dictionaries' list"))
    result, codes = [], set()
    for table in tables:
        code = table.get("code") if isinstance(table, dict) else None
        if not code or code in codes:
            raise DataFileError(path, line_of(table), _l("a code table needs a unique code"))
        codes.add(code)
        zh, en = _text(table, "name", path)
        entries = list(_entries(table.get("entries"), path))
        if not entries:
            raise DataFileError(path, line_of(table), _l("code table %(code)s has no entries", code=code))
        result.append({"code": code, "name_zh": zh, "name_en": en,
                       "source": table.get("source"), "entries": entries})
    return result


def load_dictionaries(path: Path | None = None) -> tuple[int, int]:
    """Insert or update national tables and entries in one transaction; local codes stay."""
    tables = read_dictionaries(path)
    added = updated = 0
    try:
        for table in tables:
            row = db.session.scalar(select(Dictionary).where(Dictionary.code == table["code"]))
            if row is None:
                row = Dictionary(code=table["code"])
                db.session.add(row)
            row.name_zh, row.name_en, row.source = table["name_zh"], table["name_en"], table["source"]
            db.session.flush()
            national = {
                e.code: e for e in db.session.scalars(select(DictionaryEntry).where(
                    DictionaryEntry.dictionary_id == row.id, DictionaryEntry.region_code.is_(None)))
            }
            for sort, (_line, code, zh, en, parent, reserved) in enumerate(table["entries"]):
                entry = national.get(code)
                if entry is None:
                    db.session.add(DictionaryEntry(dictionary_id=row.id, code=code, name_zh=zh,
                                                   name_en=en, parent_code=parent, sort=sort,
                                                   reserved=reserved))
                    added += 1
                elif (entry.name_zh, entry.name_en, entry.parent_code, entry.sort,
                      bool(entry.reserved)) != (zh, en, parent, sort, reserved):
                    entry.name_zh, entry.name_en, entry.parent_code, entry.sort = zh, en, parent, sort
                    entry.reserved = reserved
                    updated += 1
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return added, updated


def check_local_entry(entry: DictionaryEntry) -> None:
    """Refuse a local code that clashes with a national code or one in effect above or below.

    A reserved national code (a slot kept for local use) may be named locally once on a path of
    the tree; without a parent of its own the local entry takes the slot's.
    """
    # The entry is being built by a form (not yet in the session): read without flushing it.
    with db.session.no_autoflush:
        _check_local_entry(entry)


def _check_local_entry(entry: DictionaryEntry) -> None:
    region = db.session.get(Region, entry.region_code)
    if region is None:
        raise DictionaryError(_l("Unknown region."))
    ancestors = [code for code in region.path.strip("/").split("/")]
    code = entry.code = normalised_code(entry.code)
    slot = db.session.scalar(select(DictionaryEntry).where(
        DictionaryEntry.dictionary_id == entry.dictionary.id, DictionaryEntry.code == code,
        DictionaryEntry.region_code.is_(None), DictionaryEntry.reserved.is_(True)))
    clash = db.session.scalar(
        select(DictionaryEntry.id).where(
            DictionaryEntry.dictionary_id == entry.dictionary.id,
            DictionaryEntry.code == code,
            DictionaryEntry.id != entry.id if entry.id else True,
            (DictionaryEntry.region_code.is_(None) if slot is None else false())
            | DictionaryEntry.region_code.in_(ancestors)
            | DictionaryEntry.region_code.in_(
                select(Region.code).where(Region.path.startswith(region.path))),
        )
    )
    if slot is not None and not entry.parent_code:
        entry.parent_code = slot.parent_code
    if clash is not None:
        raise DictionaryError(_l("Code %(code)s is already used in this code table.", code=entry.code))
    if entry.parent_code and db.session.scalar(select(DictionaryEntry.id).where(
            DictionaryEntry.dictionary_id == entry.dictionary.id,
            DictionaryEntry.code == entry.parent_code)) is None:
        raise DictionaryError(_l("Parent code %(code)s does not exist.", code=entry.parent_code))
