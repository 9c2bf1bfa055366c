"""催办 in a real Chromium: a citizen's HB-1 application waits past 路北区's 受理 deadline; the
citizen opens it in 我要查 (phone-sized), presses 催办 and reads 已催办 in its progress; the county
reviewer opens the application (desktop) and sees that the applicant urged it, with the time, and
the urge in its history."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import say, sign_in, watch_server_errors
from tests.review_support import HB1, LUBEI, publish, submitted
from tests.support import frozen_clock, make_user

pytestmark = pytest.mark.browser
CST = dt.timezone(dt.timedelta(hours=8))
FILED = dt.datetime(2026, 11, 20, 10, 0, tzinfo=CST)  # a Friday: 受理 due Wednesday 11-25
OVERDUE = dt.datetime(2026, 11, 26, 9, 30, tzinfo=CST)


def test_a_citizen_urges_an_overdue_application_and_the_reviewer_sees_it(page, desk_page,
                                                                         live_server, app):
    errors = watch_server_errors(page) + watch_server_errors(desk_page)
    with app.app_context(), frozen_clock(app, FILED):
        publish(HB1)
        reviewer = make_user("Reviewer", LUBEI, username="lubei_urged").username
        applicant = make_user("Citizen", LUBEI, username="urging_citizen")
        waiting = submitted(HB1, LUBEI, at=FILED, applicant=applicant).id

    with frozen_clock(app, OVERDUE):
        sign_in(page, live_server, "urging_citizen")
        page.goto(f"{live_server}/my/applications/{waiting}")
        urge = page.get_by_role("button", name=say(app, "Urge"))
        expect(urge).to_be_visible()
        urge.click()
        page.wait_for_load_state()
        expect(page.locator(".flash-success")).to_have_text(
            say(app, "The office was urged to decide your application."))
        expect(page.locator("ol.timeline li.event-urged .what")).to_have_text(say(app, "Urged"))
        expect(page.get_by_role("button", name=say(app, "Urge"))).to_have_count(0)
        expect(page.locator(".last-urge")).to_contain_text("2026年11月26日 09:30")

        sign_in(desk_page, live_server, reviewer)
        desk_page.goto(f"{live_server}/review/applications/{waiting}")
        expect(desk_page.locator(".alert.urged")).to_have_text(say(
            app, "The applicant urged this overdue application: %(times)s.",
            times="2026-11-26 09:30"))
        row = desk_page.locator('table.timeline tr[data-action="application.urged"]')
        expect(row).to_have_count(1)
        expect(row).to_contain_text(say(app, "Urged"))
    assert errors == []
