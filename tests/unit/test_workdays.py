"""Working-day arithmetic on a calendar built from rows, without a database."""
from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.commands.calendar import library_days
from app.workdays import Deadline, WorkingCalendar

# 2024 国庆: 10-01..07 off; Sunday 09-29 and Saturday 10-12 worked instead.
NATIONAL_DAY_2024 = [(date(2024, 10, d), "holiday") for d in range(1, 8)] + [
    (date(2024, 9, 29), "workday"), (date(2024, 10, 12), "workday")]
CAL = WorkingCalendar.from_rows(NATIONAL_DAY_2024, official_years={2024})
LIBRARY = WorkingCalendar.from_rows(((day, kind) for day, (kind, _) in library_days().items()),
                                    official_years=range(2004, 2027))


def test_holidays_and_make_up_days():
    assert not CAL.is_working_day(date(2024, 10, 1))
    assert CAL.is_working_day(date(2024, 9, 29))  # Sunday, worked (调休)
    assert CAL.is_working_day(date(2024, 10, 12))  # Saturday, worked
    assert not CAL.is_working_day(date(2024, 10, 13))  # ordinary Sunday
    assert CAL.is_working_day(date(2024, 10, 8))


def test_deadline_skips_the_golden_week():
    assert CAL.add_working_days(date(2024, 9, 30), 1) == Deadline(date(2024, 10, 8), False)
    # Saturday 09-28 + 1 lands on the make-up Sunday.
    assert CAL.add_working_days(date(2024, 9, 28), 1) == Deadline(date(2024, 9, 29), False)
    # 10-08 Tue … 10-11 Fri are 1–4, Saturday 10-12 is the 5th.
    assert CAL.add_working_days(date(2024, 10, 1), 5).date == date(2024, 10, 12)
    assert CAL.add_working_days(date(2024, 10, 1), 0) == Deadline(date(2024, 10, 1), False)
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2024, 10, 1), -1)


def test_between_counts_after_a_up_to_b():
    # After 09-27: 09-29 (make-up), 09-30, 10-08 → 3.
    assert CAL.working_days_between(date(2024, 9, 27), date(2024, 10, 8)) == (3, False)
    assert CAL.working_days_between(date(2024, 10, 1), date(2024, 10, 7)) == (0, False)
    assert CAL.working_days_between(date(2024, 10, 8), date(2024, 10, 8)) == (0, False)
    with pytest.raises(ValueError):
        CAL.working_days_between(date(2024, 10, 8), date(2024, 10, 7))


def test_year_without_schedule_is_weekends_only_and_provisional():
    # 2024-12-30 Mon; 12-31 Tue (1), 2025-01-01 Wed (2: 元旦 unknown here), 01-02 Thu (3).
    assert CAL.add_working_days(date(2024, 12, 30), 3) == Deadline(date(2025, 1, 2), True)
    assert CAL.add_working_days(date(2024, 12, 30), 1) == Deadline(date(2024, 12, 31), False)
    assert CAL.working_days_between(date(2024, 12, 30), date(2025, 1, 2)) == (3, True)
    assert CAL.is_working_day(date(2031, 1, 1))  # never an error, whatever the year


def test_years_missing():
    assert CAL.years_missing(date(2026, 3, 1)) == [2025, 2026]
    assert CAL.years_missing(date(2024, 3, 1)) == []
    assert LIBRARY.years_missing(date(2027, 12, 31)) == [2027]
    assert LIBRARY.years_missing(date(2027, 12, 31), since=2026) == [2027]
    assert WorkingCalendar.from_rows([]).years_missing(date(2027, 5, 1)) == [2027]


def test_rows_of_unknown_kind_refused():
    with pytest.raises(ValueError, match="unknown calendar day kind"):
        WorkingCalendar.from_rows([(date(2027, 1, 1), "festival")])


def test_library_rows_agree_with_chinese_calendar():
    day = date(2004, 1, 1)
    while day.year <= 2026:
        assert LIBRARY.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
    assert library_days()[date(2024, 10, 1)] == ("holiday", "国庆节")
    assert library_days()[date(2024, 9, 29)] == ("workday", "国庆节调休")


days = st.dates(min_value=date(2023, 1, 1), max_value=date(2028, 12, 31))
counts = st.integers(min_value=0, max_value=300)


@settings(max_examples=200, deadline=None)
@given(days, counts)
def test_deadline_lands_on_a_working_day_and_inverts(start, n):
    deadline = LIBRARY.add_working_days(start, n)
    assert n == 0 or LIBRARY.is_working_day(deadline.date)
    assert deadline.date >= start and (n == 0 or deadline.date > start)
    assert LIBRARY.working_days_between(start, deadline.date) == (n, deadline.provisional)
    assert deadline.provisional == (n > 0 and deadline.date.year >= 2027)


@settings(max_examples=200, deadline=None)
@given(days, st.integers(min_value=0, max_value=299))
def test_deadline_strictly_increases_with_n(start, n):
    assert LIBRARY.add_working_days(start, n).date < LIBRARY.add_working_days(start, n + 1).date
