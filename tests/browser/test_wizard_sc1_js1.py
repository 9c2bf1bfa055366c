"""SC-1 达州 student enrollment with uploaded materials, and JS-1 家庭共济 with two users added
through the repeating group and a typed signature — real Chromium, 375 px, to 我要查."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.applications_support import clock  # noqa: F401
from tests.browser.helpers import assert_fits, say, watch_server_errors
from tests.browser.wizard_steps import (choose_region, choose_self, expect_step, prepare,
                                        press_next, shot, start_item, submit_and_follow, upload)
from tests.wizard_support import (DAZHOU, JIANGSU_ID, JS1, NANJING, PARENT_ID, SC1,
                                  SPOUSE_ID, STUDENT_ID)

pytestmark = pytest.mark.browser


def test_sc1_dazhou_student_enrolls_with_materials(page, live_server, app, clock,  # noqa: F811
                                                   tmp_path, request):
    username = prepare(app, SC1, number=STUDENT_ID, name="张小川", region=DAZHOU,
                       birth=dt.date(2005, 5, 5))
    errors = watch_server_errors(page)
    item = "城乡居民参保登记"
    start_item(page, live_server, app, username, item, notice="学籍地达州")  # 达州's notice
    choose_self(page, app)

    expect_step(page, "居民单位信息")
    expect(page.locator("main")).to_contain_text("达州中医药职业学院")  # 达州's help text
    page.get_by_label("基层医保区划名称").fill("达州中医药职业学院")
    page.get_by_label("基层区划编码").fill("51010499997")
    press_next(page, app)
    expect(page.locator("#grassroots_code-err")).to_have_text("基层区划须在达州市内")
    page.get_by_label("基层区划编码").fill("51170099997")
    press_next(page, app)

    expect_step(page, "居民信息")
    expect(page.get_by_label("姓名", exact=True)).to_have_value("张小川")
    page.get_by_label("手机号码").fill("13800138000")
    page.get_by_label("民族").select_option(label="汉族")
    choose_region(page, "户口所在地行政区", "四川省", "成都市", "锦江区")  # a student from elsewhere
    page.get_by_label("户口地址").fill("成都市锦江区某某街1号")
    page.get_by_label("户口所在地邮政编码").fill("610000")
    assert_fits(page)
    press_next(page, app)

    expect_step(page, "参保信息")
    page.get_by_label("参保身份").select_option("1404")
    page.get_by_label("参保日期").fill("2026-11-20")
    page.get_by_label("缴费年度").fill("2027")
    press_next(page, app)

    expect(page.locator("#material-student_certificate .badge")).to_have_text(
        say(app, "Required in your case"))
    expect(page.locator("#material-agent_id .badge")).to_have_text(
        say(app, "Not required in your case"))
    upload(page, app, tmp_path, "id_document", "身份证.jpg")
    upload(page, app, tmp_path, "student_certificate", "学生证.jpg")
    assert_fits(page)
    shot(page, request, "materials")
    press_next(page, app)
    submit_and_follow(page, app, item, request=request, must_show=("51170099997", "大学生", "汉族",
                                                  "学生证.jpg", "2026年11月20日"))
    assert not errors, errors


def test_js1_family_sharing_with_two_users_and_a_typed_signature(page, live_server, app,
                                                                 clock, request):  # noqa: F811
    username = prepare(app, JS1, number=JIANGSU_ID, name="李明", region=NANJING,
                       birth=dt.date(1985, 8, 8))
    errors = watch_server_errors(page)
    item = "家庭共济"
    start_item(page, live_server, app, username, item)

    expect_step(page, "授权人信息")
    expect(page.get_by_label("姓名", exact=True)).to_have_value("李明")
    page.get_by_label("手机号码").fill("13800138000")
    press_next(page, app)

    expect_step(page, "共济使用人")
    first = page.locator("fieldset.row").nth(0)
    first.get_by_label("姓名").fill("王芳")
    first.get_by_label("证件号码").fill(SPOUSE_ID)
    first.get_by_label("与授权人关系").select_option(label="配偶")
    page.get_by_role("button", name="增加使用人").click()  # seed 004's words (add_label)
    page.wait_for_load_state()
    expect(page.locator("fieldset.row")).to_have_count(2)
    expect(first.get_by_label("姓名")).to_have_value("王芳")  # kept across the reload
    second = page.locator("fieldset.row").nth(1)
    second.get_by_label("姓名").fill("李建华")
    second.get_by_label("证件号码").fill(PARENT_ID)
    second.get_by_label("与授权人关系").select_option(label="父母")
    assert_fits(page)
    shot(page, request, "users")
    press_next(page, app)

    expect_step(page, "签署承诺书")
    page.get_by_label("本人已阅读《个人承诺书》", exact=False).check()
    page.get_by_label("请输入您的姓名作为签名").fill("李明")
    assert_fits(page)
    shot(page, request, "signature")
    press_next(page, app)

    press_next(page, app)  # materials: the relationship proof is optional online
    submit_and_follow(page, app, item, request=request, must_show=("王芳", "李建华", "配偶", "父母", "李明"))
    assert not errors, errors
