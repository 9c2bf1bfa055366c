"""Queue and detail pages read consistently: status filters only where a status can differ, the
已办 row's deadline under the step it belongs to, the way back to the queue opened from, filter
messages in the page's language, list separators of the language, one name per CSV column,
Beijing time on the calendar page."""
import csv
import datetime as dt
import io

from flask_babel import force_locale

from app.commands.reviews import ApproveCommand, ReturnCommand
from app.engine.fields import EngineContext
from app.extensions import db
from app.models.calendar import CalendarYear
from app.views.review.display import Formatter
from tests.integration.test_review_views import (GD8, NANSHAN, SHENZHEN, gd8,  # noqa: F401
                                                 says, signed_in)
from tests.review_support import fresh, reviewer, workday_clock  # noqa: F401
from tests.support import make_user


def test_status_filter_only_where_statuses_differ_and_bad_filters_say_so(app, gd8):
    county = signed_in(app, reviewer(NANSHAN))
    for url in ("/review/pending", "/review/late?state=overdue"):
        assert 'name="status"' not in county.get(url).get_data(as_text=True), url
    done = county.get("/review/done").get_data(as_text=True)
    for status in ("submitted", "returned", "approved", "refused", "withdrawn"):
        assert f'<option value="{status}"' in done
    impossible = county.get("/review/pending?status=approved")
    assert impossible.status_code == 400
    page = impossible.get_data(as_text=True)
    assert says(app, "Choose one of the listed values.") in page and says(app, "Status") in page
    unknown = county.get("/review/pending?kind=1&submitted_from=yesterday")
    page = unknown.get_data(as_text=True)
    assert unknown.status_code == 400 and "Unknown field" not in page and "Not a valid" not in page
    assert says(app, "This is not one of this page's filters.") in page
    assert says(app, "Enter a date as YYYY-MM-DD.") in page and says(app, "Submitted from") in page
    county.get("/lang/en")
    page = county.get("/review/pending?kind=1").get_data(as_text=True)
    assert "This is not one of this page" in page and "Unknown field" not in page


def test_done_shows_where_the_application_is_now_and_the_way_back(app, gd8):
    county_user = reviewer(NANSHAN)
    ApproveCommand(gd8.id, county_user, None, fresh(gd8).lock_version).run()
    county = signed_in(app, county_user)
    done = county.get("/review/done").get_data(as_text=True)
    row = done.split(f'data-application="{gd8.id}"', 1)[1].split("</tr>", 1)[0]
    assert says(app, "Current step") in done
    assert '<span class="now-at">审核</span>' in row and str(fresh(gd8).step_deadline) in row
    assert f'/review/applications/{gd8.id}?queue=done' in row
    city = signed_in(app, reviewer(SHENZHEN))
    for queue, url, title in (("overdue", "/review/late?state=overdue", "Overdue"),
                              ("due_soon", "/review/late?state=due_soon", "Due soon"),
                              ("done", "/review/done", "Done"), (None, "/review/pending", "To do"),
                              ("elsewhere", "/review/pending", "To do")):
        address = f"/review/applications/{gd8.id}" + (f"?queue={queue}" if queue else "")
        page = city.get(address).get_data(as_text=True)
        back = page.split('class="back-to-queue"', 1)[1].split("</a>", 1)[0]
        assert f'href="{url}"'.replace("&", "&amp;") in back and says(app, title) in back, queue


def test_the_header_names_the_applicant_in_full_as_the_answers_do(app, gd8):
    page = signed_in(app, reviewer(NANSHAN)).get(f"/review/applications/{gd8.id}").get_data(
        as_text=True)
    header = page.split('class="subject-name">', 1)[1].split("<", 1)[0]
    assert header == "测试人"
    queue = signed_in(app, reviewer(NANSHAN)).get("/review/pending").get_data(as_text=True)
    assert "测试人" not in queue and "测**" in queue  # lists mask


def test_english_pages_join_lists_with_commas(app, gd8):
    county_user = reviewer(NANSHAN)
    ReturnCommand(gd8.id, county_user, None, fresh(gd8).lock_version,
                  {"fields": {"mobile": "x", "bank_account": "y"}}).run()
    client = signed_in(app, county_user)
    client.get("/lang/en")
    page = client.get(f"/review/applications/{gd8.id}").get_data(as_text=True)
    flagged = page.split("To correct:", 1)[1].split("</small>", 1)[0]
    assert "、" not in flagged and ", " in flagged
    field = {"key": "k", "type": "checkboxes",
             "options": [{"value": "a", "label": {"zh": "甲", "en": "A"}},
                         {"value": "b", "label": {"zh": "乙", "en": "B"}}]}
    with app.test_request_context(), force_locale("en"):
        assert Formatter({}, EngineContext(locale="en"))(field, ["a", "b"]) == "A, B"
    with app.test_request_context(), force_locale("zh"):
        assert Formatter({}, EngineContext(locale="zh"))(field, ["a", "b"]) == "甲、乙"


def test_dashboard_csv_columns_have_distinct_names(app, gd8):
    client = signed_in(app, make_user("RegionAdmin", SHENZHEN))
    response = client.get("/dashboard/export.csv?submitted_from=&submitted_to=")
    header = next(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(header) == len(set(header)), header
    assert "当前状态：退回补正" in header and "退回补正次数" in header


def test_calendar_years_page_shows_beijing_time(app, ctx):
    db.session.merge(CalendarYear(year=2031, status="provisional",
                                  updated_at=dt.datetime(2031, 1, 1, 17, 30,
                                                         tzinfo=dt.timezone.utc)))
    db.session.commit()
    client = signed_in(app, make_user("Admin"))
    page = client.get("/calendar/years/").get_data(as_text=True)
    assert "2031-01-02 01:30" in page and " UTC" not in page
