"""How the wizard reads at 375 px, with JavaScript and without: one required mark per question,
a pledge under its name, read-only answers that look read-only and are not cut off, the agent's
questions only for 他人代办, files chosen then 下一步 uploaded, an added row where the citizen is,
and 我要查's tabs in 大字版 each on one line."""
import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.applications_support import clock  # noqa: F401
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_fits, say, sign_in, watch_server_errors
from tests.browser.wizard_steps import expect_step, prepare, press_next, shot, start_item
from tests.wizard_support import (HB1, JIANGSU_ID, JS1, NANJING, SPOUSE_ID, citizen,
                                  jpeg_bytes)

pytestmark = pytest.mark.browser
HB1_ITEM = "门诊慢特病申报"
MARKED = """() => [...document.querySelectorAll('main label, main legend, main span')]
  .filter(e => getComputedStyle(e, '::after').content.includes('*'))
  .map(e => e.textContent.trim())"""


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


def marked(page) -> list[str]:
    """Return the texts that carry the red required mark (a CSS ::after)."""
    return page.evaluate(MARKED)


def test_hb1_marks_pledge_read_only_agent_questions_and_materials(any_page, live_server, app,
                                                                   clock, tmp_path,  # noqa: F811
                                                                   request):
    page = any_page
    username = prepare(app, HB1)
    errors = watch_server_errors(page)
    start_item(page, live_server, app, username, HB1_ITEM)

    expect_step(page, say(app, "Who applies"))
    agent_questions = page.locator("fieldset.agent")
    expect(agent_questions).to_be_hidden()  # 本人申报 is chosen
    page.get_by_label(say(app, "For someone else, as their agent"), exact=True).check()
    expect(agent_questions).to_be_visible()  # at once, with or without JavaScript
    assert marked(page) == [say(app, label) for label in (
        "Full name of the person you apply for", "Their ID card number",
        "Your relationship to them", "Your address")]
    page.get_by_label(say(app, "For myself"), exact=True).check()
    expect(agent_questions).to_be_hidden()
    press_next(page, app)

    page.get_by_label("慢性病申报").check()
    press_next(page, app)
    expect_step(page, "基本信息")
    for label in ("性别", "证件类型"):  # read-only choices: the name as text, wrapped
        value = page.get_by_label(label, exact=True)
        expect(value).to_have_class(re.compile("readonly-value"))
        assert value.evaluate("e => e.scrollWidth <= e.clientWidth && e.innerText.length > 1")
    expect(page.locator("main select[disabled]")).to_have_count(0)
    looks = "e => getComputedStyle(e).backgroundColor + getComputedStyle(e).borderStyle"
    assert page.get_by_label("姓名", exact=True).evaluate(looks) == \
        page.get_by_label("证件类型", exact=True).evaluate(looks)
    assert_fits(page)
    page.get_by_label("险种类型").select_option("310")
    page.get_by_label("联系电话").fill("13800138000")
    press_next(page, app)

    expect_step(page, "特殊人员")
    page.get_by_label("是", exact=True).check()
    if not page.js:
        page.get_by_role("button", name=say(app, "Update")).click()
        page.wait_for_load_state()
    pledge = page.get_by_role("group", name="承诺书")
    expect(pledge.get_by_role("checkbox")).to_have_count(1)
    assert marked(page) == ["是否特殊人员", "特殊人员类型", "不能到场原因", "承诺书"]
    shot(page, request, "special_person")
    page.get_by_label("特殊人员类型", exact=True).select_option("异地安置")  # asks for a proof
    page.get_by_label("不能到场原因").fill("异地安置")
    pledge.get_by_role("checkbox").check()
    press_next(page, app)
    page.get_by_label("申报病种").fill("高血压")
    page.get_by_label("认定医院").fill("唐山中心医院")
    page.get_by_label("认定科室").fill("心内科")
    press_next(page, app)

    expect_step(page, say(app, "Materials"))
    not_needed = page.locator("#material-agent_id")
    expect(not_needed.locator(".badge")).to_have_text(say(app, "Not required in your case"))
    expect(not_needed.locator("input")).to_have_count(0)
    for key in ("diagnosis", "medical_records", "special_proof"):  # chosen, no 上传 pressed
        path = tmp_path / f"{key}.jpg"
        path.write_bytes(jpeg_bytes())
        page.locator(f"#material-{key} input[type=file]").set_input_files(str(path))
    assert_fits(page)
    press_next(page, app)
    expect(page.locator("main h1")).to_have_text(say(app, "Check your answers before submitting"))
    expect(page.locator("main .problems")).to_have_count(0)
    for key in ("diagnosis", "medical_records", "special_proof"):
        expect(page.locator("main")).to_contain_text(f"{key}.jpg")
    agent_id = page.locator("main ul.files > li.not-needed")
    expect(agent_id).to_contain_text(say(app, "Not required in your case"))
    expect(agent_id).not_to_contain_text(say(app, "No file."))
    assert_fits(page)
    shot(page, request, "confirm")
    assert not errors, errors


def test_js1_an_added_row_opens_where_the_citizen_is(any_page, live_server, app,
                                                     clock, request):  # noqa: F811
    page = any_page
    username = prepare(app, JS1, number=JIANGSU_ID, name="李明", region=NANJING,
                       birth=dt.date(1985, 8, 8))
    start_item(page, live_server, app, username, "家庭共济")
    page.get_by_label("手机号码").fill("13800138000")
    press_next(page, app)

    expect_step(page, "共济使用人")
    first = page.locator("fieldset.row").nth(0)
    first.get_by_label("姓名").fill("王芳")
    first.get_by_label("证件号码").fill(SPOUSE_ID)
    page.locator("button[name=add_row]").click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"#users-1-row$"))
    added = page.locator("#users-1-row")
    expect(added).to_be_in_viewport()
    assert page.evaluate("scrollY") > 0
    if page.js:  # the focus is in the new row, where typing goes on
        expect(added.get_by_label("姓名")).to_be_focused()
    else:  # Tab goes on from the new row
        page.keyboard.press("Tab")
        assert added.evaluate("e => e.contains(document.activeElement)")
    expect(first.get_by_label("姓名")).to_have_value("王芳")
    shot(page, request, "added")


ONE_LINE = """els => els.map(e => {
  const range = document.createRange();
  range.selectNodeContents(e);
  return range.getBoundingClientRect().height < 1.5 * parseFloat(getComputedStyle(e).lineHeight);
})"""


def test_my_applications_tabs_in_large_text_keep_their_names_whole(any_page, live_server, app,
                                                                   request):
    """大字版 at 375 px: 全部, 受理中 and 已完成 each on one line, never 全/部 (nor in English)."""
    page = any_page
    with app.app_context():
        username = citizen().username
    sign_in(page, live_server, username)
    page.locator("nav.tools").get_by_role("link", name=say(app, "Large text")).click()
    page.wait_for_load_state()
    for locale in ("zh", "en"):
        page.goto(f"{live_server}/my/applications/?_l_={locale}")
        expect(page.locator("html")).to_have_class("large-font")
        tabs = page.locator("nav.tabs a")
        expect(tabs).to_have_text([say(app, name, locale) for name in
                                   ("All", "Being processed", "Completed")])
        assert tabs.evaluate_all(ONE_LINE) == [True] * 3, tabs.all_inner_texts()
        if locale == "zh":  # three short names: one row
            assert len(set(tabs.evaluate_all("els => els.map(e => e.offsetTop)"))) == 1
        assert_fits(page)
        shot(page, request, f"tabs_{locale}")
