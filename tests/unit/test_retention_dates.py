"""The date arithmetic of the retention purge (app.commands.retention)."""
import datetime as dt

from app.commands.retention import years_before


def test_years_before_counts_29_february_to_the_day_after_28_february():
    assert years_before(dt.date(2036, 3, 3), 10) == dt.date(2026, 3, 3)
    # Closed on 29 February 2028, kept 3 years: due on 1 March 2031, not on 28 February.
    assert years_before(dt.date(2031, 2, 28), 3) == dt.date(2028, 2, 28)
    assert years_before(dt.date(2031, 3, 1), 3) == dt.date(2028, 3, 1)
    assert years_before(dt.date(2032, 2, 29), 1) == dt.date(2031, 2, 28)
