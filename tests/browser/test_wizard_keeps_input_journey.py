"""GD-8 生育津贴申报 at 375 px, with JavaScript and without: nothing typed is silently lost.

- A new 用人单位名称, then the progress bar's 参保人信息: saved on the way (and Enter still means
  下一步, not a step of the progress bar).
- 胎次 and 胎儿数 typed under 产假, hidden by 计划生育手术休假, shown again by 产假: still there.
- 上传 with no file chosen says so; 休假天数 is empty before any date is given; the read-only
  证件类型 offers no "update" button.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.applications_support import CODE, REGION, clock, load_gd8, make_citizen  # noqa: F401
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_fits, say, sign_in, watch_server_errors
from tests.browser.wizard_steps import expect_step, htmx_settled
from tests.wizard_support import acknowledge_notice, signed_in, start

pytestmark = pytest.mark.browser


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def any_page(request, browser):
    """A 375 px page with JavaScript on, then off."""
    context = browser.new_context(locale="zh-CN", java_script_enabled=request.param,
                                  viewport={"width": 375, "height": 812})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.js = request.param
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def gd8_draft(app, any_page, live_server, clock):  # noqa: F811
    """Sign in as a GD-8 citizen with a draft past its notice; return its base URL."""
    with app.app_context():
        load_gd8()
        user = make_citizen()
        username = user.username
        pk = start(signed_in(app, user), CODE, REGION)
        acknowledge_notice(signed_in(app, user), pk)
    sign_in(any_page, live_server, username)
    return f"{live_server}/applications/{pk}"


def choose(page, app, label: str):
    """Choose an answer other questions depend on: live, or with "update" without JS."""
    page.get_by_label(label, exact=True).check()
    if page.js:
        htmx_settled(page)
    else:
        page.get_by_role("button", name=say(app, "Update")).first.click()  # 休假类别's
        page.wait_for_load_state()


def test_the_progress_bar_saves_the_page_it_leaves(any_page, app, gd8_draft):
    page, errors = any_page, watch_server_errors(any_page)
    page.goto(f"{gd8_draft}/pages/employer")
    expect_step(page, "用人单位情况")
    page.get_by_label("用人单位名称").fill("广州新名称有限公司")
    page.get_by_label("用人单位名称").press("Enter")  # 下一步: refused, the page stays
    page.wait_for_load_state()
    expect_step(page, "用人单位情况")
    expect(page.locator("#employer_uscc-err")).to_be_visible()

    page.get_by_label("用人单位名称").fill("广州另一名称有限公司")
    page.locator("nav.progress li.done", has_text="参保人信息").locator("a, button").click()
    page.wait_for_load_state()
    expect_step(page, "参保人信息")
    expect(page.get_by_role("button", name=say(app, "Update"))).to_have_count(0)  # read-only
    assert_fits(page)
    page.goto(f"{gd8_draft}/pages/employer")
    expect(page.get_by_label("用人单位名称")).to_have_value("广州另一名称有限公司")
    assert not errors, errors


def test_answers_hidden_then_shown_again_are_still_there(any_page, app, gd8_draft):
    page, errors = any_page, watch_server_errors(any_page)
    page.goto(f"{gd8_draft}/pages/leave")
    choose(page, app, "产假")
    page.get_by_label("胎次").fill("2")
    page.get_by_label("胎儿数").fill("1")
    choose(page, app, "计划生育手术休假")
    expect(page.get_by_label("胎次")).to_have_count(0)
    choose(page, app, "产假")
    expect(page.get_by_label("胎次")).to_have_value("2")
    expect(page.get_by_label("胎儿数")).to_have_value("1")
    expect(page.get_by_label("休假天数")).to_have_value("")  # no date yet: not a 0
    assert_fits(page)
    assert not errors, errors


def test_upload_without_a_file_says_to_choose_one(any_page, app, gd8_draft):
    page, errors = any_page, watch_server_errors(any_page)
    page.goto(f"{gd8_draft}/materials")
    section = page.locator("#material-id_document")
    section.get_by_role("button", name=say(app, "Upload"), exact=True).click()
    page.wait_for_load_state()
    expect(page.locator("#material-id_document-err")).to_have_text("请选择要上传的文件。")
    expect(section.locator("input[type=file]")).to_have_attribute("aria-invalid", "true")
    assert_fits(page)
    assert not errors, errors
