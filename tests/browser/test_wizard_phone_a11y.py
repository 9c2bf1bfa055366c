"""The wizard on a 375 px phone, in 大字版 and English too: SC-2's 人员参保信息 as one card per
enrollment, a refused step's error summary focused and named in the title, a clear focus ring
on the red primary button."""
import re

import pytest
from playwright.sync_api import expect

from tests.applications_support import clock, publish_sc2, sc2_web_draft, wang_fang  # noqa: F401
from tests.browser.helpers import assert_fits, sign_in
from tests.browser.wizard_steps import press_next

pytestmark = pytest.mark.browser
CARDS = """() => [...document.querySelectorAll('table.enrollments tbody td')].map(td => {
  const text = [...td.childNodes].find(n => n.nodeType === 3);
  const range = document.createRange(); range.selectNodeContents(text);
  const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
  return {label: getComputedStyle(td, '::before').content.replace(/"/g, ''),
          value: text.textContent, lines: lines, display: getComputedStyle(td).display};
})"""
RING = """() => { const e = document.activeElement, s = getComputedStyle(e);
  return {tag: e.tagName, cls: e.className, style: s.outlineStyle,
          width: parseFloat(s.outlineWidth), colour: s.outlineColor}; }"""


@pytest.fixture
def sc2_basic(app, clock):  # noqa: F811
    """A citizen of 达州 with an SC-2 application at its 基本信息 page; (username, its URL)."""
    with app.app_context():
        publish_sc2()
        user = wang_fang()
        _client, pk = sc2_web_draft(app, user)
        return user.username, f"/applications/{pk}/pages/basic", pk


def cards(page) -> list[dict]:
    return page.evaluate(CARDS)


def tab_to(page, selector: str):
    """Press Tab until ``selector`` has the focus, as a keyboard user does."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_enrollment_table_is_one_card_per_row_on_a_phone(page, live_server, sc2_basic):
    username, url, _ = sc2_basic
    sign_in(page, live_server, username)
    page.goto(live_server + url)
    region = page.get_by_role("region", name="人员参保信息")
    expect(region).to_have_attribute("tabindex", "0")
    shown = cards(page)
    assert {"label": "个人参保日期", "value": "2023-09-01", "lines": 1, "display": "grid"} in shown
    assert all(c["label"] and c["display"] == "grid" for c in shown), shown
    assert_fits(page)

    page.get_by_role("link", name="大字版").click()
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\blarge-font\b"))
    region = page.get_by_role("region", name="Current enrollments")
    assert region.evaluate("e => e.scrollWidth <= e.clientWidth"), "the cards are cut off"
    shown = cards(page)
    statuses = [c for c in shown if c["label"] == "Status"]
    assert statuses and all(c["lines"] == 1 for c in statuses), shown  # "Insured", whole
    assert all(c["lines"] == 1 for c in shown if c["label"] == "Enrolled on"), shown
    assert_fits(page)


def test_a_refused_step_focuses_its_summary_and_says_so_in_the_title(page, live_server, app,
                                                                      sc2_basic):
    username, url, pk = sc2_basic
    sign_in(page, live_server, username)
    page.goto(f"{live_server}/applications/{pk}/pages/suspension")
    expect(page).to_have_title("暂停信息 - 城乡居民暂停参保 · 办事")
    press_next(page, app)
    expect(page).to_have_title("错误：暂停信息 - 城乡居民暂停参保 · 办事")
    summary = page.locator("main section.problems")
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")  # the summary's first link is the next stop
    expect(summary.get_by_role("link").first).to_be_focused()

    page.get_by_role("link", name="English").click()
    expect(page).to_have_title("Suspension - Suspension of resident insurance enrollment · banshi")


def test_the_primary_button_has_a_clear_focus_ring_in_large_text_too(page, live_server,
                                                                     sc2_basic):
    username, url, _ = sc2_basic
    sign_in(page, live_server, username)
    page.goto(live_server + url)
    for large in (False, True):
        if large:
            page.get_by_role("link", name="大字版").click()
            expect(page.locator("html")).to_have_class(re.compile(r"\blarge-font\b"))
        page.locator("main h1").click()
        tab_to(page, "main button.primary")
        ring = page.evaluate(RING)
        assert ring["style"] == "solid" and ring["width"] >= 2, ring
        assert ring["colour"] == "rgb(11, 87, 208)", ring  # blue against the red button
        tab_to(page, "main a, main button.link")
        assert page.evaluate(RING)["width"] >= 2
