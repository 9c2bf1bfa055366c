"""A citizen's account journey in a real Chromium on a 375 px phone screen, in Chinese first.

Register with an SMS code (read from the development gateway's page in a second tab, standing in
for the phone), verify the identity with the secret the development page shows, sign out, sign
in again by ID number, switch languages; the mistakes people make on the way; large text;
keyboard order on the login page.
"""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from app.commands.sms_codes import MAX_ATTEMPTS
from app.validators import mask_id_number, mask_mobile
from tests.accounts_support import valid_id
from tests.browser.helpers import (
    FULL_MOBILE, assert_fits, field_error, has_chinese, latest_code_on_dev_page, say, sign_in,
    solve_captcha, watch_server_errors,
)
from tests.support import PASSWORD, captcha_answer, make_user

pytestmark = pytest.mark.browser

ID_NUMBER = valid_id("11010519491231002")  # 11010519491231002X: Beijing Chaoyang, 1949-12-31
NAME = "张三"
EC_PASSWORD = "Medical insurance e-certificate (医保电子凭证) password"


def open_register_page(page, base_url, app):
    """Go from the home page to the registration form by its link."""
    page.goto(base_url + "/")
    page.locator("main").get_by_role("link", name=say(app, "Create an account")).click()
    expect(page).to_have_url(re.compile(r"/account/register$"))
    expect(page.locator("main h1")).to_have_text(say(app, "Create an account"))


def request_code(page, base_url, app, mobile) -> str:
    """Type the mobile, press "send code", see the confirmation, read the code off the "phone"."""
    page.get_by_label(say(app, "Mobile number"), exact=True).fill(mobile)
    page.get_by_role("button", name=say(app, "Send verification code")).click()
    expect(page.locator("main [role=status]")).to_have_text(say(
        app, "Check your phone: we sent a text message to %(mobile)s. Enter the code from it "
             "below.", mobile=mask_mobile(mobile)))
    expect(page.get_by_label(say(app, "Mobile number"), exact=True)).to_have_value(mobile)
    return latest_code_on_dev_page(page.context, base_url, mobile)


def fill_registration(page, app, code, password=PASSWORD, confirmation=None):
    page.get_by_label(say(app, "SMS verification code"), exact=True).fill(code)
    page.get_by_label(say(app, "Password"), exact=True).fill(password)
    page.get_by_label(say(app, "Repeat the password"), exact=True).fill(
        password if confirmation is None else confirmation)
    agreement = page.get_by_label(say(app, "I have read and accept the registration agreement."))
    if not agreement.is_checked():
        agreement.check()


def submit_registration(page, app):
    page.get_by_role("button", name=say(app, "Create account"), exact=True).click()
    page.wait_for_load_state()


def sign_out(page, app):
    """Use the "sign out" control of the header (a link or a button), confirm if asked."""
    control = page.locator("nav.tools").locator("a, button", has_text=say(app, "Sign out"))
    expect(control).to_have_count(1)
    control.click()
    page.wait_for_load_state()
    confirm = page.locator("main form button[type=submit]", has_text=say(app, "Sign out"))
    if confirm.count():  # the GET page asking "sign out on every device?"
        confirm.click()
        page.wait_for_load_state()


def row_value(page, app, label: str):
    """Return the cell next to the row header ``label`` on the account page."""
    return page.locator("table.data tr", has=page.locator("th", has_text=say(app, label))).locator(
        "td")


def test_citizen_registers_verifies_signs_in_by_id_number_and_switches_language(
        page, live_server, app):
    server_errors = watch_server_errors(page)
    mobile = "13800138000"

    # Register: home page -> 注册 -> mobile -> send code -> read it on the "phone" -> submit.
    open_register_page(page, live_server, app)
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert_fits(page)
    code = request_code(page, live_server, app, mobile)
    assert_fits(page)
    fill_registration(page, app, code)
    submit_registration(page, app)

    # Signed in, asked to verify the identity.
    expect(page).to_have_url(re.compile(r"/identity/verify$"))
    expect(page.locator("main h1")).to_have_text(say(app, "Verify your identity"))
    expect(page.locator("main .flash-success")).to_have_text(
        say(app, "Your account is ready. Verify your identity to start applying."))
    assert_fits(page)

    # The development page tells which secret the simulated check accepts.
    secret = app.config["DEV_IDENTITY_SECRET"]
    expect(page.locator("main aside[role=note]")).to_contain_text(secret)
    page.get_by_label(say(app, "Full name"), exact=True).fill(NAME)
    page.get_by_label(say(app, "ID card number"), exact=True).fill(ID_NUMBER)
    page.get_by_label(say(app, EC_PASSWORD)).check()
    page.get_by_label(say(app, "Password"), exact=True).fill(secret)
    page.get_by_role("button", name=say(app, "Verify"), exact=True).click()

    # Verified: the account page shows name, masked numbers and the verification.
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.locator("main [role=status]")).to_have_text(say(app, "Your identity is verified."))
    expect(page.locator("main h1")).to_have_text(say(app, "My account"))
    today = datetime.now(ZoneInfo("Asia/Shanghai"))
    expect(row_value(page, app, "Real-name verification")).to_contain_text(
        f"已于{today.year}年{today.month}月{today.day}日认证")  # the long date, as elsewhere
    expect(row_value(page, app, "Full name")).to_have_text(NAME)
    expect(row_value(page, app, "ID card number")).to_have_text(mask_id_number(ID_NUMBER))
    expect(row_value(page, app, "Mobile number")).to_have_text(mask_mobile(mobile))
    body = page.inner_text("body")
    assert ID_NUMBER not in body and not FULL_MOBILE.search(body), body
    expect(page.locator("nav.tools .who")).to_have_text(NAME)
    assert_fits(page)

    # Sign out: the header offers "sign in" again and the account page asks to sign in.
    sign_out(page, app)
    expect(page.locator("nav.tools .who")).to_have_count(0)
    expect(page.locator("nav.tools").get_by_role("link", name=say(app, "Sign in"))).to_be_visible()
    page.goto(live_server + "/me/")
    expect(page).to_have_url(re.compile(r"/login/\?next="))

    # Sign in again, from the login page the account page sent us to, with the ID number.
    expect(page.locator("main h1")).to_have_text(say(app, "Sign in"))
    page.get_by_label(say(app, "Mobile, ID number or username"), exact=True).fill(ID_NUMBER)
    page.get_by_label(say(app, "Password"), exact=True).fill(PASSWORD)
    solve_captcha(page)
    page.locator("main").get_by_role("button", name=say(app, "Sign in")).click()
    expect(page).to_have_url(re.compile(r"/me/$"))  # back where the sign-in was asked for
    expect(page.locator("main h1")).to_have_text(say(app, "My account"))
    expect(page.locator("nav.tools .who")).to_have_text(NAME)
    page.goto(live_server + "/")
    expect(page.locator("main")).to_contain_text(say(app, "Welcome, %(name)s", name=NAME))

    # Problems a person would notice but that do not stop the journey are collected and
    # reported together at the end.
    problems = []
    # From the home page, the account page is one click away.
    to_account = page.locator('header a[href$="/me/"], main a[href$="/me/"]')
    if to_account.count():
        to_account.first.click()
    else:
        problems.append("a signed-in citizen's home page has no link to the account page /me/")
        page.goto(live_server + "/me/")
    expect(page.locator("main h1")).to_have_text(say(app, "My account"))

    # Switch to English on the account page, and back to Chinese.
    zh_heading = page.inner_text("main h1")
    zh_labels = page.locator("table.data th").all_inner_texts()
    page.locator("nav.tools").get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    if not page.url.endswith("/me/"):
        problems.append(f"switching to English on /me/ leaves the page for {page.url}")
        page.goto(live_server + "/me/")
    expect(page.locator("main h1")).to_have_text("My account")
    expect(page.locator("table.data th").first).to_have_text("Full name")
    expect(page.locator("nav.tools")).to_contain_text("Sign out")
    assert_fits(page)
    page.locator("nav.tools").get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    if not page.url.endswith("/me/"):
        problems.append(f"switching to Chinese on /me/ leaves the page for {page.url}")
        page.goto(live_server + "/me/")
    expect(page.locator("main h1")).to_have_text(zh_heading)
    assert not server_errors, server_errors

    # The Chinese page reads in Chinese: heading and labels differ from the English ones.
    if not has_chinese(zh_heading) or zh_heading == "My account":
        problems.append(f"the Chinese account page shows the heading {zh_heading!r}")
    english = [label for label in zh_labels if not has_chinese(label)]
    if english:
        problems.append(f"the Chinese account page shows English labels {english}")
    assert not problems, "\n".join(problems)


def test_wrong_sms_code_is_shown_next_to_the_code_field(page, live_server, app):
    server_errors = watch_server_errors(page)
    mobile = "13900139001"
    open_register_page(page, live_server, app)
    code = request_code(page, live_server, app, mobile)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    fill_registration(page, app, wrong)
    submit_registration(page, app)

    # Still on the form, not signed in; the message sits with the code field, which is marked.
    expect(page.locator("main h1")).to_have_text(say(app, "Create an account"))
    expect(page.locator("nav.tools .who")).to_have_count(0)
    error = field_error(page, "code")
    expect(error).to_have_text(say(app, "The code is wrong; %(left)d attempts left.",
                                   left=MAX_ATTEMPTS - 1))
    code_input = page.get_by_label(say(app, "SMS verification code"), exact=True)
    expect(code_input).to_have_attribute("aria-invalid", "true")
    expect(code_input).to_have_attribute("aria-describedby", "code-err")
    box, message = code_input.bounding_box(), error.bounding_box()
    assert 0 <= message["y"] - (box["y"] + box["height"]) < 40, (box, message)
    for other in ("mobile", "password", "confirmation"):
        expect(field_error(page, other)).to_have_count(0)
    expect(page.get_by_label(say(app, "Mobile number"), exact=True)).to_have_value(mobile)
    assert_fits(page)

    # Typing the right code then works.
    fill_registration(page, app, code)
    submit_registration(page, app)
    expect(page).to_have_url(re.compile(r"/identity/verify$"))
    expect(page.locator("main h1")).to_have_text(say(app, "Verify your identity"))
    assert not server_errors, server_errors


@pytest.mark.parametrize("weak, rule", [
    ("abcdefgh", "The password must contain at least one digit."),
    ("12345678", "The password must contain at least one letter."),
    ("abc123", ("The password must have at least %(min)d characters.", {"min": 8})),
    ("password1", "This password is too common; choose another one."),
], ids=["no-digit", "no-letter", "too-short", "common"])
def test_weak_password_names_the_rule_it_breaks(page, live_server, app, weak, rule):
    msgid, variables = rule if isinstance(rule, tuple) else (rule, {})
    mobile = "13700137002"
    open_register_page(page, live_server, app)
    help_text = say(app, "At least 8 characters, with letters and digits; not a common password.")
    expect(page.locator(".field", has=page.locator("#password")).locator(".help")).to_have_text(
        help_text)
    code = request_code(page, live_server, app, mobile)
    fill_registration(page, app, code, password=weak)
    submit_registration(page, app)

    expect(page.locator("main h1")).to_have_text(say(app, "Create an account"))
    expect(field_error(page, "password")).to_have_text(say(app, msgid, **variables))
    expect(page.get_by_label(say(app, "Password"), exact=True)).to_have_attribute(
        "aria-invalid", "true")
    expect(field_error(page, "code")).to_have_count(0)
    assert_fits(page)

    # The code was not used up by the refused form: a good password now creates the account.
    fill_registration(page, app, code)
    submit_registration(page, app)
    expect(page).to_have_url(re.compile(r"/identity/verify$"))


def font_size(page) -> float:
    return float(page.evaluate("getComputedStyle(document.documentElement).fontSize")[:-2])


def expect_font_size(page, size: float) -> None:
    """Wait for the root font size (a page's stylesheet may still be applying when its heading
    shows)."""
    expect(page.locator("html")).to_have_css("font-size", f"{size:g}px")


def test_large_text_persists_across_pages(page, live_server, app):
    page.goto(live_server + "/login/")
    normal = font_size(page)
    toggle = page.locator("nav.tools").get_by_role("link", name=say(app, "Large text"))
    toggle.click()
    expect(page).to_have_url(re.compile(r"/login/$"))  # back on the page it was asked from
    expect(page.locator("html")).to_have_class(re.compile(r"\blarge-font\b"))
    # Wait for the stylesheet to apply the class (the URL matches before the page has loaded).
    expect(page.locator("html")).not_to_have_css("font-size", f"{normal:g}px")
    large = font_size(page)
    assert large > normal
    assert_fits(page)

    # Following links, posting a form and opening other pages keep the large text.
    page.locator("main").get_by_role("link", name=say(app, "Create an account")).click()
    expect(page.locator("main h1")).to_have_text(say(app, "Create an account"))
    expect_font_size(page, large)
    assert_fits(page)
    page.get_by_label(say(app, "Mobile number"), exact=True).fill("12345")
    page.get_by_role("button", name=say(app, "Send verification code")).click()
    expect(field_error(page, "mobile")).to_be_visible()
    expect_font_size(page, large)
    assert_fits(page)
    for path in ("/", "/account/reset"):
        page.goto(live_server + path)
        expect_font_size(page, large)
        assert_fits(page)

    # Signing in starts a fresh session, which keeps the large text.
    with app.app_context():
        make_user("Citizen", username="13600136004", name="李四", mobile="13600136004")
    sign_in(page, live_server, "13600136004")
    expect(page.locator("nav.tools .who")).to_have_text("李四")
    for path in ("/", "/identity/verify", "/me/"):
        page.goto(live_server + path)
        expect_font_size(page, large)
        assert_fits(page)

    # The same header link turns it off again.
    standard = page.locator("nav.tools").get_by_role("link", name=say(app, "Standard text"))
    standard.click()
    expect(page.locator("html")).not_to_have_class(re.compile(r"\blarge-font\b"))
    expect_font_size(page, normal)
    page.goto(live_server + "/login/")
    expect_font_size(page, normal)


def test_login_page_tab_order(page, live_server, app):
    with app.app_context():
        make_user("Citizen", username="keyboard_user")
    page.goto(live_server + "/login/")
    seen = []
    for _ in range(25):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(
            "() => { const e = document.activeElement;"
            " if (e.classList.contains('primary')) return 'sign-in';"
            " return e.id || (e.tagName + ':' + (e.name || e.textContent.trim())) }"))
        if seen[-1] == "sign-in":
            break
    assert "username" in seen, seen
    start = seen.index("username")
    # The captcha's answer, then its "New picture" and the sound, then the form's button.
    assert seen[start:] == ["username", "password", "captcha", "BUTTON:captcha_new",
                            "SUMMARY:" + say(app, "Listen to the characters instead"),
                            "sign-in"], seen
    focused = page.evaluate("document.activeElement.closest('form') === document.querySelector("
                            "'main form') && document.activeElement.innerText")
    assert focused == say(app, "Sign in")

    for expected in ("SUMMARY", "captcha_new", "captcha", "password", "username"):
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("(e => e.id || e.name || e.tagName)(document.activeElement)") \
            == expected
    page.keyboard.type("keyboard_user")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(captcha_answer(app, page.locator("input[name=captcha_key]").input_value())
                       .lower())
    page.keyboard.press("Enter")  # Enter in the last field signs in (not "New picture")
    expect(page.locator("nav.tools .who")).to_have_text("keyboard_user")
