"""SC-3's certificate chosen in 中英文, in a real Chromium under English pages: the Chinese
certificate, then the English one, each with its own facts; printed, the English one starts on
a new sheet (as in the PDF)."""
import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.integration.test_result_document import ANSWERS, apply, publish_certificate
from tests.review_support import workday_clock  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def bilingual(app, workday_clock):  # noqa: F811
    with app.app_context():
        publish_certificate()
        application, person = apply({**ANSWERS, "language": "zh_en"})
        assert application.status == "approved"
        return application.id, person.username


def test_both_languages_whatever_the_page_language(browser, live_server, bilingual):
    pk, username = bilingual
    context = browser.new_context(locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, live_server, username)
        page.goto(live_server + "/prefs/lang/en")
        page.goto(live_server + f"/my/applications/{pk}/document?_l_=en")  # English pages
        parts = page.locator("main .document-part")
        expect(parts).to_have_count(2)
        expect(parts.nth(0)).to_have_attribute("lang", "zh")
        expect(parts.nth(0).locator("h1")).to_have_text("基本医疗保险参保缴费凭证")
        expect(parts.nth(0).locator(".document-agency")).to_have_text("成都市锦江区医疗保障局")
        expect(parts.nth(1)).to_have_attribute("lang", "en")
        expect(parts.nth(1).locator("h1")).to_have_text(
            "Certificate of basic medical insurance enrollment")
        expect(parts.nth(1).locator(".document-date")).to_have_text("March 2, 2026")
        expect(page.locator("main .document-actions")).to_contain_text("Download PDF")
        page.emulate_media(media="print")
        assert parts.nth(1).evaluate("e => getComputedStyle(e).breakBefore") == "page"
    finally:
        context.close()
