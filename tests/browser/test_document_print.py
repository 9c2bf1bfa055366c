"""SC-3's certificate in a real Chromium: 打印 is there, and prints, only where the script runs;
without JavaScript the page says how to print instead of offering a button that does nothing."""
import pytest
from playwright.sync_api import expect

from tests.browser.helpers import say, sign_in
from tests.integration.test_result_document import ANSWERS, apply, publish_certificate
from tests.review_support import workday_clock  # noqa: F401

pytestmark = pytest.mark.browser
HINT = "如需打印，请使用浏览器自带的“打印”功能。"


@pytest.fixture
def certificate(app, workday_clock):  # noqa: F811
    with app.app_context():
        publish_certificate()
        application, person = apply(dict(ANSWERS))
        assert application.status == "approved"
        return application.id, person.username


@pytest.mark.parametrize("script", [True, False], ids=["javascript", "no-javascript"])
def test_print_is_offered_only_where_it_works(browser, live_server, app, certificate, script):
    pk, username = certificate
    context = browser.new_context(locale="zh-CN", java_script_enabled=script,
                                  viewport={"width": 375, "height": 812})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, live_server, username)
        page.goto(live_server + f"/my/applications/{pk}/document")
        button = page.locator("main .document-actions").get_by_role(
            "button", name=say(app, "Print"))
        if script:
            page.evaluate("window.print = () => { window.printed = true; }")
            expect(button).to_be_visible()
            button.click()
            assert page.evaluate("window.printed") is True
            expect(page.get_by_text(HINT)).to_have_count(0)
        else:
            expect(button).to_have_count(0)
            expect(page.get_by_text(HINT)).to_be_visible()
    finally:
        context.close()
