"""A return on 是否特殊人员 in a real Chromium (HB-1 门诊慢特病申报, 路北区): the reviewer returns
it with 申报病种 and 诊断证明; the citizen answers 是 on the phone, and the questions that answer
brings in (特殊人员类型, 不能到场原因, 承诺书) appear live and can be filled, as can the proof
of 异地安置 it makes required; resubmitted, the reviewer sees them among the changes."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.applications_support import NOW, clock  # noqa: F401
from tests.browser.helpers import say, sign_in, watch_server_errors
from tests.browser.test_review_chain import open_application, sign_out
from tests.browser.wizard_steps import expect_step, press_next, upload
from tests.integration.test_wizard_correction_notes import submitted_hb1
from tests.support import make_user
from tests.wizard_support import HB1, TANGSHAN, citizen, publish, signed_in

pytestmark = pytest.mark.browser


def special_type(page):
    return page.get_by_label("特殊人员类型", exact=True)


def test_a_return_on_special_person_is_answered_yes_with_what_it_brings_in(
        page, desk_page, live_server, app, clock, tmp_path):  # noqa: F811
    with app.app_context():
        publish(HB1)
        applicant = citizen()
        username = applicant.username
        pk = submitted_hb1(signed_in(app, applicant))  # 是否特殊人员 = 否
        reviewer = make_user("Reviewer", TANGSHAN, name="路北受理员").username
    errors = watch_server_errors(page) + watch_server_errors(desk_page)

    # 受理: returned on 是否特殊人员, 申报病种 and 诊断证明, each with its reason.
    sign_in(desk_page, live_server, reviewer)
    open_application(desk_page, live_server, pk)
    for kind, key, reason in (("fields", "special", "请核实是否属于特殊人员"),
                              ("fields", "disease", "病种名称不规范"),
                              ("materials", "diagnosis", "诊断证明不清晰")):
        desk_page.check(f"#return-{kind}-{key}")
        desk_page.fill(f'input[name="reason_{kind}_{key}"]', reason)
    desk_page.locator("form.decide-return button[type=submit]").click()
    desk_page.wait_for_load_state()
    desk_page.locator("form.decide-confirm button[type=submit]").click()
    desk_page.wait_for_load_state()
    expect(desk_page.locator(".return-request")).to_contain_text("请核实是否属于特殊人员")
    sign_out(desk_page, live_server)

    # The citizen, on the phone, the next day: 我要查 → 去补正 → 是, and what 是 asks.
    clock.set(NOW + dt.timedelta(days=1))
    sign_in(page, live_server, username)
    page.goto(live_server + f"/my/applications/{pk}")
    page.locator("main section.returned a.button").click()
    page.wait_for_load_state()
    expect_step(page, "特殊人员")
    expect(page.locator("main .display-field")).to_contain_text("特殊人员指对于居住偏远")
    expect(page.locator("#q-special .reason")).to_contain_text("请核实是否属于特殊人员")
    expect(special_type(page)).to_have_count(0)
    page.get_by_label("是", exact=True).check()  # redrawn live: the questions it brings in
    expect(special_type(page)).to_be_visible()
    press_next(page, app)  # not yet answered: named, each link reaching its input
    summary = page.locator("main .problems")
    expect(summary).to_contain_text("特殊人员类型")
    summary.get_by_role("link", name="不能到场原因").click()
    expect(page.get_by_label("不能到场原因")).to_be_focused()
    special_type(page).select_option("异地安置")
    page.get_by_label("不能到场原因").fill("长期居住在外省")
    page.get_by_label("本人承诺对不能前往现场认定的具体原因真实", exact=False).check()
    press_next(page, app)

    expect_step(page, "认定信息")
    expect(page.get_by_label("认定医院")).to_have_count(0)  # not asked: shown as sent
    page.get_by_label("申报病种").fill("糖尿病")
    press_next(page, app)

    expect_step(page, say(app, "Materials"))
    expect(page.locator("#material-medical_records input[type=file]")).to_have_count(0)
    expect(page.locator("#material-special_proof .badge")).to_have_text(
        say(app, "Required in your case"))
    for key in ("diagnosis", "special_proof"):
        upload(page, app, tmp_path, key)
    press_next(page, app)

    expect(page.locator("main h1")).to_have_text(say(app, "Check your answers before submitting"))
    expect(page.locator("main .problems")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("长期居住在外省")
    page.locator("main form.submit-form button.primary").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/applications/{pk}/submitted"), page.url

    # The reviewer sees the answers brought in among the changes.
    sign_in(desk_page, live_server, reviewer)
    open_application(desk_page, live_server, pk)
    diff = desk_page.locator("table.answer-diff")
    for label, after in (("是否特殊人员", "是"), ("特殊人员类型", "异地安置"),
                         ("不能到场原因", "长期居住在外省"), ("申报病种", "糖尿病")):
        row = diff.locator("tr", has_text=label).first
        expect(row.locator("td.after")).to_have_text(after)
    expect(desk_page.locator('.material[data-material="special_proof"] .label-success')) \
        .to_have_count(1)
    assert not errors, errors
