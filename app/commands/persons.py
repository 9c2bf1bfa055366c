"""Import insured persons and their enrollments from a CSV file (UTF-8, header line first).

One row per enrollment; the person columns repeat on each of a person's rows and must agree.
Columns, in any order (``end_date`` may be left out; an empty cell means none):

- id_number: 居民身份证号码, 18 characters (or 15, old style: stored as 18)
- name: 姓名
- sex: gend code 1 or 2; birth_date: YYYY-MM-DD. Both must agree with the ID number (empty:
  taken from it)
- cert_type: psn_cert_type code (empty: 01); naty: 民族 code; mobile: mainland mobile number
- region: 参保地, a code in the region table
- insutype: 险种类型 code; status: psn_insu_stas code (1 正常参保, 2 暂停参保, 4 终止参保);
  psn_type: 参保身份 code
- enrollment_region: 参保区划, a code in the region table (an 11-digit 医保 node must be added
  first)
- employer_name: 单位名称; employer_code: 单位编号
- start_date: 个人参保日期, YYYY-MM-DD; end_date: YYYY-MM-DD
- first_insured_month: 首次参保年月, YYYY-MM; account_month: 建立账户年月, YYYY-MM

Required: id_number, name, region, insutype, status, enrollment_region, start_date.
Codes must be national codes of the loaded code tables, or local codes in effect in the row's
region (the enrollment region for enrollment columns). Every problem of every row is reported
as ``path:line: column: message`` (the first ``IMPORT_MAX_PROBLEMS``, then how many more); on
any problem nothing changes. The file is read a line at a time, up to ``IMPORT_MAX_BYTES``. Otherwise one transaction
upserts each person by ID number and replaces their enrollments with the file's rows; persons
absent from the file are left alone, and re-importing the same file changes nothing.
"""
import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.commands import CommandError, DataFileError
from app.commands.person_rows import PersonRow, Reference
from app.commands.problems import ProblemList, problems_text
from app.commands.text_files import CSV_NOT_UTF8, utf8_lines
from app.extensions import db
from app.models.base import app_now
from app.models.person import Enrollment, Person

HEADER = ("id_number", "name", "sex", "birth_date", "cert_type", "naty", "mobile", "region",
          "insutype", "status", "psn_type", "enrollment_region", "employer_name",
          "employer_code", "start_date", "first_insured_month", "account_month")
OPTIONAL = ("end_date",)
ENROLLMENT_FIELDS = ("insutype", "status", "psn_type", "region_code", "employer_name",
                     "employer_code", "start_date", "first_insured_month", "account_month",
                     "end_date")


def header_problems(header: list[str]) -> list:
    """Return what is wrong with the header line: each missing, unknown or repeated column."""
    if not any(header):
        return [_l("the file is empty: its first line must name the columns")]
    found = [_l("missing column %(column)s", column=c) for c in HEADER if c not in header]
    found += [_l("unknown column %(column)s", column=c) for c in dict.fromkeys(header)
              if c not in HEADER + OPTIONAL]
    found += [_l("column %(column)s is named twice", column=c) for c in dict.fromkeys(header)
              if header.count(c) > 1]
    return found


class PersonImportError(CommandError):
    """The file has problems; ``problems`` lists each as a DataFileError (path, line, message)."""

    def __init__(self, problems):
        # A ProblemList stays one: len() counts the problems it does not keep (the web page).
        self.problems, self.more = problems, getattr(problems, "more", 0)
        super().__init__(problems_text(self.problems, self.more))


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    enrollments: int = 0


@dataclass
class _Person:
    line: int
    fields: dict
    enrollments: list = field(default_factory=list)
    lines: dict = field(default_factory=dict)  # enrollment key → first line


class ImportPersonsCommand:
    """Check a persons CSV completely, then upsert it in one transaction (or change nothing)."""

    def __init__(self, path):
        self.path = Path(path)

    def _rows(self):
        """Return the header and an iterator over the other rows, the file read a line at a
        time (a province's registry export is large)."""
        reader = csv.reader(utf8_lines(self.path, CSV_NOT_UTF8, kind="persons"))
        first = next(reader, None)
        header = [cell.strip() for cell in first] if first else []
        problems = [DataFileError(self.path, 1, message) for message in header_problems(header)]
        if problems:
            raise PersonImportError(problems)
        return header, reader

    def validate(self) -> dict[str, _Person]:
        """Return the file's persons by ID number; raise PersonImportError listing every problem."""
        try:
            return self._validate()
        except DataFileError as error:  # not UTF-8 from that line on, or too large
            raise PersonImportError([error]) from error
        except csv.Error as error:
            raise PersonImportError([DataFileError(self.path, 1, _l(
                "cannot read the file as UTF-8 CSV: %(error)s", error=str(error)))]) from error

    def _validate(self) -> dict[str, _Person]:
        header, rows = self._rows()
        ref, problems, persons = Reference(), ProblemList(), {}
        for line, cells in enumerate(rows, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                problems.append(DataFileError(self.path, line, _l(
                    "expected %(n)d columns, found %(found)d", n=len(header), found=len(cells))))
                continue
            row = PersonRow(self.path, line, dict(zip(header, (c.strip() for c in cells))), ref,
                            problems)
            before = len(problems)
            person = row.person()
            enrollment = row.enrollment(person["birth_date"] if person else None)
            if len(problems) > before:
                continue
            seen = persons.setdefault(person["id_number"], _Person(line, person))
            if seen.fields != person:
                row.bad("id_number", _l("the person columns differ from line %(line)d",
                                        line=seen.line))
                continue
            key = tuple(enrollment[f] for f in ENROLLMENT_FIELDS)
            if key in seen.lines:
                row.bad("insutype", _l("the same enrollment as line %(line)d",
                                       line=seen.lines[key]))
                continue
            seen.lines[key] = line
            seen.enrollments.append(enrollment)
        if problems:
            raise PersonImportError(problems)
        return persons

    def run(self) -> ImportResult:
        persons = self.validate()
        try:
            result = self._upsert(persons)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return result

    def _upsert(self, persons: dict[str, _Person]) -> ImportResult:
        """Write the persons a batch at a time, each batch flushed and let go (one transaction
        still): the session never holds the whole registry."""
        result, numbers = ImportResult(), list(persons)
        for start in range(0, len(numbers), 500):
            batch = numbers[start:start + 500]
            existing = {p.id_number: p for p in db.session.scalars(
                select(Person).options(selectinload(Person.enrollments))
                .where(Person.id_number.in_(batch)))}
            rows = self._write({number: persons[number] for number in batch}, existing, result)
            db.session.flush()
            for row in rows:
                for enrollment in row.enrollments:
                    db.session.expunge(enrollment)
                db.session.expunge(row)
        return result

    @staticmethod
    def _write(persons: dict[str, _Person], existing: dict, result: ImportResult) -> list:
        """Add or update the persons of one batch; return their rows."""
        rows = list(existing.values())
        for number, data in persons.items():
            result.enrollments += len(data.enrollments)
            row = existing.get(number)
            if row is None:
                rows.append(Person(**data.fields, enrollments=[
                    Enrollment(**e) for e in data.enrollments]))
                db.session.add(rows[-1])
                result.added += 1
                continue
            changed = [k for k, v in data.fields.items() if getattr(row, k) != v]
            for key in changed:
                setattr(row, key, data.fields[key])
            current = Counter(tuple(getattr(e, f) for f in ENROLLMENT_FIELDS)
                              for e in row.enrollments)
            if current != Counter(list(data.lines)):
                row.enrollments = [Enrollment(**e) for e in data.enrollments]
                changed.append("enrollments")
            if changed:
                row.updated_at = app_now()
                result.updated += 1
            else:
                result.unchanged += 1
        return rows
