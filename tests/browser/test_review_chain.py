"""Reviewers work an application's whole chain in a real Chromium (FAB layout, desktop).

GD-8 生育津贴申报 in 广州市天河区: the citizen files it; the county reviewer accepts it; the city
reviewer returns one field and one material with reasons (一次性告知); the citizen corrects only
those and resubmits; the city reviewer sees the field-level diff and approves; the citizen sees
it completed with its history; a reviewer of another city sees none of it. Then GD-3 跨省转移接续
goes to both agencies in turn, each seeing only its own step.

The citizen's part goes through the citizen pages (/apply, the wizard, 我要查) when they are
registered, else through the same commands those pages use.
"""
import datetime as dt
import re

import pytest
from flask import g
from playwright.sync_api import expect

from app.validators import mask_mobile
from tests.applications_support import (ALICE_ID, CODE, GD8_ANSWERS, GD8_REQUIRED_MATERIALS,
                                        REGION, file_storage, load_gd8, make_citizen,
                                        png_bytes, token)
from tests.browser.helpers import open_menu_link, say, sign_in, watch_server_errors
from tests.review_support import LUBEI, NANSHAN, publish, submitted
from tests.support import frozen_clock, make_user

pytestmark = pytest.mark.browser
CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=CST)
GUANGZHOU, SHENZHEN = "440100", "440300"


@pytest.fixture
def frozen(app):
    """The commands' clock: NOW, moved on with ``frozen.set(…)``."""
    with frozen_clock(app, NOW) as clock:
        yield clock


def sign_out(page, base):
    """Sign out as a person does: the confirmation page's button (a POST with CSRF)."""
    page.goto(base + "/logout/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def open_application(page, base, application_id):
    """From the menu's 待办 entry, open the application by its row."""
    page.goto(base + "/")
    open_menu_link(page, "/review/pending")
    row = page.locator(f'tr.queue-row[data-application="{application_id}"]')
    expect(row).to_have_count(1)
    row.locator("a").first.click()
    page.wait_for_load_state()
    expect(page.locator(".review-detail")).to_have_attribute("data-application",
                                                             str(application_id))


WIZARD = ("CatalogView.start", "WizardView.page", "WizardMaterialsView.upload",
          "WizardConfirmView.confirm", "MyApplicationsView.detail")


def approve_confirmed(page, comment=None):
    """Approve from the detail page: the form, then the confirmation page's button."""
    page.locator("form.decide-approve button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".review-confirm")).to_be_visible()
    if comment:
        expect(page.locator(".confirm-comment")).to_have_text(comment)  # as typed
    page.locator("form.decide-confirm button[type=submit]").click()
    page.wait_for_load_state()


def wizard_available(app) -> bool:
    """Tell whether the citizen pages (/apply, the wizard, 我要查) are registered."""
    return all(endpoint in app.view_functions for endpoint in WIZARD)


def next_step(page):
    page.locator("main button.primary[value=next]").click()
    page.wait_for_load_state()


def settled(page):
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def live(page, selector, change):
    """Change a wizard field; a live one (hx-post) redraws the page's fields: wait for it."""
    field = page.locator(selector).first
    if field.evaluate("el => !!el.closest('[hx-post]')"):
        with page.expect_response(lambda r: r.url.endswith("/fields")):
            change(field)
            field.blur()
        settled(page)
    else:
        change(field)


def fill_live(page, selector, value):
    live(page, selector, lambda field: field.fill(value))


def upload(page, key, name="扫描件.png", colour=(200, 30, 30)):
    page.set_input_files(f"#file-{key}", files=[
        {"name": name, "mimeType": "image/png", "buffer": png_bytes(colour)}])
    page.locator(f'button[name="_upload"][value="{key}"]').click()
    page.wait_for_load_state()


def citizen_files_gd8_in_browser(page, base, username) -> int:
    """The citizen applies through /apply and the wizard; returns the application's id."""
    sign_in(page, base, username)
    page.goto(base + f"/apply/{CODE}?region={REGION}")
    page.locator("main form[action$='/start'] button").click()
    page.wait_for_load_state()
    page.check("#acknowledge")
    next_step(page)
    fill_live(page, "#mobile", "13800138000")
    next_step(page)
    fill_live(page, "#employer_name", "广州某某有限公司")
    fill_live(page, "#employer_uscc", GD8_ANSWERS["employer_uscc"])
    live(page, "#not_advanced_reason", lambda field: field.select_option("licence_revoked"))
    next_step(page)
    live(page, "input[name=leave_type][value=maternity]", lambda field: field.check())
    page.locator("#parity").wait_for()
    for selector, value in (("#event_date", "2026-03-01"), ("#parity", "1"),
                            ("#fetus_count", "1"), ("#leave_start", "2026-03-01"),
                            ("#leave_end", "2026-07-07")):
        fill_live(page, selector, value)
    next_step(page)
    fill_live(page, "#bank_name", "中国银行")
    fill_live(page, "#bank_account", "6217000000000000000")
    next_step(page)
    for key in GD8_REQUIRED_MATERIALS:
        upload(page, key)
    next_step(page)
    page.locator("main form.submit-form button.primary").click()
    page.wait_for_load_state()
    found = re.search(r"/applications/(\d+)/submitted", page.url)
    assert found, page.url
    sign_out(page, base)
    return int(found.group(1))


def citizen_corrects_in_browser(page, base, username, pk):
    """Only what was asked: the mobile number and the birth certificate, then resubmit."""
    sign_in(page, base, username)
    page.goto(base + f"/my/applications/{pk}")
    expect(page.locator("main section.returned")).to_contain_text("联系电话无法接通")
    page.locator("main section.returned a.button").click()
    page.wait_for_load_state()
    fill_live(page, "#mobile", "13900139000")
    next_step(page)
    page.locator('#material-birth_certificate button[name="_remove"]').first.click()
    page.wait_for_load_state()
    upload(page, "birth_certificate", "出生证明-清晰.png", (30, 200, 30))
    next_step(page)
    page.locator("main form.submit-form button.primary").click()
    page.wait_for_load_state()
    assert re.search(r"/applications/\d+/submitted", page.url), page.url
    sign_out(page, base)


def citizen_files_gd8(app):
    """The citizen creates, fills and submits GD-8 through the citizen commands."""
    from app.commands.applications.create import CreateApplicationCommand
    from app.commands.applications.materials import AttachMaterialCommand
    from app.commands.applications.save import SaveAnswersCommand
    from app.commands.applications.submit import SubmitApplicationCommand

    with app.test_request_context("/"):
        alice = db_user(ALICE_ID)
        g.user = alice  # the history names the citizen as the actor, as on the web
        application = CreateApplicationCommand(alice, CODE, REGION).run()
        SaveAnswersCommand(application, dict(GD8_ANSWERS), user=alice).run()
        for key in GD8_REQUIRED_MATERIALS:
            AttachMaterialCommand(application, key, file_storage(png_bytes()), user=alice).run()
        SubmitApplicationCommand(application, user=alice).run()
        return application.id


def db_user(number):
    from sqlalchemy import select

    from app.extensions import db
    from app.models.user import BanshiUser

    return db.session.scalar(select(BanshiUser).where(BanshiUser.id_number == number))


def citizen_corrects(app, application_id):
    """Only what was asked, through the citizen commands, then resubmit."""
    from app.commands.applications.access import get_application
    from app.commands.applications.materials import (AttachMaterialCommand,
                                                     RemoveAttachmentCommand)
    from app.commands.applications.save import SaveAnswersCommand
    from app.commands.applications.submit import SubmitApplicationCommand

    with app.test_request_context("/"):
        alice = db_user(ALICE_ID)
        g.user = alice
        application = get_application(application_id, alice)
        SaveAnswersCommand(application, {"mobile": "13900139000"}, user=alice).run()
        old = [a for a in application.attachments if a.material_key == "birth_certificate"]
        for attachment in old:
            RemoveAttachmentCommand(application, attachment.id, user=alice).run()
        AttachMaterialCommand(application, "birth_certificate",
                              file_storage(png_bytes((30, 200, 30)), "出生证明-清晰.png"),
                              user=alice).run()
        result = SubmitApplicationCommand(application, user=alice).run()
        assert result.body["status"] == "submitted", result.body


def test_gd8_through_county_and_city_with_a_return(desk_page, live_server, app, frozen):
    page, base = desk_page, live_server
    server_errors = watch_server_errors(page)
    with app.app_context():
        load_gd8()
        county = make_user("Reviewer", REGION, name="天河受理员").username
        city = make_user("Reviewer", GUANGZHOU, name="广州审核员").username
        stranger = make_user("Reviewer", SHENZHEN, name="深圳审核员").username
        alice_username = make_citizen(mobile="13700137000").username
    browser_citizen = wizard_available(app)
    pk = (citizen_files_gd8_in_browser(page, base, alice_username) if browser_citizen
          else citizen_files_gd8(app))

    # County: 待办 → the application → approve (受理).
    sign_in(page, base, county)
    open_application(page, base, pk)
    expect(page.locator(".current-step")).to_have_text("受理")
    body = page.locator("body").inner_text()
    assert ALICE_ID not in body and "13800138000" not in body and mask_mobile("13800138000") in body
    expect(page.locator("table.answers").first).to_contain_text("林小红")
    expect(page.locator(".material img.preview")).to_have_count(3)
    page.fill("#approve-comment", "材料齐全，予以受理")
    approve_confirmed(page, "材料齐全，予以受理")
    expect(page.locator(".current-step")).to_have_text("审核")
    expect(page.locator("p.not-yours")).to_be_visible()
    sign_out(page, base)

    # City: return one field and one material, each with its reason.
    sign_in(page, base, city)
    open_application(page, base, pk)
    page.check("#return-fields-mobile")
    page.fill('input[name="reason_fields_mobile"]', "联系电话无法接通，请更正")
    page.check("#return-materials-birth_certificate")
    page.fill('input[name="reason_materials_birth_certificate"]', "出生医学证明不清晰，请重新上传")
    page.fill("#return-comment", "请按要求补正后重新提交")
    page.locator("form.decide-return button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".confirm-missing")).to_contain_text("联系电话无法接通")  # asked first
    page.locator("form.decide-confirm button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".application-status")).to_have_text(say(app, "Returned for correction"))
    expect(page.locator(".return-request")).to_contain_text("联系电话无法接通")
    sign_out(page, base)

    frozen.set(NOW + dt.timedelta(days=3))  # the citizen corrects on Monday
    if browser_citizen:
        citizen_corrects_in_browser(page, base, alice_username, pk)
    else:
        citizen_corrects(app, pk)

    # City again: the diff, then approve; the chain ends (复核 does not apply).
    sign_in(page, base, city)
    open_application(page, base, pk)
    diff = page.locator("table.answer-diff")
    expect(diff).to_contain_text("联系电话")
    expect(diff.locator("td.before")).to_have_text(mask_mobile("13800138000"))
    expect(diff.locator("td.after")).to_have_text(mask_mobile("13900139000"))
    expect(page.locator('.material[data-material="birth_certificate"] .label-success')) \
        .to_have_count(1)
    # The reviewer calls the number they asked to be corrected: one recorded reveal shows it,
    # and the number before, on this view only.
    page.fill("#reveal-reason", "回拨核对更正后的联系电话")
    page.locator("form.reveal-form button[type=submit]").click()
    page.wait_for_load_state()
    expect(diff.locator("td.before")).to_have_text("13800138000")
    expect(diff.locator("td.after")).to_have_text("13900139000")
    expect(page.locator('table.timeline tr[data-action="identity.reveal"]')).to_contain_text(
        "电话号码")
    page.reload()
    expect(diff.locator("td.after")).to_have_text(mask_mobile("13900139000"))
    approve_confirmed(page)
    expect(page.locator(".application-status")).to_have_text(say(app, "Approved"))
    expect(page.locator('table.timeline tr[data-action="application.return"]')).to_have_count(1)
    sign_out(page, base)

    # Another city's reviewer: nothing in the queue, the address answers 404.
    sign_in(page, base, stranger)
    page.goto(base + "/review/pending")
    expect(page.locator("tr.queue-row")).to_have_count(0)
    response = page.goto(base + f"/review/applications/{pk}")
    assert response.status == 404
    sign_out(page, base)

    # The citizen: under 已完成, approved, with its history.
    if browser_citizen:
        sign_in(page, base, alice_username)
        page.goto(base + "/my/applications/")
        page.get_by_role("link", name=say(app, "Completed")).first.click()
        page.wait_for_load_state()
        expect(page.locator("main")).to_contain_text("生育津贴申报")
        page.goto(base + f"/my/applications/{pk}")
        expect(page.locator("main .status")).to_have_text(say(app, "Approved"))
        expect(page.locator("main ol.timeline li.event-return")).to_have_count(1)
        expect(page.locator("main ol.timeline li.event-resubmitted")).to_have_count(1)
    client = app.test_client()
    shown = client.get(f"/api/v1/applications/{pk}", headers=token(client, alice_username))
    body = shown.get_json()
    assert body["status"] == "approved"
    actions = [event["action"] for event in body["history"]]
    assert actions.count("application.approve") == 2 and "application.return" in actions
    assert "application.resubmitted" in actions
    assert not server_errors, server_errors


def test_cross_province_transfer_goes_to_each_agency_in_turn(desk_page, live_server, app,
                                                             frozen):
    """Published and filed on the frozen day: a version is in effect from its publishing day."""
    page, base = desk_page, live_server
    server_errors = watch_server_errors(page)
    with app.app_context():
        publish("transfer_in_cross_province")
        receiving = make_user("Reviewer", NANSHAN, name="南山经办").username
        receiving_2 = make_user("Reviewer", NANSHAN, name="南山经办二").username
        sending = make_user("Reviewer", LUBEI, name="路北经办").username
        pk = submitted("transfer_in_cross_province", NANSHAN,
                       {"to_region": NANSHAN, "from_region": LUBEI}, at=NOW).id

    sign_in(page, base, sending)  # the sending agency (河北) sees nothing yet
    page.goto(base + "/review/pending")
    expect(page.locator("tr.queue-row")).to_have_count(0)
    assert page.goto(base + f"/review/applications/{pk}").status == 404
    sign_out(page, base)

    sign_in(page, base, receiving)
    open_application(page, base, pk)
    expect(page.locator(".current-step")).to_contain_text("转入地受理")
    approve_confirmed(page)
    page.goto(base + "/review/pending")
    expect(page.locator("tr.queue-row")).to_have_count(0)
    sign_out(page, base)

    sign_in(page, base, sending)  # now its own step, in another province
    open_application(page, base, pk)
    expect(page.locator(".current-step")).to_contain_text("转出地审核")
    approve_confirmed(page)
    assert page.url.endswith("/review/pending")  # out of its sight again
    assert page.goto(base + f"/review/applications/{pk}").status == 404
    sign_out(page, base)

    sign_in(page, base, receiving)  # complete_in is distinct: not for whoever accepted
    page.goto(base + "/review/pending")
    expect(page.locator("tr.queue-row")).to_have_count(0)
    sign_out(page, base)
    sign_in(page, base, receiving_2)
    open_application(page, base, pk)
    expect(page.locator(".current-step")).to_contain_text("转入地接续办结")
    approve_confirmed(page)
    expect(page.locator(".application-status")).to_have_text(say(app, "Approved"))
    assert not server_errors, server_errors


def test_review_pages_fit_a_tablet_in_both_languages(browser, live_server, app, frozen):
    """768 px (a tablet, portrait): one navbar row (the menu behind its button), a queue table
    that scrolls to its last column, the refuse button clear of the return form; the brand in
    the page's language."""
    with app.app_context():
        publish("maternity_allowance")
        application_id = submitted("maternity_allowance", NANSHAN, at=NOW).id
        username = make_user("Reviewer", NANSHAN).username
    context = browser.new_context(locale="zh-CN", viewport={"width": 768, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, live_server, username)
        page.goto(live_server + f"/review/applications/{application_id}")
        assert page.locator(".navbar").first.bounding_box()["height"] < 60  # one row
        expect(page.locator(".navbar-brand")).to_have_text("办事")
        button = page.locator("form.decide-refuse button[type=submit]").bounding_box()
        heading = page.locator("form.decide-return p").first.bounding_box()
        assert heading["y"] - (button["y"] + button["height"]) >= 12
        page.goto(live_server + "/lang/en")
        page.goto(live_server + "/review/pending")
        expect(page.locator(".navbar-brand")).to_have_text("banshi")
        assert page.locator(".navbar").first.bounding_box()["height"] < 60
        table = page.locator(".review-queue .table-responsive")
        wide, shown, overflow = table.evaluate(
            "t => [t.scrollWidth, t.clientWidth, getComputedStyle(t).overflowX]")
        assert overflow == "auto" and wide >= shown
        status = page.locator("tr.queue-row td").nth(8)
        status.scroll_into_view_if_needed()
        expect(status).to_be_in_viewport()
        expect(status).to_have_text("Under review")
    finally:
        context.close()
