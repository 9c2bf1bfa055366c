"""A staff member whose password an administrator set forgets it and resets it by SMS code (忘记
密码) in a real Chromium: the password they chose there is their own, so signing in with it
goes straight to their work, not to 修改密码 once more."""
import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models.user import BanshiUser
from tests.browser.helpers import latest_code_on_dev_page, say, sign_in, watch_server_errors
from tests.support import make_user

pytestmark = pytest.mark.browser

MOBILE = "13800138021"
CHOSEN = "Forgot2026mine"


def test_a_staff_member_resets_a_given_password_by_sms_and_goes_straight_in(page, live_server,
                                                                              app):
    server_errors = watch_server_errors(page)
    with app.app_context():
        clerk = make_user("Reviewer", "130203", username="fp_clerk", mobile=MOBILE)
        clerk.must_change_password = True  # as an administrator's 设置新密码 leaves it
        db.session.commit()
        clerk_id = clerk.id

    page.goto(live_server + "/login/")
    page.get_by_role("link", name=say(app, "Forgot password")).click()
    expect(page.locator("main h1")).to_have_text(say(app, "Reset your password"))
    page.get_by_label(say(app, "Mobile number"), exact=True).fill(MOBILE)
    page.get_by_role("button", name=say(app, "Send verification code")).click()
    page.wait_for_load_state()
    code = latest_code_on_dev_page(page.context, live_server, MOBILE)
    page.get_by_label(say(app, "SMS verification code"), exact=True).fill(code)
    page.get_by_label(say(app, "New password"), exact=True).fill(CHOSEN)
    page.get_by_label(say(app, "Repeat the password"), exact=True).fill(CHOSEN)
    page.get_by_role("button", name=say(app, "Set new password")).click()
    expect(page).to_have_url(re.compile(r"/login/$"))

    sign_in(page, live_server, "fp_clerk", CHOSEN)
    expect(page.get_by_text(say(app, "Use the menu above to work within your region."))
           ).to_be_visible()
    assert "/resetmypassword/" not in page.url
    with app.app_context():
        assert db.session.get(BanshiUser, clerk_id).must_change_password is None
    assert not server_errors, server_errors
