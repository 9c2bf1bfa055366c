"""An administrator of 唐山市 builds 出具参保凭证 in the item designer, in real Chromium and in the
UI only: a code-table field, a field shown on a condition, a repeating group, a material required
on a condition and two approval steps (county 受理, city 审核). The preview stores nothing; lint
stops a rule that reads a misspelt field, names it and links to it; the fixed draft is published
after its diff. A citizen of 路北区 files it through 我要办 and the wizard, the county and then the
city reviewer approve it, and the citizen finds it under 已完成 with the certificate the
administrator wrote on the designer's document page (previewed there with sample values) — while a citizen insured in
广东 is not offered it, on the web nor through the catalogue API."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.applications_support import clock, id_number  # noqa: F401
from tests.browser.designer_steps import (add_field, add_page, add_part, back_to_item, chinese,
                                          click, edit_part, open_items, save, saved, sign_out)
from tests.browser.helpers import open_menu_link, say, sign_in, watch_server_errors
from tests.browser.wizard_steps import (expect_step, press_next, shot, start_item,
                                        submit_and_follow, upload)
from tests.support import make_user
from tests.wizard_support import citizen

pytestmark = pytest.mark.browser
CODE, NAME = "enrollment_certificate", "出具参保凭证"
TANGSHAN, LUBEI, TIANHE = "130200", "130203", "440106"
NOTICE = "凭证加盖唐山市医疗保障局业务专用章，可扫码核验真伪。"
GUANGDONG_ID = id_number("44010619880808004")


def rows_label(app, column: str, row: int) -> str:
    """The accessible name of a cell of an options or rules table (``选项值（第1行）``)."""
    return say(app, "%(label)s, row %(n)s", label=say(app, column), n=row)


def check_label(app, row: int) -> str:
    return rows_label(app, "Check (expression)", row)


def count(app, model) -> int:
    from app.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def settings(page, app):
    click(page, page.locator("#item-settings").get_by_role("link", name=say(app, "Edit")))
    page.get_by_label(chinese(app, "Category")).fill("参保登记")
    page.get_by_label(chinese(app, "Who may apply (Markdown)")).fill(
        "需要开具基本医疗保险**参保缴费凭证**的参保人员。")
    page.get_by_label(chinese(app, "Notice title")).fill("办事须知")
    page.get_by_label(chinese(app, "Notice (Markdown)")).fill(NOTICE)
    page.get_by_label(chinese(app, "Acknowledgement wording")).fill("我已阅读")
    page.get_by_label(say(app, "The person"), exact=True).check()
    page.get_by_label(say(app, "Time limit (working days)")).fill("5")
    save(page, app)
    saved(page, app)


def first_page_fields(page, app, request):
    """A code table, a choice, and a text shown only for the choice "other" — with a rule that
    reads a misspelt key: it compiles, so it is saved, flagged as reading an unknown name."""
    add_field(page, app, "page_1", "insutype", "dictionary", "险种类型")
    page.get_by_label(say(app, "Code table")).select_option("insutype")
    page.get_by_label(say(app, "Required"), exact=True).check()
    save(page, app, and_back=True)

    add_field(page, app, "page_1", "purpose", "select", "开具用途",
              options="医保关系转移接续, 其他")  # a choice is added with its options
    for row, (value, label) in enumerate((("transfer", "医保关系转移接续"), ("other", "其他")), 1):
        page.get_by_label(rows_label(app, "Value", row)).fill(value)
        page.get_by_label(rows_label(app, "Label (Chinese)", row)).fill(label)
    page.get_by_label(rows_label(app, "Label (English)", 1)).fill("")
    page.get_by_label(say(app, "Required"), exact=True).check()
    save(page, app)
    saved(page, app)
    expect(page.get_by_label(rows_label(app, "Value", 2))).to_have_value("other")
    back_to_item(page)

    add_field(page, app, "page_1", "purpose_detail", "text", "其他用途说明")
    page.get_by_label(say(app, "Required"), exact=True).check()
    condition = page.get_by_label(say(app, "Visible when (expression)"))
    condition.press_sequentially('purpose == "other" &&')  # checked as it is typed
    expect(page.locator("#cel-visible_when")).to_have_class(re.compile("text-danger"))
    condition.press("Backspace")
    condition.press("Backspace")
    condition.press("Backspace")
    expect(page.locator("#cel-visible_when")).to_contain_text(say(app, "Compiles."))
    expect(condition).to_have_attribute("aria-describedby", "cel-visible_when")
    check = page.get_by_label(check_label(app, 1))
    check.press_sequentially('!purpose_detial.matches("^[0-9]+$")')
    page.get_by_label(rows_label(app, "Message (Chinese)", 1)).fill("请用文字写明用途，不能只填数字")
    status = page.locator("#" + check.get_attribute("aria-describedby"))
    expect(status).to_contain_text(say(app, "Unknown variables: %(names)s",
                                       names="purpose_detial"))
    shot(page, request, "field_editor")
    save(page, app, and_back=True)
    saved(page, app)


def no_placeholder(page):
    """Nothing the administrator did not write: no "……" text, no placeholder part to delete."""
    expect(page.locator("body")).not_to_contain_text("……")
    expect(page.locator('[id$="_intro"], [id$=".item"], [id="column-item"]')).to_have_count(0)


def second_page_with_a_group(page, app):
    """A new page starts empty (the item page opens at it, saying what it needs), and so does a
    repeating group (its form says it has no column yet); their first fields are the
    administrator's own, with no placeholder field to rename or delete."""
    add_page(page, app, "history", "参保经历")
    new_page = page.locator("#page-history")
    expect(new_page.locator("tr.no-fields")).to_contain_text(say(
        app, "No fields yet: add the first one below. The item cannot be published until this "
        "page has one."))
    no_placeholder(page)
    add_field(page, app, "history", "periods", "repeat", "参保经历")
    expect(page.locator("#input-columns")).to_contain_text(say(
        app, "No column yet: add the first one with the form below. The item cannot be "
        "published until the group has one."))
    no_placeholder(page)
    page.get_by_label(say(app, "Most rows")).fill("5")
    save(page, app, and_back=True)
    expect(new_page.locator("tr.no-fields")).to_contain_text(say(
        app, "No fields in this group yet: add the first one below. The item cannot be "
        "published until it has one."))
    add_field(page, app, "history", "unit", "text", "参保单位", group="periods")
    page.get_by_label(say(app, "Required"), exact=True).check()
    save(page, app, and_back=True)
    add_field(page, app, "history", "years", "number", "缴费年限", group="periods")
    page.get_by_label(say(app, "Whole numbers only")).check()
    save(page, app, and_back=True)
    expect(new_page.locator("tr.no-fields")).to_have_count(0)
    no_placeholder(page)
    group = page.locator("#page-history table.fields")
    expect(group).to_contain_text("参保单位")
    expect(group).to_contain_text("缴费年限")


def materials_and_steps(page, app):
    add_part(page, app, "material", "id_copy", "身份证复印件")
    page.get_by_label(say(app, "Required"), exact=True).check()
    for kind in ("jpg", "png", "pdf"):
        page.get_by_label(kind, exact=True).check()
    save(page, app, and_back=True)
    add_part(page, app, "material", "purpose_proof", "用途证明材料")
    page.get_by_label(say(app, "Required when (expression)")).fill('purpose == "other"')
    for kind in ("jpg", "png", "pdf"):
        page.get_by_label(kind, exact=True).check()
    save(page, app, and_back=True)
    for key, name, level in (("accept", "受理", "County level"), ("review", "审核", "City level")):
        add_part(page, app, "step", key, name)
        page.get_by_label(say(app, "Role")).select_option(label=say(app, "Reviewer"))
        page.get_by_label(say(app, "Region level"), exact=True).select_option(
            label=say(app, level))
        page.get_by_label(say(app, "Time limit (working days)")).fill("2")
        save(page, app, and_back=True)
    expect(page.locator("table.steps tr")).to_have_count(2)


DOCUMENT_TITLE = "基本医疗保险参保缴费凭证"
DOCUMENT_BODY = "兹证明 **{{person.name}}** 申请开具参保凭证，用途：{{answers.purpose_detail}}。办件编号 {{serial}}。"


def result_document(page, app, request):
    """The certificate: written in the browser, a misspelt placeholder named at the text,
    previewed with a sample value, saved; the item page shows it."""
    click(page, page.locator("#item-document").get_by_role("link", name=say(app, "Edit")))
    expect(page.locator(".document-placeholders")).to_contain_text("{{answers.purpose_detail}}")
    page.get_by_label(chinese(app, "Document title")).fill(DOCUMENT_TITLE)
    body = page.get_by_label(chinese(app, "Document text (Markdown with placeholders)"))
    body.fill(DOCUMENT_BODY.replace("purpose_detail", "purpose_detial"))
    click(page, page.get_by_role("button", name=say(app, "Save"), exact=True))
    expect(page.locator("#input-body_zh .text-danger")).to_contain_text("answers.purpose_detial")
    body.fill(DOCUMENT_BODY)
    click(page, page.get_by_role("button", name=say(app, "Save"), exact=True))
    saved(page, app)
    expect(page.locator("#input-body_zh .text-danger")).to_have_count(0)
    page.get_by_label("answers.purpose_detail").fill("办理出国签证")
    click(page, page.get_by_role("button", name=say(app, "Preview with these values")))
    sheet = page.locator('.document-preview[lang="zh"]')
    expect(sheet.locator("h3")).to_have_text(DOCUMENT_TITLE)
    expect(sheet).to_contain_text("兹证明 张三 申请开具参保凭证，用途：办理出国签证。")
    shot(page, request, "document")
    back_to_item(page)
    expect(page.locator("#document-title")).to_contain_text(DOCUMENT_TITLE)


def preview(page, app, request):
    """The wizard with a banner; the conditional question appears live; nothing is stored."""
    from app.models.application import Application
    from app.models.item import ItemVersion

    click(page, page.get_by_role("link", name=say(app, "Preview as a citizen")))
    expect(page.locator(".preview-banner")).to_contain_text(say(app, "Preview — nothing is saved"))
    expect(page.locator("main .notice")).to_contain_text(NOTICE)
    expect(page.get_by_label("申请人姓名")).to_have_value("张三")  # the sample person
    page.get_by_label("险种类型").select_option(label="城乡居民基本医疗保险")
    expect(page.get_by_label("其他用途说明")).to_have_count(0)
    page.get_by_label("开具用途").select_option("other")
    expect(page.get_by_label("其他用途说明")).to_be_visible()  # drawn again by the server
    page.get_by_label("其他用途说明").fill("办理出国签证")
    click(page, page.get_by_role("button", name=say(app, "Next"), exact=True).last)
    expect(page.locator("main h2")).to_have_text("参保经历")
    click(page, page.get_by_role("button", name=say(app, "Add: %(what)s", what="参保经历")))
    expect(page.locator("fieldset.row")).to_have_count(2)
    page.get_by_label("参保单位").first.fill("唐山某某有限公司")
    page.get_by_label("缴费年限").first.fill("6")
    shot(page, request, "preview")
    click(page, page.get_by_role("button", name=say(app, "Next"), exact=True).last)
    expect(page.locator("main")).to_contain_text(say(
        app, "The last page is complete. A citizen would now upload the materials and submit."))
    assert count(app, Application) == 0 and count(app, ItemVersion) == 0
    click(page, page.get_by_role("link", name=say(app, "Back to the designer")))


def lint_stops_then_publish(page, app, request):
    click(page, page.get_by_role("link", name=say(app, "Check and publish")))
    problems = page.locator(".lint-problems")
    expect(problems).to_contain_text("purpose_detail")
    expect(problems).to_contain_text("purpose_detial")
    expect(page.get_by_role("button", name=say(app, "Publish"), exact=True)).to_be_disabled()
    shot(page, request, "lint")
    link = problems.get_by_role("link", name=re.compile(say(app, "field")))
    expect(link).to_contain_text("purpose_detail")
    click(page, link)  # to the field's form, the rule's message next to it
    check = page.get_by_label(check_label(app, 1))
    expect(check).to_have_value('!purpose_detial.matches("^[0-9]+$")')
    status = page.locator("#" + check.get_attribute("aria-describedby"))
    expect(status).to_contain_text("purpose_detial")
    check.fill('!purpose_detail.matches("^[0-9]+$")')
    expect(status).to_contain_text(say(app, "Compiles."))
    save(page, app, and_back=True)

    click(page, page.get_by_role("link", name=say(app, "Check and publish")))
    expect(page.locator(".lint-ok")).to_have_text(say(app, "No problems that stop publishing."))
    no_placeholder(page)
    diff = page.locator("table.diff")
    for key in ("insutype", "purpose_detail", "periods.unit", "purpose_proof", "review"):
        expect(diff.locator("tr.change-added", has_text=key).filter(  # not the document's
            has_not_text="{{")).to_have_count(1)
    expect(diff.locator("tr.change-added", has_text=DOCUMENT_TITLE)).to_have_count(1)
    expect(page.locator(".in-flight")).to_have_text(say(app, "No application is in progress."))
    shot(page, request, "diff")
    click(page, page.get_by_role("button", name=say(app, "Publish"), exact=True))
    expect(page.locator(".alert-success").first).to_contain_text(
        say(app, "Published version %(number)s.", number=1))


def citizen_files(page, base, app, username, tmp_path, request):
    start_item(page, base, app, username, NAME, notice=NOTICE)
    expect_step(page, "基本信息")
    expect(page.get_by_label("申请人姓名")).to_have_value("王建国")
    page.get_by_label("险种类型").select_option("390")
    page.get_by_label("开具用途").select_option("other")
    page.get_by_label("其他用途说明").fill("2026")
    press_next(page, app)  # the rule: not digits only
    expect(page.locator("#purpose_detail-err")).to_have_text("请用文字写明用途，不能只填数字")
    page.get_by_label("其他用途说明").fill("办理出国签证")
    press_next(page, app)
    expect_step(page, "参保经历")
    page.get_by_label("参保单位").fill("唐山某某有限公司")
    page.get_by_label("缴费年限").fill("6")
    press_next(page, app)
    expect(page.locator("#material-purpose_proof .badge")).to_have_text(
        say(app, "Required in your case"))
    for key in ("id_copy", "purpose_proof"):
        upload(page, app, tmp_path, key)
    press_next(page, app)
    submit_and_follow(page, app, NAME, request=request,
                      must_show=("城乡居民基本医疗保险", "办理出国签证", "唐山某某有限公司"))
    sign_out(page, base)


def approve(page, base, app, username, pk, step):
    sign_in(page, base, username)
    page.goto(base + "/")
    open_menu_link(page, "/review/pending")
    row = page.locator(f'tr.queue-row[data-application="{pk}"]')
    click(page, row.locator("a").first)
    expect(page.locator(".current-step")).to_have_text(step)
    expect(page.locator("table.answers").first).to_contain_text("办理出国签证")
    click(page, page.locator("form.decide-approve button[type=submit]"))
    click(page, page.locator("form.decide-confirm button[type=submit]"))  # the confirmation
    sign_out(page, base)


def test_an_administrator_builds_publishes_and_a_citizen_files_it(
        desk_page, live_server, app, clock, tmp_path, request):  # noqa: F811
    from app.extensions import db
    from app.models.application import Application

    page, base = desk_page, live_server
    errors = watch_server_errors(page)
    with app.app_context():
        admin = make_user("RegionAdmin", TANGSHAN, name="唐山管理员").username
        county = make_user("Reviewer", LUBEI, name="路北受理员").username
        city = make_user("Reviewer", TANGSHAN, name="唐山审核员").username
        filer = citizen().username
        outsider = citizen(GUANGDONG_ID, name="陈广东", region=TIANHE).username

    sign_in(page, base, admin)
    open_items(page, base)
    page.get_by_label(say(app, "Code")).fill(CODE)
    page.get_by_label(say(app, "Name (Chinese)")).fill(NAME)
    click(page, page.get_by_role("button", name=say(app, "Create")))
    expect(page.locator(".item-overview h2")).to_contain_text(NAME)
    settings(page, app)
    first_page_fields(page, app, request)
    second_page_with_a_group(page, app)
    materials_and_steps(page, app)
    result_document(page, app, request)
    shot(page, request, "overview")
    preview(page, app, request)
    lint_stops_then_publish(page, app, request)
    sign_out(page, base)

    citizen_files(page, base, app, filer, tmp_path, request)
    with app.app_context():
        pk = db.session.scalar(select(Application.id))
    approve(page, base, app, county, pk, "受理")
    approve(page, base, app, city, pk, "审核")

    sign_in(page, base, filer)
    page.goto(base + "/my/applications/")
    click(page, page.get_by_role("link", name=say(app, "Completed")).first)
    expect(page.locator("main li.application", has_text=NAME)).to_contain_text(
        say(app, "Approved"))
    page.goto(f"{base}/my/applications/{pk}")
    click(page, page.get_by_role("link", name=say(app, "View and print %(title)s",
                                                  title=DOCUMENT_TITLE)))
    expect(page.locator("main")).to_contain_text(DOCUMENT_TITLE)
    expect(page.locator("main")).to_contain_text("用途：办理出国签证。")
    expect(page.locator("main strong", has_text="王建国")).to_have_count(1)
    shot(page, request, "certificate")
    sign_out(page, base)

    # 广东: the item is not offered, on the web nor through the API (路北区: it is).
    sign_in(page, base, outsider)
    page.locator("header nav.services").get_by_role("link", name=say(app, "Apply")).click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("天河区")
    expect(page.locator("main").get_by_role("link", name=NAME)).to_have_count(0)
    shot(page, request, "guangdong_catalog")
    page.goto(f"{base}/apply/?region={LUBEI}")  # where it is offered: listed, Markdown as text
    listed = page.locator("main li", has=page.get_by_role("link", name=NAME, exact=True))
    expect(listed.locator("p")).to_have_text("需要开具基本医疗保险参保缴费凭证的参保人员。")

    def offered(region):
        body = page.request.get(f"{base}/api/v1/catalog/?region={region}").json()
        return [i["code"] for c in body["categories"] for i in c["items"]]
    assert CODE in offered(LUBEI)
    assert CODE not in offered("440000") and CODE not in offered(TIANHE)
    assert not errors, errors
