"""Citizen pages write a day the same way whether alone or with its time (the timeline beside
"applied on" and "to be decided by"), in China time and the page's language."""
import datetime as dt

from flask_babel import force_locale

from app.views.citizen.answer_display import local_date, local_time

MOMENT = dt.datetime(2026, 3, 2, 18, 5, tzinfo=dt.timezone.utc)  # 3 March, 02:05 in China


def test_a_moment_reads_as_its_day_and_time_of_day_in_china(app):
    with app.test_request_context("/"):
        with force_locale("en"):
            assert local_date(MOMENT) == "March 3, 2026"
            assert local_time(MOMENT) == "March 3, 2026, 2:05\u202fAM"  # CLDR: a narrow no-break space
        with force_locale("zh"):
            assert local_date(MOMENT) == "2026年3月3日"
            assert local_time(MOMENT) == "2026年3月3日 02:05"
        assert local_time(None) == ""
