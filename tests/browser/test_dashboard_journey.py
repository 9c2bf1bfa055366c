"""The dashboard in Chromium: a 唐山市 (130200) region admin opens 办件统计 from the menu and
sees the charts and figures of the 唐山市 subtree only, drills down to 路北区 and back, and
prints the page (menu and filters left out; screenshot ``…_print.png``)."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import has_chinese, say, sign_in, watch_server_errors
from tests.dashboard_support import seed
from tests.review_support import workday_clock  # noqa: F401
from tests.support import make_user

pytestmark = pytest.mark.browser


def test_region_admin_sees_the_charts_of_the_subtree_only(desk_page, live_server, app,
                                                           workday_clock, tmp_path, request):
    page = desk_page
    server_errors = watch_server_errors(page)
    with app.app_context():
        seed(workday_clock, tmp_path / "formdefs")  # today: 22 October 2025
        admin = make_user("RegionAdmin", "130200", username="ts_dash", name="唐山统计").username

    sign_in(page, live_server, admin)
    page.locator(".navbar a.dropdown-toggle", has_text=say(app, "Statistics")).click()
    page.locator(".navbar a", has_text=say(app, "Dashboard")).click()
    page.wait_for_load_state()
    expect(page.locator("h2")).to_have_text(say(app, "Dashboard"))

    # The default period is this year so far: every fixture application of 唐山市.
    expect(page.locator("#d-from")).to_have_value("2025-01-01")
    expect(page.locator("#d-to")).to_have_value("2025-10-22")
    expect(page.locator("#total-applications")).to_have_text("9")
    expect(page.locator("#total-median")).to_contain_text("4.0")
    expect(page.locator("#total-overdue")).to_contain_text("37.5%")
    expect(page.locator("#total-returns")).to_contain_text("4")

    charts = page.locator("svg.dashboard-chart")
    expect(charts).to_have_count(6)
    for index in range(6):
        box = charts.nth(index).bounding_box()
        assert box and box["width"] > 300 and box["height"] > 20, (index, box)
    item_bars = page.locator("#by-item-chart g.dashboard-bar")
    expect(item_bars).to_have_count(2)
    assert {item_bars.nth(i).get_attribute("data-label") for i in range(2)} == {
        "看板甲事项", "看板乙事项"}

    regions = page.locator("#by-region table tbody tr")
    lubei = regions.filter(has_text="路北区")
    expect(lubei.locator("td").first).to_have_text("7")
    expect(regions.filter(has_text="路南区").locator("td").first).to_have_text("2")
    body = page.locator("body").inner_text()
    for outside in ("长安区", "石家庄", "广东", "南山区", "看板丙事项"):
        assert outside not in body, outside
    assert has_chinese(page.locator("#by-status table").inner_text())

    # Drill down to 路北区: the filters stay, the figures narrow.
    lubei.get_by_role("link", name="路北区").click()
    page.wait_for_load_state()
    expect(page.locator("#total-applications")).to_have_text("7")
    expect(page.locator(".dashboard-trail")).to_contain_text("唐山市")
    expect(page.locator("#d-from")).to_have_value("2025-01-01")
    page.locator(".dashboard-trail a", has_text="唐山市").click()
    page.wait_for_load_state()
    expect(page.locator("#total-applications")).to_have_text("9")

    # Printed: no menu, filters or buttons; the charts and their tables stay.
    page.emulate_media(media="print")
    expect(page.locator(".navbar")).to_be_hidden()
    expect(page.locator(".dashboard-filters")).to_be_hidden()
    expect(page.locator("svg.dashboard-chart").first).to_be_visible()
    expect(page.locator("#by-region table")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    page.screenshot(path=str(ARTIFACTS / f"{name}_print.png"), full_page=True)
    page.emulate_media(media="screen")
    assert server_errors == []
