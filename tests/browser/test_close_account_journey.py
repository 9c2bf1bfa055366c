"""注销账号 in a real Chromium on a 375 px phone screen, in Chinese, with CSRF on: from 我的账号
to the closing page, the mistakes (nothing filled in, a wrong password), the account closed,
signed out, and the same mobile refused at sign-in."""
import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models.application import Application
from app.models.user import BanshiUser
from tests.account_close_support import MOBILE, draft_of, make_account
from tests.browser.helpers import assert_fits, field_error, say, sign_in, watch_server_errors
from tests.retention_support import publish_items
from tests.review_support import workday_clock  # noqa: F401
from tests.support import PASSWORD

pytestmark = pytest.mark.browser


def test_a_citizen_closes_their_account(page, live_server, app, workday_clock, tmp_path, csrf):
    with app.app_context():
        publish_items(tmp_path / "formdefs")
        user_id = make_account().id
        draft_id = draft_of(db.session.get(BanshiUser, user_id)).id
    errors = watch_server_errors(page)
    sign_in(page, live_server, MOBILE)
    page.goto(live_server + "/me/")
    page.locator("main").get_by_role("link", name=say(app, "Close my account")).click()
    expect(page).to_have_url(re.compile(r"/me/close$"))
    expect(page.locator("main h1")).to_have_text(say(app, "Close my account"))
    main = page.locator("main")
    expect(main).to_contain_text(say(app, "What is deleted"))
    expect(main).to_contain_text(say(app, "What the law keeps"))
    expect(main).to_contain_text(say(
        app, "Drafts you never submitted are deleted with their files (you have %(count)s).",
        count=1))
    assert_fits(page)

    close = main.get_by_role("button", name=say(app, "Close my account"))
    close.click()  # nothing filled in: both fields say what is missing
    expect(field_error(page, "password")).to_have_text(say(app, "Enter your password to confirm."))
    expect(field_error(page, "confirmed")).to_have_text(say(
        app, "Tick the box to confirm that you want to close your account."))

    page.get_by_label(say(app, "Password"), exact=True).fill("not-my-password1")
    page.get_by_label(say(app, "I understand that my account is closed for good and cannot be "
                              "restored.")).check()
    main.get_by_role("button", name=say(app, "Close my account")).click()
    expect(field_error(page, "password")).to_have_text(say(app, "The password is not right."))
    assert_fits(page)

    page.get_by_label(say(app, "Password"), exact=True).fill(PASSWORD)
    box = page.get_by_label(say(app, "I understand that my account is closed for good and "
                                     "cannot be restored."))
    if not box.is_checked():
        box.check()
    main.get_by_role("button", name=say(app, "Close my account")).click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text(say(
        app, "Your account is closed. Thank you for using this service."))
    expect(page.locator("nav.tools .who")).to_have_count(0)  # signed out

    sign_in(page, live_server, MOBILE)
    expect(page.locator("main")).to_contain_text(say(app, "Wrong account or password."))
    with app.app_context():
        user = db.session.get(BanshiUser, user_id)
        assert user.anonymised_at is not None and user.mobile is None and not user.active
        assert db.session.get(Application, draft_id) is None
    assert errors == []
