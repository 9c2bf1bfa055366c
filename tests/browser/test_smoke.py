"""The home and login pages render in a real Chromium, in Chinese by default, switchable to English."""
import pytest

pytestmark = pytest.mark.browser


def test_home_in_chinese_then_english(page, live_server):
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.click("text=English")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("text=中文")
    assert page.locator("html").get_attribute("lang") == "zh-CN"


def test_large_font_persists(page, live_server):
    page.goto(live_server + "/login/")
    small = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    page.click("nav.tools >> text=/大字|Large/")
    page.goto(live_server + "/")
    large = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert float(large.rstrip("px")) > float(small.rstrip("px"))
