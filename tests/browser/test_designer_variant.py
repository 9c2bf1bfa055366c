"""An administrator of 唐山市 adapts 河北's HB-1 门诊慢特病申报 for the city in real Chromium: the
variant shows what it inherits and what it overrides, the province's locked fields are read-only
but for their wording; the notice gets a Tangshan paragraph, the time limit is tightened and a
material is added; the publish page compares with the province's version in effect; then a
citizen of 路北区 (唐山) is offered the variant while a citizen of 海港区 (秦皇岛, same province)
still gets the province's item."""
import re

import pytest
from playwright.sync_api import expect

from tests.applications_support import clock, id_number  # noqa: F401
from tests.browser.designer_steps import (add_part, back_to_item, chinese, click, edit_part,
                                          open_items, save, saved, sign_out)
from tests.browser.helpers import say, sign_in, watch_server_errors
from tests.browser.wizard_steps import prepare, shot
from tests.support import make_user
from tests.wizard_support import HB1, HB1_CODE, citizen

pytestmark = pytest.mark.browser
NAME = "门诊慢特病申报"
TANGSHAN, LUBEI, HAIGANG = "130200", "130203", "130302"
PROVINCE_NOTICE = "请您认真填报个人基本信息"
TANGSHAN_NOTICE = "唐山市参保人员可就近到县（市、区）医保经办窗口办理。"
REFERRAL = "唐山市定点医院转诊单"
QINHUANGDAO_ID = id_number("13030219790303005")


def badge(row, app, text: str):
    return row.locator(".label", has_text=re.compile(f"^{re.escape(say(app, text))}$"))


def adapt(page, app):
    """From the item list: the province's item in effect here, adapted for the city."""
    above = page.locator("table", has=page.get_by_role("button",
                                                       name=say(app, "Adapt for my region")))
    row = above.locator("tr", has_text=NAME)
    expect(row).to_contain_text("河北省")
    click(page, row.get_by_role("button", name=say(app, "Adapt for my region")))
    expect(page.locator(".alert-success").first).to_contain_text(
        say(app, "Variant created: it inherits everything until you change a part."))
    expect(page.locator(".item-overview h2")).to_contain_text("唐山市")


def locked_field_is_read_only(page, app, request):
    row = page.locator('[id="field-cert_type"]')
    expect(badge(row, app, "inherited")).to_have_count(1)
    expect(row.locator(".label-danger")).to_contain_text(say(app, "locked"))
    expect(row.get_by_role("button", name=say(app, "Hide"))).to_have_count(0)
    edit_part(page, app, "field", "cert_type")
    expect(page.locator(".item-part .alert-info")).to_have_text(
        say(app, "The item above locked this part: only its wording can change here."))
    expect(page.get_by_label(say(app, "Code table"))).to_be_disabled()
    expect(page.get_by_label(say(app, "Required"), exact=True)).to_be_disabled()
    expect(page.get_by_label(chinese(app, "Label"))).to_be_editable()
    shot(page, request, "locked_field")
    click(page, page.get_by_role("link", name=say(app, "Back without saving")))


def change_what_the_city_may(page, app):
    """A Tangshan paragraph in the notice, 15 working days instead of 20, a city material."""
    settings = page.locator("#item-settings")
    for key in ("notice", "time_limit_days"):
        expect(badge(settings.locator(f"#setting-{key}"), app, "inherited")).to_have_count(1)
    click(page, settings.get_by_role("link", name=say(app, "Edit")))
    body = page.get_by_label(chinese(app, "Notice (Markdown)"))
    body.fill(body.input_value() + "\n\n" + TANGSHAN_NOTICE)
    limit = page.get_by_label(say(app, "Time limit (working days)"))
    expect(limit).to_have_value("20")
    limit.fill("15")
    save(page, app)
    saved(page, app)
    for key in ("notice", "time_limit_days"):
        expect(badge(settings.locator(f"#setting-{key}"), app, "overridden")).to_have_count(1)
    expect(badge(settings.locator("#setting-category"), app, "inherited")).to_have_count(1)

    add_part(page, app, "material", "ts_referral", REFERRAL)
    for kind in ("jpg", "png", "pdf"):
        page.get_by_label(kind, exact=True).check()
    save(page, app)
    saved(page, app)
    back_to_item(page)
    expect(badge(page.locator('[id="material-ts_referral"]'), app, "own")).to_have_count(1)
    expect(badge(page.locator('[id="material-diagnosis"]'), app, "inherited")).to_have_count(1)


def publish(page, app, request):
    click(page, page.get_by_role("link", name=say(app, "Check and publish")))
    expect(page.locator(".lint-ok")).to_be_visible()
    expect(page.locator("h3 small")).to_contain_text("河北省")  # against the province's version
    diff = page.locator("table.diff tbody tr")
    expect(diff).to_have_count(3)
    expect(page.locator("table.diff tr.change-added")).to_contain_text(REFERRAL)
    limit = page.locator("table.diff tr.change-changed",
                         has_text=say(app, "Time limit (working days)"))
    expect(limit).to_contain_text("20")
    expect(limit).to_contain_text("15")
    expect(limit.locator(".label-warning")).to_have_text(say(app, "limit"))
    expect(page.locator("table.diff tr.change-changed", has_text=say(app, "Notice"))
           ).to_contain_text(TANGSHAN_NOTICE)
    shot(page, request, "diff")
    click(page, page.get_by_role("button", name=say(app, "Publish"), exact=True))
    expect(page.locator(".alert-success").first).to_contain_text(
        say(app, "Published version %(number)s.", number=1))


def offered(page, base, app, username, region_name: str):
    """Sign in, open 我要办 from the header and the item; return the item page's main element."""
    sign_in(page, base, username)
    page.locator("header nav.services").get_by_role("link", name=say(app, "Apply")).click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text(region_name)
    links = page.locator("main").get_by_role("link", name=NAME, exact=True)
    expect(links).to_have_count(1)
    click(page, links)
    expect(page.locator("main h1")).to_have_text(NAME)
    return page.locator("main")


def test_a_city_adapts_a_province_item_and_its_citizens_get_the_variant(
        desk_page, live_server, app, clock, request):  # noqa: F811
    page, base = desk_page, live_server
    errors = watch_server_errors(page)
    tangshan_citizen = prepare(app, HB1)
    with app.app_context():
        admin = make_user("RegionAdmin", TANGSHAN, name="唐山管理员").username
        qinhuangdao_citizen = citizen(QINHUANGDAO_ID, name="赵秦", region=HAIGANG).username

    sign_in(page, base, admin)
    open_items(page, base)
    adapt(page, app)
    locked_field_is_read_only(page, app, request)
    change_what_the_city_may(page, app)
    shot(page, request, "variant")
    publish(page, app, request)
    open_items(page, base)
    mine = page.locator(".items-list table").first.locator("tr", has_text=NAME)
    expect(mine).to_contain_text(say(app, "variant"))
    expect(mine).to_contain_text("v1")
    sign_out(page, base)

    main = offered(page, base, app, tangshan_citizen, "路北区")
    expect(main.locator(".notice")).to_contain_text(TANGSHAN_NOTICE)
    expect(main.locator(".facts")).to_contain_text(
        say(app, "%(days)d working days after submission", days=15))
    expect(main.locator("ul.materials")).to_contain_text(REFERRAL)
    shot(page, request, "tangshan_citizen")
    sign_out(page, base)

    main = offered(page, base, app, qinhuangdao_citizen, "海港区")
    expect(main.locator(".notice")).to_contain_text(PROVINCE_NOTICE)
    expect(main.locator(".notice")).not_to_contain_text(TANGSHAN_NOTICE)
    expect(main.locator(".facts")).to_contain_text(
        say(app, "%(days)d working days after submission", days=20))
    expect(main.locator("ul.materials")).not_to_contain_text(REFERRAL)

    def owner(region):  # the catalogue API says the same
        body = page.request.get(f"{base}/api/v1/catalog/?region={region}").json()
        [item] = [i for c in body["categories"] for i in c["items"] if i["code"] == HB1_CODE]
        return item["owner_region"]
    assert owner(LUBEI) == TANGSHAN and owner(HAIGANG) == "130000"
    assert not errors, errors
