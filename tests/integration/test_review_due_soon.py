"""Due soon (临期) relative to each step's own time limit: the last third of its working days,
at most the deadline day and DUE_SOON_DAYS before it — the queue, its count, the rows' and
the review page's badge and the API read it alike."""
import datetime as dt

from sqlalchemy import update

from app import workflow
from app.commands.reviews import ReturnCommand
from app.extensions import db
from app.models.application import Application
from app.workflow import deadlines
from tests.applications_support import token
from tests.integration.test_review_queries import row_ids, shown_count, signed_in
from tests.review_support import (HB1, LUBEI, TANGSHAN, fresh, hb1, reviewer,  # noqa: F401
                                  submitted, workday_clock)

BADGE = "deadline-due-soon"


def test_the_threshold_is_a_third_of_the_limit_at_most_due_soon_days():
    assert deadlines.DUE_SOON_DAYS == 2
    assert {limit: deadlines.due_soon_days(limit) for limit in (1, 2, 3, 4, 5, 6, 7, 10, 30)} \
        == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1, 7: 2, 10: 2, 30: 2}
    assert deadlines.due_soon_days(None) == deadlines.DUE_SOON_DAYS


def test_due_soon_from_counts_working_days_back_from_the_deadline(hb1):
    monday = dt.date(2026, 3, 9)
    assert deadlines.due_soon_from(monday, 3) == monday  # the deadline day only
    assert deadlines.due_soon_from(monday, 5) == dt.date(2026, 3, 6)  # Friday, over the weekend
    assert deadlines.due_soon_from(monday, 10) == dt.date(2026, 3, 5)
    # Labour Day 2026: 1–5 May are holidays, Saturday 9 May a make-up working day.
    assert deadlines.due_soon_from(dt.date(2026, 5, 7), 10) == dt.date(2026, 4, 30)
    assert deadlines.due_soon_from(dt.date(2026, 5, 11), 10) == dt.date(2026, 5, 8)
    assert deadlines.due_soon_from(None, 10) is None


def late_ids(user, state):
    return [entry.application.id for entry in workflow.queue_page(state, user).entries]


def api_ids(client, user, state):
    response = client.get(f"/api/v1/reviews/?state={state}&limit=200",
                          headers=token(client, user.username))
    assert response.status_code == 200, response.get_json()
    return [entry["id"] for entry in response.get_json()["result"]]


def badges(app, user, application):
    """Whether the due-soon badge shows on the pending row and on the review page."""
    client = signed_in(app, user)
    page = client.get("/review/pending").get_data(as_text=True)
    row = page.split(f'data-application="{application.id}"', 1)[1].split("</tr>", 1)[0]
    detail = client.get(f"/review/applications/{application.id}").get_data(as_text=True)
    return BADGE in row, BADGE in detail


def test_a_three_day_step_is_due_soon_on_its_deadline_day_only(app, hb1, client):
    application = submitted(HB1)  # Monday 2 March; 受理 has 3 working days: Thursday 5 March
    stored = fresh(application)
    assert (stored.step_deadline, stored.step_due_soon_from) == (dt.date(2026, 3, 5),) * 2
    county, city = reviewer(LUBEI), reviewer(TANGSHAN)
    for day, due in ((3, False), (4, False), (5, True)):
        # Tuesday and Wednesday were due soon by the old rule (within 2 working days).
        hb1.day(2026, 3, day)
        expected = [application.id] if due else []
        for user in (county, city):  # the county's own step, and the city supervising it
            assert late_ids(user, "due_soon") == expected, (day, user.region_code)
            assert workflow.count("due_soon", user) == len(expected)
            assert api_ids(client, user, "due_soon") == expected
            page = signed_in(app, user).get("/review/late?state=due_soon").get_data(as_text=True)
            assert row_ids(page) == expected and shown_count(page) == len(expected)
        assert badges(app, county, application) == (due, due), day
    hb1.day(2026, 3, 6)
    assert late_ids(county, "due_soon") == [] and late_ids(county, "overdue") == [application.id]


def test_a_step_without_the_stored_day_keeps_the_due_soon_days_rule(app, hb1, client):
    application = submitted(HB1)
    db.session.execute(update(Application).where(Application.id == application.id)
                       .values(step_due_soon_from=None))
    db.session.commit()
    county = reviewer(LUBEI)
    hb1.day(2026, 3, 2)  # three working days left
    assert late_ids(county, "due_soon") == [] and badges(app, county, application) == (
        False, False)
    hb1.day(2026, 3, 3)  # two left: due soon by DUE_SOON_DAYS
    assert late_ids(county, "due_soon") == [application.id]
    assert workflow.count("due_soon", county) == 1
    assert api_ids(client, county, "due_soon") == [application.id]
    assert badges(app, county, application) == (True, True)


def test_a_return_clears_the_day_and_resuming_counts_it_again(hb1):
    application = submitted(HB1)
    county = reviewer(LUBEI)
    hb1.day(2026, 3, 3)
    ReturnCommand(application.id, county, "请补正", fresh(application).lock_version,
                  {"fields": {"mobile": "号码无法接通"}}).run()
    returned = fresh(application)
    assert returned.step_deadline is None and returned.step_due_soon_from is None
    hb1.day(2026, 3, 9)
    workflow.resume(returned)
    db.session.commit()
    resumed = fresh(application)
    # Two working days of three left: due Wednesday 11 March, due soon that day only.
    assert (resumed.step_deadline, resumed.step_due_soon_from) == (dt.date(2026, 3, 11),) * 2
    hb1.day(2026, 3, 10)
    assert late_ids(county, "due_soon") == []
    hb1.day(2026, 3, 11)
    assert late_ids(county, "due_soon") == [application.id]
