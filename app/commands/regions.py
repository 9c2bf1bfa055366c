"""Load the bundled GB/T 2260 tree and add 医保-specific nodes."""
import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update

from app.commands import CommandError, DataFileError
from app.commands.text_files import CSV_NOT_UTF8, read_utf8
from app.extensions import db
from app.models.region import LEVELS, Region
from app.scoping import can_write_region

REGIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "regions.csv"
HEADER = ["code", "name", "name_en", "level", "parent", "valid_from", "valid_to"]
#: The header before English names were added; such a file still loads, without them.
HEADER_WITHOUT_EN = [column for column in HEADER if column != "name_en"]


class RegionError(CommandError):
    pass


@dataclass
class LoadResult:
    added: int
    updated: int
    unchanged: int


def _year(value: str, path, line: int, column: str):
    if value == "":
        return None
    if not re.fullmatch(r"(19|20)\d\d", value):
        raise DataFileError(path, line, _l("%(column)s is not a year: %(value)r", column=column, value=value))
    return int(value)


def _csv_text(path) -> io.StringIO:
    """Return the text of the CSV file ``path`` to read, checked as UTF-8 (a BOM dropped)."""
    return io.StringIO(read_utf8(path, CSV_NOT_UTF8, kind="regions"), newline="")


def read_regions(path: Path | None = None) -> list[dict]:
    """Parse and check the regions file; every row gets its materialised path."""
    path = path or REGIONS_FILE  # read when called: a test may point it elsewhere
    rows: dict[str, dict] = {}
    reader = csv.reader(_csv_text(path))
    header = next(reader, None)
    if header not in (HEADER, HEADER_WITHOUT_EN):
        raise DataFileError(path, 1, _l("the header must be %(header)s", header=",".join(HEADER)))
    for line, record in enumerate(reader, start=2):
        if len(record) != len(header):
            raise DataFileError(path, line, _l("expected %(n)d columns", n=len(header)))
        if header == HEADER_WITHOUT_EN:
            record = record[:2] + [""] + record[2:]
        code, name, name_en, level, parent, valid_from, valid_to = (v.strip() for v in record)
        if not re.fullmatch(r"\d{6}", code):
            raise DataFileError(path, line, _l("code must be 6 digits: %(code)r", code=code))
        if code in rows:
            raise DataFileError(path, line, _l("duplicate code %(code)s", code=code))
        if not name or len(name) > 100:
            raise DataFileError(path, line, _l("name is empty or too long"))
        if len(name_en) > 200:
            raise DataFileError(path, line, _l("name_en is too long"))
        if level not in LEVELS:
            raise DataFileError(path, line, _l("unknown level %(level)r", level=level))
        if parent and parent not in rows:
            raise DataFileError(path, line, _l("parent %(parent)s must come before its children", parent=parent))
        rows[code] = {
            "code": code, "name": name, "name_en": name_en or None, "level": level,
            "parent_code": parent or None,
            "path": (rows[parent]["path"] if parent else "") + code + "/",
            "valid_from": _year(valid_from, path, line, "valid_from"),
            "valid_to": _year(valid_to, path, line, "valid_to"), "kind": "gb2260",
        }
    return list(rows.values())


def load_regions(path: Path | None = None) -> LoadResult:
    """Insert or update the national nodes in one transaction; nodes added by admins stay."""
    rows = read_regions(path)
    existing = {r.code: r for r in db.session.scalars(select(Region))}
    fields = ("name", "name_en", "level", "parent_code", "path", "valid_from", "valid_to")
    new = [row for row in rows if row["code"] not in existing]
    changed = [
        row for row in rows
        if row["code"] in existing
        and any(getattr(existing[row["code"]], f) != row[f] for f in fields)
    ]
    try:
        if new:
            new.sort(key=lambda row: row["path"].count("/"))
            db.session.execute(insert(Region), new)
        for row in changed:
            db.session.execute(update(Region).where(Region.code == row["code"]).values(
                **{f: row[f] for f in fields}))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return LoadResult(len(new), len(changed), len(rows) - len(new) - len(changed))


class AddInsuranceRegionCommand:
    """Add an 11-digit 医保 node (e.g. 51170099997, a school) below a region in one's subtree."""

    def __init__(self, code: str, name: str, name_en: Optional[str] = None):
        self.code, self.name = (code or "").strip(), (name or "").strip()
        self.name_en = (name_en or "").strip() or None

    def validate(self) -> Region:
        if not re.fullmatch(r"\d{11}", self.code):
            raise RegionError(_l("A medical insurance region code has 11 digits."))
        if not self.name:
            raise RegionError(_l("Give the node a name."))
        parent = db.session.get(Region, self.code[:6])
        if parent is None or parent.valid_to is not None:
            raise RegionError(_l("The first 6 digits must be a current region code."))
        if not can_write_region(parent.code):
            raise RegionError(_l("You can only add nodes within your own region."))
        if db.session.get(Region, self.code) is not None:
            raise RegionError(_l("Region %(code)s exists already.", code=self.code))
        return parent

    def validate_into(self, item: Region) -> Region:
        """Validate and fill ``item`` (used by the admin view, which saves it)."""
        parent = self.validate()
        item.code, item.name, item.level, item.kind = self.code, self.name, "grassroots", "insurance"
        item.name_en = self.name_en
        item.parent_code, item.path = parent.code, parent.path + self.code + "/"
        return item

    def run(self) -> Region:
        item = self.validate_into(Region())
        db.session.add(item)
        db.session.commit()
        return item


@lru_cache(maxsize=1)
def _bundled_codes() -> frozenset[str]:
    return frozenset(row.get("code") for row in csv.DictReader(_csv_text(REGIONS_FILE)))


# Address codes of residence permits for residents of Hong Kong, Macao and Taiwan; 830000 is
# not a division of GB/T 2260 but is what those permits carry.
RESIDENCE_PERMIT_CODES = frozenset({"810000", "820000", "830000"})


def known_region_code(code: str) -> bool:
    """Tell whether a 6-digit code is a bundled division, current or abolished, or a residence
    permit's address code (for ID numbers)."""
    return code in RESIDENCE_PERMIT_CODES or code in _bundled_codes()


def load_insurance_nodes(path: Path) -> int:
    """Add 医保 nodes (code,name[,name_en] rows) as the platform, idempotently, in one
    transaction; a node already there only takes an English name it lacks."""
    added = 0
    rows = list(csv.DictReader(_csv_text(path)))
    try:
        for line, row in enumerate(rows, start=2):
            code, name = (row.get("code") or "").strip(), (row.get("name") or "").strip()
            name_en = (row.get("name_en") or "").strip() or None
            parent = db.session.get(Region, code[:6]) if re.fullmatch(r"\d{11}", code) else None
            if parent is None or not name:
                raise DataFileError(path, line, _l("expected an 11-digit code below a known region and a name"))
            node = db.session.get(Region, code)
            if node is None:
                db.session.add(Region(code=code, name=name, name_en=name_en, level="grassroots",
                                      kind="insurance", parent_code=parent.code,
                                      path=parent.path + code + "/"))
                added += 1
            elif name_en and not node.name_en:
                node.name_en = name_en
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return added
