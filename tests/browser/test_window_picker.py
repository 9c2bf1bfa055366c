"""Window entry (窗口代录) in a real Chromium: the region picker fills its next level in place, as
in the citizen wizard (htmx), instead of saving and leaving the page."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models.application import Application
from tests.applications_support import id_number, make_person
from tests.browser.helpers import say, sign_in, watch_server_errors
from tests.browser.wizard_steps import htmx_settled, shot
from tests.integration.designer_support import PROVINCE, load
from tests.support import make_user

pytestmark = pytest.mark.browser

LUBEI = "130203"
CITIZEN_ID = id_number("13020319800101001")


def test_the_clerk_picks_a_region_level_by_level_without_leaving_the_page(
        desk_page, live_server, app, request):
    page = desk_page
    with app.app_context():
        load(PROVINCE)  # 示例津贴申报: 参保地 (a region question) on its first page
        make_person(CITIZEN_ID, "王建国", LUBEI, sex="1")
        clerk = make_user("Reviewer", LUBEI, name="窗口李").username
    errors = watch_server_errors(page)
    sign_in(page, live_server, clerk)
    page.goto(f"{live_server}/review/window/")
    page.get_by_label(say(app, "Item")).select_option(label="示例津贴申报")
    page.get_by_label(say(app, "Citizen's full name")).fill("王建国")
    page.get_by_label(say(app, "ID number")).fill(CITIZEN_ID)
    page.get_by_label(say(app, "I checked the citizen's identity card at the counter")).check()
    page.get_by_role("button", name=say(app, "Start the application")).click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/review/window/\d+/pages/applicant$"))
    url = page.url
    page.evaluate("() => { window.stillHere = true; }")  # gone if the page is loaded again

    picker = page.locator("#home_region-picker")
    refine = picker.get_by_role("button", name=say(app, "List the places within your choice"))
    expect(refine).to_be_hidden()  # with JavaScript the next select comes by itself
    expect(picker.locator("select")).to_have_count(1)
    picker.get_by_label(say(app, "Province"), exact=True).select_option(label="河北省")
    city = picker.get_by_label(say(app, "City"), exact=True)
    expect(city).to_be_visible()  # drawn by htmx
    htmx_settled(page)
    city.select_option(label="唐山市")
    county = picker.get_by_label(say(app, "County or district"), exact=True)
    expect(county).to_be_visible()
    htmx_settled(page)
    county.select_option(label="路北区")
    htmx_settled(page)
    expect(county).to_have_value(LUBEI)
    assert page.url == url and page.evaluate("() => window.stillHere === true")
    shot(page, request, "picker")

    page.get_by_label("否", exact=True).check()
    page.locator("form.window-form .btn-primary").click()  # 保存并继续
    page.wait_for_load_state()
    expect(page).to_have_url(url.replace("/pages/applicant", "/pages/claim"))
    with app.app_context():
        answers = db.session.scalar(select(Application.answers))
        assert answers["home_region"] == LUBEI and answers["special"] == "0"
    assert not errors, errors
