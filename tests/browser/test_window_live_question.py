"""Window entry (窗口代录) in a real Chromium, HB-2 for a walk-in citizen: ticking 跨省异地长期居住
shows 长期居住人员类别 at once (the live update, the server deciding), and without JavaScript
"save and continue" stops on that newly visible required question with its error."""
import re

import pytest
from playwright.sync_api import expect

from tests.applications_support import clock, id_number, make_person  # noqa: F401
from tests.browser.helpers import say, sign_in, watch_server_errors
from tests.browser.wizard_steps import htmx_settled, shot
from tests.review_support import LUBEI, publish
from tests.support import make_user

pytestmark = pytest.mark.browser

LI_SI = id_number("13020319580315031")


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def counter_page(browser, request):
    context = browser.new_context(locale="zh-CN", java_script_enabled=request.param,
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page, request.param
    shot(page, request, "end")
    context.close()


def start_filing(page, live_server, app) -> str:
    with app.app_context():
        publish("cross_province_medical_filing")
        make_person(LI_SI, "李四", LUBEI, sex="1")
        clerk = make_user("Reviewer", LUBEI, name="窗口李").username
    sign_in(page, live_server, clerk)
    page.goto(f"{live_server}/review/window/")
    page.get_by_label(say(app, "Item")).select_option(label="跨省异地就医备案")
    page.get_by_label(say(app, "Citizen's full name")).fill("李四")
    page.get_by_label(say(app, "ID number")).fill(LI_SI)
    page.get_by_label(say(app, "I checked the citizen's identity card at the counter")).check()
    page.get_by_role("button", name=say(app, "Start the application")).click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/review/window/\d+/pages/type_choice$"))
    return page.url


def test_the_counter_asks_the_question_an_answer_makes_required(
        counter_page, live_server, app, clock, request):  # noqa: F811
    page, javascript = counter_page
    errors = watch_server_errors(page)
    url = start_filing(page, live_server, app)
    kind = page.get_by_role("group", name="长期居住人员类别")
    expect(kind).to_have_count(0)
    page.get_by_label("跨省异地长期居住").check()
    if javascript:
        page.evaluate("() => { window.stillHere = true; }")  # gone if the page is loaded again
        expect(kind).to_be_visible()  # drawn by the live update, nothing saved
        htmx_settled(page)
        assert page.url == url and page.evaluate("() => window.stillHere === true")
        expect(page.get_by_label("跨省异地长期居住")).to_be_checked()
        shot(page, request, "live")
    else:  # nothing runs without JavaScript: "update" draws the page again from the answer
        page.get_by_role("button", name=say(app, "Update")).click()
        page.wait_for_load_state()
        assert page.url == url
        expect(kind).to_be_visible()
        expect(page.locator("#long_term_kind-err")).to_have_count(0)
        page.get_by_label("跨省临时外出就医").check()  # changed again, not updated: still sent
    save = page.locator("form.window-form .btn-primary")
    expect(save).to_have_text(say(app, "Save and continue"))
    save.click()
    page.wait_for_load_state()
    assert page.url == url  # stopped: the question is required now
    chosen, asked = (("跨省异地长期居住", kind) if javascript else
                     ("跨省临时外出就医", page.get_by_role("group", name="临时外出就医类别")))
    expect(asked).to_be_visible()  # the question the answer sent makes visible, with its error
    expect(asked.locator(".error")).to_be_visible()
    expect(page.locator("#problems")).to_contain_text(asked.locator("legend").inner_text())
    expect(page.get_by_label(chosen)).to_be_checked()
    asked.get_by_role("radio").first.check()
    page.locator("form.window-form .btn-primary").click()
    page.wait_for_load_state()
    expect(page).to_have_url(url.replace("/pages/type_choice", "/pages/filing"))
    assert not errors, errors
