"""Working days under the Chinese holiday schedule, computed from the calendar tables.

Only exceptions are stored: holidays (on weekdays, and harmlessly on weekends) and make-up
working days (调休) on weekends. A year without its official State Council schedule counts
weekends only, and every answer touching such a year is *provisional* — never an error.
"""
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Iterator, NamedTuple, Optional

from flask import g, has_app_context, has_request_context
from sqlalchemy import select

from app.clock import CST, today  # noqa: F401 - re-exported: the application's clock (app.clock)

ONE_DAY = timedelta(days=1)
_CACHE_KEY = "banshi_working_calendar"
_HELD_KEY = "banshi_working_calendar_held"


class Deadline(NamedTuple):
    """A computed deadline; ``provisional`` when a year it crosses has no official schedule."""

    date: date
    provisional: bool


@dataclass(frozen=True)
class WorkingCalendar:
    """Answer working-day questions from exception rows; build with :meth:`from_rows`."""

    holidays: frozenset[date]
    workdays: frozenset[date]
    official_years: frozenset[int]

    @classmethod
    def from_rows(cls, days: Iterable[tuple[date, str]], official_years: Iterable[int] = ()
                  ) -> "WorkingCalendar":
        """Build from ``(day, kind)`` pairs (kind 'holiday' or 'workday') and official years."""
        holidays, workdays = set(), set()
        for day, kind in days:
            if kind == "holiday":
                holidays.add(day)
            elif kind == "workday":
                workdays.add(day)
            else:
                raise ValueError(f"unknown calendar day kind {kind!r}")
        return cls(frozenset(holidays), frozenset(workdays), frozenset(official_years))

    def is_official(self, year: int) -> bool:
        return year in self.official_years

    def is_working_day(self, day: date) -> bool:
        """Tell whether ``day`` is a working day (known exceptions first, then Mon–Fri)."""
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def _provisional(self, first: date, last: date) -> bool:
        return any(not self.is_official(year) for year in range(first.year, last.year + 1))

    def span_provisional(self, start: date, end: date) -> bool:
        """Tell whether a deadline ``end`` counted from ``start`` is provisional: a year from
        the day after ``start`` to ``end`` has no official schedule (as :meth:`add_working_days`
        says of the deadline it returns)."""
        return end > start and self._provisional(start + ONE_DAY, end)

    def add_working_days(self, start: date, n: int) -> Deadline:
        """Return the ``n``-th working day after ``start`` (``start`` itself never counts).

        ``n == 0`` returns ``start``. Provisional when a year from the day after ``start`` to the
        deadline has no official schedule (such a year counts weekends only).
        """
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        for _ in range(n):
            day += ONE_DAY
            while not self.is_working_day(day):
                day += ONE_DAY
        return Deadline(day, n > 0 and self._provisional(start + ONE_DAY, day))

    def working_days_between(self, a: date, b: date) -> tuple[int, bool]:
        """Count the working days after ``a`` up to and including ``b``, and say if provisional.

        This is the inverse of :meth:`add_working_days`:
        ``working_days_between(d, add_working_days(d, n).date) == (n, …)`` for every ``d``.
        For a pause from ``a`` (returned) to ``b`` (resubmitted), it is how many working days to
        add to the deadline. The same as counting ``[a, b)`` whenever ``a`` and ``b`` are working
        days; a weekend or holiday at either end is counted the way the deadline is.
        """
        if b < a:
            raise ValueError("b must not be before a")
        count, day = 0, a
        while day < b:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count, b > a and self._provisional(a + ONE_DAY, b)

    def years_missing(self, upto: date, since: Optional[int] = None) -> list[int]:
        """List the years up to ``upto``'s without an official schedule.

        ``since`` defaults to the first official year (or ``upto``'s year when there is none).
        """
        first = since if since is not None else min(self.official_years, default=upto.year)
        return [year for year in range(first, upto.year + 1) if not self.is_official(year)]


def _load(session) -> WorkingCalendar:
    from app.models.calendar import OFFICIAL, CalendarDay, CalendarYear

    days = session.execute(select(CalendarDay.day, CalendarDay.kind)).all()
    years = session.scalars(select(CalendarYear.year).where(CalendarYear.status == OFFICIAL))
    return WorkingCalendar.from_rows(days, years)


def current_calendar() -> WorkingCalendar:
    """Return the app's calendar, kept per process with the reference data.

    The calendar tables renumber the reference generation on every write (database triggers,
    app.models.cache), so the request's one read of that row tells whether the calendar another
    worker or psql just changed must be read again (app.reference_cache).
    """
    from app.extensions import db
    from app.reference_cache import cached

    if has_app_context() and _HELD_KEY in g:
        return g.get(_HELD_KEY)
    if has_request_context() and _CACHE_KEY in g:
        return g.get(_CACHE_KEY)
    calendar = cached("calendar", None, lambda: _load(db.session))
    if has_request_context():
        setattr(g, _CACHE_KEY, calendar)
    return calendar


@contextmanager
def held() -> Iterator[WorkingCalendar]:
    """Answer every question in this block from one read of the calendar, as a request does:
    a command counting many deadlines outside a request would read the generation for each."""
    calendar = current_calendar()
    setattr(g, _HELD_KEY, calendar)
    try:
        yield calendar
    finally:
        g.pop(_HELD_KEY, None)


def invalidate() -> None:
    """Read the calendar again on its next use (the commands call this after every write)."""
    from app.reference_cache import forget_generation

    if has_request_context():
        g.pop(_CACHE_KEY, None)
    if has_app_context():
        forget_generation()


def is_working_day(day: date) -> bool:
    return current_calendar().is_working_day(day)


def add_working_days(start: date, n: int) -> Deadline:
    return current_calendar().add_working_days(start, n)


def working_days_between(a: date, b: date) -> tuple[int, bool]:
    return current_calendar().working_days_between(a, b)


def span_provisional(start: date, end: date) -> bool:
    return current_calendar().span_provisional(start, end)


def years_missing(upto: date, since: Optional[int] = None) -> list[int]:
    return current_calendar().years_missing(upto, since)


def missing_schedule_years(on: Optional[date] = None) -> list[int]:
    """List this year and next year when they lack an official schedule (for warnings)."""
    on = on or today()
    return years_missing(date(on.year + 1, 12, 31), since=on.year)


def schedule_check(on: Optional[date] = None) -> tuple[list[int], bool]:
    """Return the years up to next year without a schedule, and whether one is due.

    Due: this year is missing, or next year is missing and it is November or December (the
    State Council publishes the next year's schedule in November).
    """
    on = on or today()
    missing = years_missing(date(on.year + 1, 12, 31))
    return missing, on.year in missing or (on.year + 1 in missing and on.month >= 11)
