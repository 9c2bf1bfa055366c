"""The queues' search box (app.workflow.queue.search): a serial number or an ID number finds
that application, a name finds those whose name starts with it — within the reviewer's own
queue only; a period whose end is before its start is said at the filter, which keeps what
was typed."""
import re

from app.extensions import db
from tests.integration.test_review_views import (FUTIAN, NANSHAN, SUBJECT_ID, gd8,  # noqa: F401
                                                 says, signed_in)
from tests.review_support import fresh, reviewer, workday_clock  # noqa: F401

SERIAL = "440305-20261123-00007"


def rows(page: str) -> list[str]:
    return re.findall(r'data-application="(\d+)"', page)


def test_serial_id_number_and_name_find_the_application_in_scope(app, gd8):
    fresh(gd8).serial = SERIAL
    db.session.commit()
    county = signed_in(app, reviewer(NANSHAN))
    for q in (SERIAL, f" {SERIAL} ", SUBJECT_ID, SUBJECT_ID.lower(), "测", "测试人"):
        response = county.get("/review/pending", query_string={"q": q})
        assert response.status_code == 200 and rows(response.get_data(as_text=True)) == [
            str(gd8.id)], q
    for q in ("440305-20261123-00008", SUBJECT_ID[:-1] + "0", "试", "王"):
        page = county.get("/review/pending", query_string={"q": q}).get_data(as_text=True)
        assert rows(page) == [] and f'value="{q}"' in page, q
    elsewhere = signed_in(app, reviewer(FUTIAN))  # another county: the search does not widen
    for q in (SERIAL, SUBJECT_ID, "测"):
        assert rows(elsewhere.get("/review/pending", query_string={"q": q}).get_data(
            as_text=True)) == []
    too_long = county.get("/review/pending", query_string={"q": "测" * 41})
    assert too_long.status_code == 400
    assert says(app, "Enter at most %(max)s characters.").replace("%(max)s", "40") in (
        too_long.get_data(as_text=True))


def test_a_period_ending_before_it_starts_is_said_at_the_filter(app, gd8):
    county = signed_in(app, reviewer(NANSHAN))
    response = county.get("/review/pending?submitted_from=2026-11-25&submitted_to=2026-11-24")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert says(app, "The end of the period is before its start.") in page
    assert says(app, "Submitted until") in page
    assert 'value="2026-11-25"' in page and 'value="2026-11-24"' in page
