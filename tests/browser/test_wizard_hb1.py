"""HB-1 门诊慢特病申报 in a real Chromium at 375 px, as an agent for a parent, with the
特殊人员 = 是 branch: its questions appear live (htmx) — and, in a second context with
JavaScript disabled, through the "update" button."""
import re

import pytest
from playwright.sync_api import expect

from tests.applications_support import clock, make_person  # noqa: F401
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_fits, say, watch_server_errors
from tests.browser.wizard_steps import (choose_region, expect_step, prepare, press_next, shot,
                                        start_item, submit_and_follow, upload)
from tests.wizard_support import HB1, SUBJECT_ID, TANGSHAN

pytestmark = pytest.mark.browser
ITEM = "门诊慢特病申报"


def special_questions(page):
    return page.get_by_label("特殊人员类型", exact=True)


def test_hb1_as_an_agent_with_the_special_person_branch(page, live_server, app, clock,  # noqa: F811
                                                        tmp_path, request, csrf):
    """With CSRF protection on, as in production: htmx sends the form's token."""
    username = prepare(app, HB1)
    with app.app_context():
        make_person(SUBJECT_ID, "王秀英", TANGSHAN, sex="2")
    errors = watch_server_errors(page)
    start_item(page, live_server, app, username, ITEM)

    expect_step(page, say(app, "Who applies"))
    page.get_by_label(say(app, "For someone else, as their agent"), exact=True).check()
    page.get_by_label(say(app, "Full name of the person you apply for")).fill("王秀英")
    page.get_by_label(say(app, "Their ID card number")).fill(SUBJECT_ID)
    page.get_by_label(say(app, "Your relationship to them")).select_option(label="子女")
    page.get_by_label(say(app, "Your address")).fill("唐山市路北区某某路1号")
    assert_fits(page)
    press_next(page, app)

    expect_step(page, "申报选择")
    press_next(page, app)  # nothing chosen: the engine's message next to the question
    expect(page.locator("#disease_kind-err")).to_have_text(say(app, "Answer this question."))
    page.get_by_label("慢性病申报").check()
    press_next(page, app)

    expect_step(page, "基本信息")
    expect(page.get_by_label("姓名", exact=True)).to_have_value("王秀英")  # the subject's record
    page.get_by_label("险种类型").select_option("310")
    # An agent is given none of the subject's registry data but what they declared.
    expect(page.get_by_label("联系电话")).to_have_value("")
    page.get_by_label("联系电话").fill("13800138000")
    choose_region(page, "参保地区", "唐山市")
    press_next(page, app)

    expect_step(page, "特殊人员")
    expect(special_questions(page)).to_have_count(0)
    page.get_by_label("是", exact=True).check()  # htmx asks the server to redraw the questions
    expect(special_questions(page)).to_be_visible()
    assert page.url.endswith("/pages/special_person")  # no page load: only the block changed
    expect(page.get_by_role("button", name=say(app, "Update"))).to_have_count(0)  # noscript
    page.get_by_label("否", exact=True).check()
    expect(special_questions(page)).to_have_count(0)
    page.get_by_label("是", exact=True).check()
    expect(special_questions(page)).to_be_visible()
    special_questions(page).select_option("年老或行动不便")
    page.get_by_label("不能到场原因").fill("年老行动不便，无法到医院")
    page.get_by_label("本人承诺对不能前往现场认定的具体原因真实", exact=False).check()
    assert_fits(page)
    shot(page, request, "special_person")
    press_next(page, app)

    expect_step(page, "认定信息")
    page.get_by_label("申报病种").fill("高血压")
    page.get_by_label("认定医院").fill("唐山中心医院")
    page.get_by_label("认定科室").fill("心内科")
    press_next(page, app)

    expect(page.locator("#material-agent_id .badge")).to_have_text(
        say(app, "Required in your case"))
    for key in ("diagnosis", "medical_records", "agent_id"):
        upload(page, app, tmp_path, key)
    assert_fits(page)
    shot(page, request, "materials")
    press_next(page, app)
    submit_and_follow(page, app, ITEM, request=request, must_show=("王秀英", "慢性病申报", "年老或行动不便",
                                                  "职工基本医疗保险"))
    assert not errors, errors


def test_hb1_special_questions_without_javascript(browser, live_server, app, clock,  # noqa: F811
                                                 request):
    username = prepare(app, HB1)
    context = browser.new_context(locale="zh-CN", java_script_enabled=False,
                                  viewport={"width": 375, "height": 812})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        errors = watch_server_errors(page)
        start_item(page, live_server, app, username, ITEM)
        page.get_by_label(say(app, "For myself"), exact=True).check()
        press_next(page, app)
        page.get_by_label("特殊病申报").check()
        press_next(page, app)
        page.get_by_label("险种类型").select_option("390")
        page.get_by_label("联系电话").fill("13800138000")
        press_next(page, app)
        expect_step(page, "特殊人员")
        page.get_by_label("是", exact=True).check()
        expect(special_questions(page)).to_have_count(0)  # nothing runs without JavaScript
        page.get_by_role("button", name=say(app, "Update")).click()
        page.wait_for_load_state()
        expect(special_questions(page)).to_be_visible()
        expect(page.get_by_label("是", exact=True)).to_be_checked()
        expect(page.locator("main .error")).to_have_count(0)
        press_next(page, app)  # the new questions are required now: errors next to them
        expect(page.locator("#special_type-err")).to_be_visible()
        special_questions(page).select_option("居住偏远")
        page.get_by_label("不能到场原因").fill("居住偏远")
        page.get_by_label("本人承诺对不能前往现场认定的具体原因真实", exact=False).check()
        press_next(page, app)
        expect_step(page, "认定信息")
        assert_fits(page)
        page.locator("nav.tools").get_by_role("link", name=say(app, "Large text")).click()
        page.wait_for_load_state()  # 大字版 works without JavaScript too, on the same page
        expect(page.locator("html")).to_have_class("large-font")
        expect_step(page, "认定信息")
        assert_fits(page)
        assert not errors, errors
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        context.close()
