"""A reviewer on a phone (375 px): the 待办 queue's wide table scrolls inside its own box while
the page itself stays on the screen, and each staff page names itself in the browser's tab."""
import pytest
from playwright.sync_api import expect

from tests.browser.helpers import say, sign_in, watch_server_errors
from tests.review_support import (HB1, LUBEI, publish, reviewer, submitted,
                                  workday_clock)  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser

ANSWERS = {"name": "王秀英", "cert_type": "01", "id_number": "11010519491231002X",
           "mobile": "13800138000", "_notice": True}


def page_width(page) -> dict:
    return page.evaluate("() => ({page: document.documentElement.scrollWidth,"
                         " screen: document.documentElement.clientWidth,"
                         " box: document.querySelector('.table-responsive').scrollWidth,"
                         " boxShown: document.querySelector('.table-responsive').clientWidth})")


def test_reviewer_queue_fits_a_phone_and_pages_are_titled(page, live_server, app, workday_clock):
    with app.app_context():
        publish(HB1)
        application = submitted(HB1, LUBEI, dict(ANSWERS))
        username, serial = reviewer(LUBEI).username, application.serial
    errors = watch_server_errors(page)
    sign_in(page, live_server, username)
    page.goto(live_server + "/review/pending")
    expect(page).to_have_title(f"{say(app, 'To do')} · {say(app, 'banshi')}")
    row = page.locator("table.review-rows tr.queue-row", has_text=serial)
    expect(row).to_have_count(1)
    widths = page_width(page)
    assert widths["page"] <= widths["screen"], widths  # no sideways scrolling of the page
    assert widths["box"] > widths["boxShown"], widths  # the table scrolls in its box instead
    row.get_by_role("link", name=serial).click()
    page.wait_for_load_state()
    expect(page).to_have_title(
        f"{say(app, 'Application %(serial)s', serial=serial)} · {say(app, 'banshi')}")
    assert not errors, errors
