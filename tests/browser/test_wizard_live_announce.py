"""Questions that the live update (htmx) shows or hides are said in a polite live region, and
the focus stays on the answer that was changed (HB-1 特殊人员, Chromium at 375 px)."""
import re

import pytest
from playwright.sync_api import expect

from tests.applications_support import clock  # noqa: F401
from tests.browser.helpers import say, watch_server_errors
from tests.browser.wizard_steps import (choose_self, expect_step, prepare, press_next,
                                        start_item)
from tests.wizard_support import HB1

pytestmark = pytest.mark.browser


def said(app, msgid: str, question: str) -> re.Pattern:
    """Match the message ``msgid`` naming ``question`` among the questions it lists."""
    before, after = say(app, msgid, questions="\0").split("\0")
    return re.compile(re.escape(before) + ".*" + re.escape(question) + ".*" + re.escape(after))


def test_questions_shown_live_are_announced(page, live_server, app, clock):  # noqa: F811
    username = prepare(app, HB1)
    errors = watch_server_errors(page)
    start_item(page, live_server, app, username, "门诊慢特病申报")
    choose_self(page, app)
    expect_step(page, "申报选择")
    page.get_by_label("慢性病申报").check()
    press_next(page, app)
    expect_step(page, "基本信息")
    page.get_by_label("险种类型").select_option("310")
    page.get_by_label("联系电话").fill("13800138000")
    press_next(page, app)

    expect_step(page, "特殊人员")
    status = page.locator("#page-fields-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text("")
    yes = page.get_by_label("是", exact=True)
    yes.check()
    expect(page.get_by_label("特殊人员类型", exact=True)).to_be_visible()
    expect(status).to_have_text(said(app, "Now also asked: %(questions)s", "特殊人员类型"))
    expect(yes).to_be_focused()  # the focus stays on the answer changed
    page.get_by_label("否", exact=True).check()
    expect(page.get_by_label("特殊人员类型", exact=True)).to_have_count(0)
    expect(status).to_have_text(said(app, "No longer asked: %(questions)s", "特殊人员类型"))
    assert not errors
