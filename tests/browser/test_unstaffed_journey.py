"""无人可办 in a real Chromium (FAB layout, desktop): a regional administrator of 唐山市 opens
审核办理 → 无人可办 from the menu, finds the HB-1 application waiting at 路北区's 受理 (its only
reviewer disabled), and follows the link to the staff accounts of 路北区, where that account is.
A reviewer has no such menu entry and gets the 403 page when the address is typed."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.browser.helpers import menu_links, open_menu_link, say, sign_in, watch_server_errors
from tests.review_support import HB1, LUBEI, publish, submitted
from tests.support import frozen_clock, make_user

pytestmark = pytest.mark.browser
CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=CST)
LIST = "/review/unstaffed/"


def test_a_region_admin_finds_the_application_and_the_staff_of_its_region(desk_page,
                                                                          live_server, app):
    page = desk_page
    server_errors = watch_server_errors(page)
    with app.app_context(), frozen_clock(app, NOW):
        publish(HB1)
        admin = make_user("RegionAdmin", "130200", username="ts_staffing_admin",
                          name="唐山管理员").username
        for username in ("lubei_off", "lubei_other"):
            make_user("Reviewer", LUBEI, username=username).active = False
        make_user("Reviewer", "130202", username="lunan_on")
        db.session.commit()
        waiting = submitted(HB1, LUBEI, at=NOW).id

    sign_in(page, live_server, admin)
    page.goto(live_server + "/")
    open_menu_link(page, LIST)
    expect(page.locator("h2")).to_have_text(say(app, "Nobody can decide"))
    row = page.locator(f'tr.unstaffed-row[data-application="{waiting}"]')
    expect(row).to_have_count(1)
    expect(row.locator(".handling-region")).to_contain_text("路北区（130203）")
    expect(row.locator(".unstaffed-reason")).to_contain_text(
        say(app, "No active account holds this role in the handling region."))
    row.locator("a.staff-link").click()
    page.wait_for_load_state()
    assert "_flt_0_region=130203" in page.url
    body = page.locator("table.table-bordered tbody")
    expect(body).to_contain_text("lubei_off")
    expect(body).to_contain_text("lubei_other")
    expect(body).not_to_contain_text("lunan_on")
    assert not server_errors, server_errors


def test_a_reviewer_has_no_entry_and_no_access(desk_page, live_server, app):
    page = desk_page
    with app.app_context():
        reviewer = make_user("Reviewer", LUBEI, username="lubei_reviewer_menu").username
    sign_in(page, live_server, reviewer)
    page.goto(live_server + "/")
    assert LIST not in menu_links(page)
    response = page.goto(live_server + LIST)
    assert response.status == 403
