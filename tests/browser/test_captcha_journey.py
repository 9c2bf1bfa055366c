"""The login form's captcha in a real Chromium on a 375 px phone: the picture shows, "换一张"
swaps it in place keeping what was typed, a wrong answer is named on its field with the name
kept, the sound plays from banshi itself; without JavaScript "换一张" still works; large text
fits."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_fits, field_error, say, solve_captcha
from tests.support import PASSWORD, captcha_answer, make_user

pytestmark = pytest.mark.browser


SHOWN = "(img => img.complete && img.naturalWidth === 200)(document.querySelector('.captcha img'))"


def picture_shown(page) -> bool:
    return page.evaluate(SHOWN)


def wait_for_picture(page) -> bool:
    """A swapped picture loads after the page says so: wait for it (at most the timeout). A
    retrying property check, not wait_for_function's string, which the page's CSP refuses."""
    picture = page.locator(".captcha img")
    expect(picture).to_have_js_property("complete", True)
    expect(picture).to_have_js_property("naturalWidth", 200)
    return True


def key_of(page) -> str:
    return page.locator("input[name=captcha_key]").input_value()


def test_new_picture_keeps_typed_input_and_a_wrong_answer_keeps_the_name(page, live_server, app):
    with app.app_context():
        make_user("Citizen", username="captcha_user", name="王五")
    page.goto(live_server + "/login/")
    picture = page.get_by_role("img", name=say(app, "Picture of the characters to type"))
    expect(picture).to_be_visible()
    assert picture_shown(page)
    assert_fits(page)

    page.get_by_label(say(app, "Mobile, ID number or username"), exact=True).fill("captcha_user")
    page.get_by_label(say(app, "Password"), exact=True).fill(PASSWORD)
    answer_field = page.get_by_label(say(app, "Characters in the picture"), exact=True)
    answer_field.fill("zz")
    old_key = key_of(page)
    page.get_by_role("button", name=say(app, "New picture")).click()
    expect(page.locator(".captcha-status")).to_have_text(say(app, "A new picture is shown."))
    assert key_of(page) != old_key and wait_for_picture(page)
    assert re.search(r"/captcha/[\w-]+\.png$", picture.get_attribute("src"))
    expect(page.locator("#username")).to_have_value("captcha_user")  # typed input stays
    expect(page.locator("#password")).to_have_value(PASSWORD)
    expect(answer_field).to_have_value("")  # the old picture's answer is gone
    expect(answer_field).to_be_focused()

    # The sound of the same characters comes from banshi, never cached.
    sound = page.request.get(live_server + page.locator(".captcha audio").get_attribute("src"))
    assert sound.ok and sound.headers["content-type"] == "audio/wav"
    assert sound.headers["cache-control"] == "no-store"

    # A wrong answer: named on the field, the name kept, the password not.
    answer_field.fill("WRONG")
    page.locator("main form button.primary").click()
    expect(field_error(page, "captcha")).to_have_text(say(
        app, "The characters did not match the picture. Please type the ones in the new picture."))
    expect(page.locator("#username")).to_have_value("captcha_user")
    expect(page.locator("#password")).to_have_value("")
    assert wait_for_picture(page)  # the new page's picture may still be loading
    assert_fits(page)

    page.locator("#password").fill(PASSWORD)
    solve_captcha(page)
    page.locator("main form button.primary").click()
    expect(page.locator("nav.tools .who")).to_have_text("王五")


def test_new_picture_without_javascript_and_in_large_text(browser, live_server, app):
    with app.app_context():
        make_user("Citizen", username="no_script_user", name="赵六")
    context = browser.new_context(locale="zh-CN", java_script_enabled=False,
                                  viewport={"width": 375, "height": 812})
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto(live_server + "/prefs/large-font")  # large text, then back
        page.goto(live_server + "/login/")
        expect(page.locator("html")).to_have_class(re.compile(r"\blarge-font\b"))
        assert_fits(page)
        page.locator("#username").fill("no_script_user")
        page.locator("#password").fill(PASSWORD)
        old_key = key_of(page)
        page.get_by_role("button", name=say(app, "New picture")).click()
        page.wait_for_load_state()
        assert key_of(page) != old_key  # the page came back with a new picture
        expect(page.locator("#username")).to_have_value("no_script_user")
        expect(page.locator(".captcha .error")).to_have_count(0)
        assert picture_shown(page)
        assert_fits(page)

        page.locator("#password").fill(PASSWORD)
        page.locator("#captcha").fill(captcha_answer(app, key_of(page)).lower())
        page.locator("#captcha").press("Enter")  # the form's default button signs in
        expect(page.locator("nav.tools .who")).to_have_text("赵六")
    finally:
        context.close()
