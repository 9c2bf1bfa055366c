"""Maintain the working-day calendar: seed it from chinese-calendar, set a year's schedule.

Every command that makes a year official counts again, in its transaction, the open
applications' deadlines that were provisional for it (app.commands.calendar_recount).
"""
import csv
import io
import os
from dataclasses import dataclass
from datetime import date
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, extract, select

from app.audit import record
from app.commands import CommandError, DataFileError
from app.commands.calendar_recount import recount_deadlines
from app.commands.calendar_statutory import statutory_problem
from app.commands.problems import ProblemList, problems_text
from app.commands.text_files import CSV_NOT_UTF8, read_utf8
from app.extensions import db
from app.models.base import app_now
from app.models.calendar import (ADMIN, HOLIDAY, KINDS, LIBRARY, OFFICIAL, PROVISIONAL, WORKDAY,
                                 CalendarDay, CalendarYear)
from app.workdays import invalidate

CSV_HEADER = ["date", "kind", "name"]


class CalendarError(CommandError):
    pass


class CalendarImportError(CommandError):
    """A schedule file has problems; ``problems`` lists each as a DataFileError (path, line)."""

    def __init__(self, problems):
        # A ProblemList stays one: len() counts the problems it does not keep (the web page).
        self.problems, self.more = problems, getattr(problems, "more", 0)
        super().__init__(problems_text(self.problems, self.more))


@dataclass
class LoadResult:
    added: int
    updated: int
    removed: int
    years: list[int]


def library_days() -> dict[date, tuple[str, str]]:
    """Return chinese-calendar's exceptions as ``{day: (kind, name)}`` (the loader's only use)."""
    from chinese_calendar.constants import Holiday, holidays, workdays

    def chinese(value: str) -> str:
        try:
            return Holiday(value).chinese
        except ValueError:
            return value

    days = {day: (HOLIDAY, chinese(value)) for day, value in holidays.items()}
    days.update({day: (WORKDAY, chinese(value) + "调休") for day, value in workdays.items()})
    return days


def _year_rows(year: int):
    return select(CalendarDay).where(extract("year", CalendarDay.day) == year)


def load_calendar() -> LoadResult:
    """Seed the years chinese-calendar knows in one transaction (idempotent).

    Rows an administrator wrote stay, and a year whose schedule an administrator set as a whole
    (official, with no library rows left) is not touched.
    """
    wanted = library_days()
    years = sorted({day.year for day in wanted})
    existing = {row.day: row for row in db.session.scalars(select(CalendarDay))}
    states = {row.year: row for row in db.session.scalars(select(CalendarYear))}
    library_years = {day.year for day, row in existing.items() if row.source == LIBRARY}
    set_by_admin = {year for year, state in states.items()
                    if state.status == OFFICIAL and year not in library_years}
    added = updated = removed = 0
    changed: set[int] = set()
    try:
        for day, (kind, name) in sorted(wanted.items()):
            row = existing.get(day)
            if day.year in set_by_admin or (row is not None and row.source == ADMIN):
                continue
            if row is None:
                db.session.add(CalendarDay(day=day, kind=kind, name=name, source=LIBRARY))
                added += 1
            elif (row.kind, row.name) != (kind, name):
                row.kind, row.name = kind, name
                updated += 1
            else:
                continue
            changed.add(day.year)
        for day, row in existing.items():
            if row.source == LIBRARY and day not in wanted:
                db.session.delete(row)
                removed += 1
                changed.add(day.year)
        written, newly = set(), set()
        for year in years:
            state = states.get(year)
            if state is None or state.status != OFFICIAL or year in changed:
                written.add(year)
                if state is None or state.status != OFFICIAL:
                    newly.add(year)
                state = touch_year(year)
                state.status, state.note = OFFICIAL, state.note or "chinese-calendar"
        for year, count in sorted(recount_deadlines(written, newly).items()):
            record("calendar.set_year", "calendar_year", year, applications=count)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    invalidate()
    return LoadResult(added, updated, removed, years)


def check_day(day: date, kind: str, name: str, year: Optional[int] = None):
    """Return what is wrong with one calendar row, or None."""
    if year is not None and day.year != year:
        return _l("%(day)s is not in %(year)s", day=day.isoformat(), year=str(year))
    if kind not in KINDS:
        return _l("kind must be holiday or workday, not %(kind)r", kind=kind)
    if not name or len(name) > 100:
        return _l("give the day a name of at most 100 characters")
    if kind == WORKDAY and day.weekday() < 5:
        return _l("%(day)s is a weekday: a make-up working day falls on a weekend",
                  day=day.isoformat())
    return None


def _recounted(year: int, newly: list[int]) -> dict:
    """Recount the deadlines provisional for ``year``; return the history detail saying so."""
    count = recount_deadlines([year], newly)[year]
    return {"applications": count} if count else {}


def touch_year(year: int) -> CalendarYear:
    """Mark a year changed (every write does, so caches see it); create it provisional."""
    state = db.session.get(CalendarYear, year) or CalendarYear(year=year, status=PROVISIONAL)
    state.updated_at = app_now()
    db.session.add(state)
    return state


class SetCalendarYearCommand:
    """Replace one year's holidays and make-up working days and mark the year official."""

    def __init__(self, year: int, holidays: list[tuple[date, str]],
                 workdays: list[tuple[date, str]], note: Optional[str] = None):
        self.year, self.note = year, (note or "").strip()[:300] or None
        self.rows = [(d, HOLIDAY, (n or "").strip()) for d, n in holidays] + [
            (d, WORKDAY, (n or "").strip()) for d, n in workdays]

    def validate(self) -> None:
        if not isinstance(self.year, int) or not 2000 <= self.year <= 2100:
            raise CalendarError(_l("The year must lie between 2000 and 2100."))
        if not any(kind == HOLIDAY for _, kind, _ in self.rows):
            raise CalendarError(_l("A year's schedule needs at least one holiday."))
        seen = set()
        for day, kind, name in self.rows:
            problem = check_day(day, kind, name, self.year)
            if problem is None and day in seen:
                problem = _l("%(day)s is given twice", day=day.isoformat())
            if problem is not None:
                raise CalendarError(problem)
            seen.add(day)
        problem = statutory_problem(
            self.year, [(day, name) for day, kind, name in self.rows if kind == HOLIDAY])
        if problem:
            raise CalendarError(problem)

    def run(self) -> CalendarYear:
        self.validate()
        try:
            db.session.execute(delete(CalendarDay).where(
                extract("year", CalendarDay.day) == self.year).execution_options(
                synchronize_session=False))
            db.session.add_all(CalendarDay(day=d, kind=k, name=n, source=ADMIN)
                               for d, k, n in self.rows)
            state = touch_year(self.year)
            newly = [self.year] if state.status != OFFICIAL else []
            state.status, state.note = OFFICIAL, self.note or state.note
            record("calendar.set_year", "calendar_year", self.year, days=len(self.rows),
                   **_recounted(self.year, newly))
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        invalidate()
        return state


class MarkCalendarYearCommand:
    """Mark a year official once an administrator has entered its days one by one."""

    def __init__(self, year: int, note: Optional[str] = None):
        self.year, self.note = year, (note or "").strip()[:300] or None

    def validate(self) -> None:
        holiday = db.session.scalars(_year_rows(self.year).where(
            CalendarDay.kind == HOLIDAY).limit(1)).first()
        if holiday is None:
            raise CalendarError(_l("Enter the holidays of %(year)s before marking it official.",
                                   year=str(self.year)))
        holidays = db.session.execute(select(CalendarDay.day, CalendarDay.name).where(
            extract("year", CalendarDay.day) == self.year, CalendarDay.kind == HOLIDAY)).all()
        problem = statutory_problem(self.year, holidays)
        if problem:
            raise CalendarError(problem)

    def run(self) -> CalendarYear:
        self.validate()
        try:
            state = touch_year(self.year)
            newly = [self.year] if state.status != OFFICIAL else []
            state.status, state.note = OFFICIAL, self.note or state.note
            record("calendar.mark_official", "calendar_year", self.year,
                   **_recounted(self.year, newly))
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        invalidate()
        return state


def read_calendar_csv(text: str, path: str = "<text>") -> tuple[int, list, list]:
    """Parse ``date,kind,name`` lines of one year into (year, holidays, workdays).

    :raises CalendarImportError: listing every bad line, not only the first.
    """
    year, holidays, workdays, seen, problems = None, [], [], set(), ProblemList()
    for line, fields in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not fields or not "".join(fields).strip() or fields[0].lstrip().startswith("#"):
            continue
        fields = [field.strip() for field in fields]
        if line == 1 and fields == CSV_HEADER:
            continue
        problem, day = None, None
        if len(fields) != 3:
            problem = _l("expected 3 columns: date,kind,name")
        else:
            try:
                day = date.fromisoformat(fields[0])
            except ValueError:
                problem = _l("not a date (YYYY-MM-DD): %(value)r", value=fields[0])
        if day is not None:
            year = day.year if year is None else year
            problem = check_day(day, fields[1], fields[2], year)
            if problem is None and day in seen:
                problem = _l("%(day)s is given twice", day=day.isoformat())
        if problem is not None:
            problems.append(DataFileError(path, line, problem))
            continue
        seen.add(day)
        (holidays if fields[1] == HOLIDAY else workdays).append((day, fields[2]))
    if year is None and not problems:
        problems.append(DataFileError(path, 1, _l("no calendar rows")))
    if problems:
        raise CalendarImportError(problems)
    return year, holidays, workdays


def import_calendar_file(path) -> CalendarYear:
    """Set one year's schedule from a CSV file; one that is not UTF-8 text is refused at its
    line (CalendarImportError), as any other problem of the file."""
    try:
        text = read_utf8(path, CSV_NOT_UTF8, kind="calendar")
    except DataFileError as error:
        raise CalendarImportError([error]) from error
    return import_calendar_csv(text, str(path))


def import_calendar_csv(text: str, path: str = "<text>",
                        note: Optional[str] = None) -> CalendarYear:
    """Set one year's schedule from CSV text; on any error nothing is changed.

    ``note`` is kept with the year (the notice's number, say); when None, the file's name.
    """
    year, holidays, workdays = read_calendar_csv(text, path)
    command = SetCalendarYearCommand(
        year, holidays, workdays, note=os.path.basename(str(path)) if note is None else note)
    try:
        command.validate()
    except CalendarError as error:
        raise CalendarImportError([DataFileError(path, 1, str(error))]) from error
    return command.run()
