"""The wizard's region picker, drawn signature and agent-only start in a real Chromium at 375 px.

SC-1: the 户口所在地 is picked province → city → county, each select filled by htmx from the
one above. JS-1: the signature is drawn with the mouse on the pad (undo, redo, clear), and the
confirmation shows the drawing. HB-1 as an item only agents may file: the item page asks whom
for first, and the filer step offers only "agent".
"""
import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.applications_support import FORMDEFS, clock, make_person  # noqa: F401
from tests.browser.helpers import assert_fits, say, sign_in, watch_server_errors
from tests.browser.wizard_steps import (choose_region, choose_self, expect_step,
                                        htmx_settled, prepare, press_next, shot, start_item,
                                        submit_and_follow)
from tests.wizard_support import (DAZHOU, JIANGSU_ID, JS1, NANJING, SC1, SPOUSE_ID, STUDENT_ID,
                                  SUBJECT_ID, TANGSHAN)

pytestmark = pytest.mark.browser


def test_sc1_region_picked_with_cascading_selects(page, live_server, app, clock,  # noqa: F811
                                                  request):
    username = prepare(app, SC1, number=STUDENT_ID, name="张小川", region=DAZHOU,
                       birth=dt.date(2005, 5, 5))
    errors = watch_server_errors(page)
    start_item(page, live_server, app, username, "城乡居民参保登记", notice="学籍地达州")
    choose_self(page, app)
    expect_step(page, "居民单位信息")
    page.get_by_label("基层医保区划名称").fill("达州中医药职业学院")
    page.get_by_label("基层区划编码").fill("51170099997")
    press_next(page, app)

    expect_step(page, "居民信息")
    picker = page.get_by_role("group", name="户口所在地行政区")
    refine = picker.get_by_role("button", name=say(app, "List the places within your choice"))
    expect(refine).to_be_hidden()  # with JavaScript the next select comes by itself
    expect(picker.locator("select")).to_have_count(1)
    province = picker.get_by_label(say(app, "Province"), exact=True)
    province.select_option(label="四川省")
    city = picker.get_by_label(say(app, "City"), exact=True)
    expect(city).to_be_visible()  # filled by htmx
    expect(city.locator("option")).to_contain_text(["成都市", "达州市"])
    choose_region(page, "户口所在地行政区", "四川省", "成都市", "锦江区")
    county = picker.get_by_label(say(app, "County or district"), exact=True)
    expect(county).to_have_value("510104")
    expect(province).to_have_value("510000")
    assert page.url.endswith("/pages/resident")  # no page load: only the picker changed
    # Choosing another province empties the levels below it.
    province.select_option(label="广东省")
    expect(county).to_have_count(0)
    htmx_settled(page)
    choose_region(page, "户口所在地行政区", "广东省", "广州市", "天河区")
    assert_fits(page)
    shot(page, request, "region")

    page.get_by_label("手机号码").fill("13800138000")
    page.get_by_label("民族").select_option(label="汉族")
    page.get_by_label("户口地址").fill("广州市天河区某某街1号")
    page.get_by_label("户口所在地邮政编码").fill("510000")
    press_next(page, app)
    expect_step(page, "参保信息")
    pk = re.search(r"/applications/(\d+)/", page.url).group(1)
    page.goto(f"{live_server}/applications/{pk}/confirm")
    expect(page.locator("main")).to_contain_text("广东省 广州市 天河区")
    assert not errors, errors


def test_js1_signature_drawn_with_the_mouse(page, live_server, app, clock,  # noqa: F811
                                           request):
    username = prepare(app, JS1, number=JIANGSU_ID, name="李明", region=NANJING,
                       birth=dt.date(1985, 8, 8))
    errors = watch_server_errors(page)
    item = "家庭共济"
    start_item(page, live_server, app, username, item)
    expect_step(page, "授权人信息")
    page.get_by_label("手机号码").fill("13800138000")
    press_next(page, app)
    expect_step(page, "共济使用人")
    row = page.locator("fieldset.row").nth(0)
    row.get_by_label("姓名").fill("王芳")
    row.get_by_label("证件号码").fill(SPOUSE_ID)
    row.get_by_label("与授权人关系").select_option(label="配偶")
    press_next(page, app)

    expect_step(page, "签署承诺书")
    page.get_by_label("本人已阅读《个人承诺书》", exact=False).check()
    pad = page.locator(".signature-pad canvas")
    expect(pad).to_be_visible()  # shown by the script
    drawing = page.locator("input[name='signature-drawing']")
    typed = page.get_by_label("请输入您的姓名作为签名")
    expect(drawing).to_have_value("")

    def stroke(points):
        box = pad.bounding_box()
        page.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
        page.mouse.down()
        for x, y in points[1:]:
            page.mouse.move(box["x"] + x, box["y"] + y, steps=4)
        page.mouse.up()

    stroke([(20, 100), (60, 40), (100, 110), (140, 50)])
    expect(drawing).to_have_value(re.compile(r"^data:image/png;base64,"))
    expect(typed).to_be_disabled()  # a drawing is the signature now
    page.get_by_role("button", name="撤销", exact=True).click()
    expect(drawing).to_have_value("")
    expect(typed).to_be_enabled()
    page.get_by_role("button", name="重做", exact=True).click()
    expect(drawing).to_have_value(re.compile(r"^data:image/png;base64,"))
    page.get_by_role("button", name="清除", exact=True).click()
    expect(drawing).to_have_value("")
    stroke([(20, 100), (60, 40), (100, 110), (140, 50)])
    stroke([(160, 60), (200, 120), (240, 70)])
    expect(typed).to_be_disabled()
    assert_fits(page)
    shot(page, request, "pad")
    press_next(page, app)

    press_next(page, app)  # materials: the relationship proof is optional online
    image = page.locator("main img.signature-image")
    expect(image).to_be_visible()
    assert image.get_attribute("src").startswith("data:image/png;base64,")
    assert page.evaluate("img => img.naturalWidth > 0", image.element_handle())
    submit_and_follow(page, app, item, request=request, must_show=("王芳", "配偶"))
    assert not errors, errors


def test_an_agent_only_item_starts_with_whom_for(page, live_server, app, clock,  # noqa: F811
                                                tmp_path, request):
    source = (FORMDEFS / "130000-hebei" / "chronic_disease_outpatient.yaml").read_text("utf-8")
    path = tmp_path / "chronic_disease_outpatient.yaml"
    path.write_text(source.replace("filers: [self, agent]", "filers: [agent]"), "utf-8")
    username = prepare(app, [path])
    with app.app_context():
        make_person(SUBJECT_ID, "王秀英", TANGSHAN, sex="2")
    errors = watch_server_errors(page)
    sign_in(page, live_server, username)
    page.locator("header nav.services").get_by_role("link", name=say(app, "Apply")).click()
    page.locator("main").get_by_role("link", name="门诊慢特病申报", exact=True).click()
    expect(page.locator("main")).to_contain_text(
        say(app, "Only an agent, on behalf of the person concerned"))
    page.get_by_role("button", name=say(app, "Start the application")).click()

    expect(page.locator("main h1")).to_have_text(say(app, "Whom do you apply for?"))
    page.get_by_label(say(app, "Full name of the person you apply for")).fill("王秀英")
    page.get_by_label(say(app, "Their ID card number")).fill(SUBJECT_ID)
    page.get_by_label(say(app, "Your relationship to them")).select_option(label="子女")
    page.get_by_label(say(app, "Your address")).fill("唐山市路北区某某路1号")
    assert_fits(page)
    shot(page, request, "agent")
    page.get_by_role("button", name=say(app, "Start the application")).click()

    page.get_by_label("我已阅读").check()
    press_next(page, app)
    expect_step(page, say(app, "Who applies"))
    expect(page.get_by_label(say(app, "For myself"), exact=True)).to_have_count(0)
    expect(page.locator("main")).to_contain_text(
        say(app, "Only an agent can apply for this service, on behalf of the person concerned."))
    expect(page.get_by_label(say(app, "Your address"))).to_have_value("唐山市路北区某某路1号")
    press_next(page, app)
    expect_step(page, "申报选择")
    assert not errors, errors
