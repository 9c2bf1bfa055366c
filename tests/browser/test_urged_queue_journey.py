"""已催办 and 通知 in a real Chromium: an HB-1 application waits past 路北区's 受理 deadline and its
applicant urges it; the county reviewer's 待办 marks the row 已催办 (the time in its title), the
navigation counts one unread notice, the 通知 page lists it, and opening it shows the
application and clears the count."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from app.commands.applications.urge import UrgeApplicationCommand
from app.extensions import db
from app.models.application import Application
from tests.browser.helpers import say, sign_in, watch_server_errors
from tests.review_support import HB1, LUBEI, publish, submitted
from tests.support import frozen_clock, make_user

pytestmark = pytest.mark.browser
CST = dt.timezone(dt.timedelta(hours=8))
FILED = dt.datetime(2026, 11, 20, 10, 0, tzinfo=CST)  # a Friday: 受理 due Wednesday 11-25
OVERDUE = dt.datetime(2026, 11, 26, 9, 30, tzinfo=CST)


def test_a_reviewer_sees_the_urge_in_the_queue_and_opens_the_notice(desk_page, live_server,
                                                                     app):
    errors = watch_server_errors(desk_page)
    with app.app_context():
        with frozen_clock(app, FILED):
            publish(HB1)
            reviewer = make_user("Reviewer", LUBEI, username="lubei_inbox").username
            applicant = make_user("Citizen", LUBEI, username="inbox_citizen")
            urged = submitted(HB1, LUBEI, at=FILED, applicant=applicant)
            quiet = submitted(HB1, LUBEI, at=FILED).id
            waiting = urged.id
        with frozen_clock(app, OVERDUE):
            UrgeApplicationCommand(db.session.get(Application, waiting),
                                   db.session.get(type(applicant), applicant.id)).run()

    with frozen_clock(app, OVERDUE):
        sign_in(desk_page, live_server, reviewer)
        desk_page.goto(f"{live_server}/review/pending")
        mark = desk_page.locator(f'tr[data-application="{waiting}"] .queue-urged')
        expect(mark).to_have_text(say(app, "Urged by the applicant"))
        expect(mark).to_have_attribute("title", say(
            app, "Urged by the applicant at %(time)s", time="2026-11-26 09:30"))
        expect(desk_page.locator(f'tr[data-application="{quiet}"] .queue-urged')).to_have_count(0)
        count = desk_page.locator(".nav-notices .notice-count")
        expect(count).to_have_text("1")

        desk_page.locator(".nav-notices a").click()
        desk_page.wait_for_load_state()
        notice = desk_page.locator("tr.notice-row")
        expect(notice).to_have_count(1)
        expect(notice.locator(".notice-unread")).to_have_text(say(app, "Unread"))
        notice.locator("a.notice-open").click()
        desk_page.wait_for_load_state()
        assert desk_page.url.endswith(f"/review/applications/{waiting}")
        expect(desk_page.locator(".alert.urged")).to_be_visible()
        expect(desk_page.locator(".nav-notices .notice-count")).to_have_count(0)
        desk_page.goto(f"{live_server}/review/notices/")
        expect(desk_page.locator("tr.notice-row .notice-unread")).to_have_count(0)
    assert errors == []
