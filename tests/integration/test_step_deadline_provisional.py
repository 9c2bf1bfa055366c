"""A step deadline whose count reaches a year without an official holiday schedule is marked
provisional, as the statutory deadline is: on the queue and detail pages, in the reviews API's
entries and in the applications API."""
import datetime as dt
import re

from app import workflow
from app.commands.reviews import ApproveCommand
from tests.applications_support import token
from tests.review_support import (CST, HB1, LUBEI, TANGSHAN, citizen, fresh,  # noqa: F401
                                  hb1, reviewer, submitted, workday_clock)
from tests.support import login

# A Monday in December: 2026's schedule is official in the test database, 2027's is not.
DECEMBER = dt.datetime(2026, 12, 21, 10, tzinfo=CST)
MARKER = "（暂定）"


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    return client


def step_cell(page: str, application_id: int) -> str:
    """The detail page's step deadline cell."""
    match = re.search(r"<th>环节办理期限</th><td>(.*?)</td>", page, re.S)
    assert match, page
    return match.group(1)


def test_a_step_deadline_into_a_year_without_a_schedule_is_provisional(app, hb1, client):
    hb1.set(DECEMBER)
    applicant = citizen()
    application = submitted(HB1, applicant=applicant, at=DECEMBER)
    # 受理: three working days, all in 2026 — not provisional.
    assert application.step_deadline == dt.date(2026, 12, 24)
    assert workflow.deadlines.step_deadline_provisional(application) is False
    county, city = reviewer(LUBEI), reviewer(TANGSHAN)
    ApproveCommand(application.id, county, None, application.lock_version).run()
    application = fresh(application)
    # 会签 assessment: ten working days, 2027-01-01 (元旦) counted as one (weekends only).
    assert (application.current_step, application.step_deadline) == (
        "assess", dt.date(2027, 1, 4))
    assert workflow.deadlines.step_deadline_provisional(application) is True

    entries = client.get("/api/v1/reviews/?state=pending",
                         headers=token(client, city.username)).get_json()["result"]
    assert [(e["id"], e["step_deadline"], e["step_deadline_provisional"]) for e in entries] == [
        (application.id, "2027-01-04", True)]
    mine = client.get(f"/api/v1/applications/{application.id}",
                      headers=token(client, applicant.username)).get_json()
    assert (mine["step_deadline"], mine["step_deadline_provisional"]) == ("2027-01-04", True)

    browser = signed_in(app, city)
    queue = browser.get("/review/pending").get_data(as_text=True)
    assert re.search(r"2027-01-04\s*<small[^>]*deadline-provisional[^>]*>" + MARKER, queue)
    detail = browser.get(f"/review/applications/{application.id}").get_data(as_text=True)
    assert MARKER in step_cell(detail, application.id)


def test_a_step_deadline_within_official_years_is_not_provisional(app, hb1, client):
    application = submitted(HB1)  # March 2026: official
    county = reviewer(LUBEI)
    entries = client.get("/api/v1/reviews/?state=pending",
                         headers=token(client, county.username)).get_json()["result"]
    assert [(e["id"], e["step_deadline_provisional"]) for e in entries] == [
        (application.id, False)]
    detail = signed_in(app, county).get(f"/review/applications/{application.id}")
    assert MARKER not in step_cell(detail.get_data(as_text=True), application.id)
    assert "deadline-provisional" not in signed_in(app, county).get(
        "/review/pending").get_data(as_text=True)
