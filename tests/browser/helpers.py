"""Helpers for the browser journeys: the app's own wording, sign-in, SMS codes, layout checks.

Texts are looked up through the app's translations (``say``) so the assertions quote what a
person reads in the page's language, whichever wording the catalogue holds.
"""
import re

from flask_babel import force_locale, gettext

from tests.support import PASSWORD, captcha_answer

#: The app each live server serves, by base URL (tests/browser/conftest.py ``live_server``).
SERVED = {}
CJK = re.compile(r"[\u4e00-\u9fff]")
FULL_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
SIX_DIGITS = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def say(app, msgid: str, locale: str = "zh", **variables) -> str:
    """Return ``msgid`` as the app renders it in ``locale`` (default: Chinese, the default)."""
    with app.test_request_context("/"), force_locale(locale):
        return gettext(msgid, **variables)


def has_chinese(text: str) -> bool:
    return bool(CJK.search(text or ""))


def text_of(page, selector: str = "body") -> str:
    return page.locator(selector).first.inner_text()


def watch_server_errors(page) -> list:
    """Record every response with a 5xx status; assert the returned list stays empty."""
    failures = []
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 500
            else None)
    return failures


def horizontal_overflow(page) -> list[str]:
    """Return the visible elements that stick out of the viewport on the right (375 px)."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const out = [];
          for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.width && r.height && r.right > width + 1) {
              const label = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                (el.className && typeof el.className === 'string' ? '.' +
                 el.className.trim().split(/\\s+/).join('.') : '');
              out.push(label + ' right=' + Math.round(r.right) + ' "' +
                       (el.innerText || el.value || '').trim().slice(0, 40) + '"');
            }
          }
          if (document.documentElement.scrollWidth > width)
            out.unshift('page scrollWidth ' + document.documentElement.scrollWidth + ' > ' + width);
          return out;
        }"""
    )


def assert_fits(page):
    """Nothing on the page is wider than the phone screen (no sideways scrolling)."""
    overflow = horizontal_overflow(page)
    assert not overflow, f"{page.url} overflows at {page.viewport_size['width']} px: {overflow}"


def field_error(page, field_id: str):
    """Return the error paragraph rendered next to the field ``field_id``."""
    return page.locator(f".field.has-error #{field_id}-err")


def solve_captcha(page):
    """Type the login page's captcha answer, read from the served app's store by the key the
    page carries (as a person reads the picture)."""
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    key = page.locator("input[name=captcha_key]").input_value()
    page.fill("#captcha", captcha_answer(SERVED[origin], key))


def sign_in(page, base_url: str, username: str, password: str = PASSWORD):
    """Sign in through the login page as a person would (type, press the button)."""
    page.goto(base_url + "/login/")
    page.fill("#username", username)
    page.fill("#password", password)
    solve_captcha(page)
    page.locator("main form button.primary[type=submit]").click()
    page.wait_for_load_state()


def latest_code_on_dev_page(context, base_url: str, mobile: str) -> str:
    """Open /dev/sms in another tab, read the newest code sent to ``mobile``, close the tab."""
    tab = context.new_page()
    try:
        tab.goto(base_url + "/dev/sms")
        rows = tab.locator("table.data tbody tr").filter(has=tab.locator("td", has_text=mobile))
        assert rows.count() >= 1, f"no text message to {mobile} on /dev/sms:\n{tab.inner_text('main')}"
        message = rows.first.locator("td").nth(2).inner_text()  # newest first
        match = SIX_DIGITS.search(message)
        assert match, f"the message to {mobile} holds no 6-digit code: {message}"
        return match.group(1)
    finally:
        tab.close()


def menu_links(page) -> list[str]:
    """Return the hrefs of FAB's navigation bar (staff layout)."""
    return page.eval_on_selector_all(".navbar a[href]", "els => els.map(a => a.getAttribute('href'))")


def broken_menu_links(page, base_url: str) -> dict[str, str]:
    """Open every link of FAB's navigation bar (not language or sign-out); return the failures
    as {href: "'label' href -> status"}."""
    broken = {}
    for href in dict.fromkeys(menu_links(page)):
        if not href.startswith("/") or href.startswith(("/lang/", "/logout")):
            continue
        response = page.request.get(base_url + href, max_redirects=0)
        if response.status >= 400:
            label = page.locator(f'.navbar a[href="{href}"]').first.inner_text().strip()
            broken[href] = f"{label!r} {href} -> {response.status}"
    return broken


def open_menu_link(page, href: str):
    """Click the navigation bar's link to ``href`` as a person would (opening its dropdown)."""
    link = page.locator(f'.navbar a[href="{href}"]').first
    if not link.is_visible():
        link.locator("xpath=ancestor::li[contains(@class, 'dropdown')][1]"
                     "/a[contains(@class, 'dropdown-toggle')]").click()
    link.click()
    page.wait_for_load_state()


def assert_menu_opens(page, base_url: str):
    """Every menu entry opens; on failure the page shows the first broken one (screenshot)."""
    broken = broken_menu_links(page, base_url)
    if broken:
        open_menu_link(page, next(iter(broken)))
    assert not broken, f"menu entries answering an error: {list(broken.values())}"
