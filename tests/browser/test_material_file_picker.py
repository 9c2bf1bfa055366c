"""The materials' file picker in the page's language at 375 px in 大字版: Chromium words its
native control in the browser's language ("Choose Files / No file chosen", here an English
browser on a Chinese page) and clips it in 大字版, so the label is the 选择文件 button, the line
after it says 未选择文件 or the chosen file's name, nothing is cut off, the keyboard focus shows
on the button, and a screen reader hears the input named and described. Without JavaScript the
native control shows under the label and the upload still works."""
import re

import pytest
from playwright.sync_api import expect

from tests.applications_support import clock  # noqa: F401
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_fits, say, watch_server_errors
from tests.browser.test_wizard_keeps_input_journey import gd8_draft  # noqa: F401
from tests.wizard_support import jpeg_bytes

pytestmark = pytest.mark.browser
CLIPPED = "els => els.filter(e => e.scrollWidth > e.clientWidth).map(e => e.outerHTML)"
FILE = {"name": "身份证正面-扫描件-2026年11月-一个很长的文件名.jpg", "mimeType": "image/jpeg"}


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def any_page(request, browser):
    """A 375 px page of an English-language browser, with JavaScript on, then off."""
    context = browser.new_context(locale="en-US", java_script_enabled=request.param,
                                  viewport={"width": 375, "height": 812})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.js = request.param
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


def test_the_file_picker_speaks_chinese_and_fits_in_large_text(any_page, app, gd8_draft):  # noqa: F811
    page, errors = any_page, watch_server_errors(any_page)
    page.goto(f"{gd8_draft}/materials?_l_=zh")
    page.locator("nav.tools").get_by_role("link", name=say(app, "Large text")).click()
    page.wait_for_load_state()
    page.goto(f"{gd8_draft}/materials")
    expect(page.locator("html")).to_have_class(re.compile("large-font"))
    section = page.locator("#material-id_document")
    button, chosen = section.locator("label.file-button"), section.locator(".file-chosen")
    file_input = section.locator("input[type=file]")
    expect(button).to_contain_text("选择文件")
    expect(file_input).to_have_accessible_name("选择文件 本人身份证")
    if not page.js:  # the native control, under its label; the upload still works
        expect(chosen).to_be_hidden()
        file_input.set_input_files(files=[{**FILE, "buffer": jpeg_bytes()}])
    else:
        expect(chosen).to_have_text("未选择文件")
        expect(file_input).to_have_accessible_description("未选择文件")
        parts = section.locator("div.upload, .file-field, label.file-button, .file-chosen")
        assert parts.evaluate_all(CLIPPED) == []
        file_input.focus()  # the keyboard focus shows on the button
        assert button.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
        with page.expect_file_chooser() as chooser:
            button.click()  # the label opens the chooser
        chooser.value.set_files(files=[{**FILE, "buffer": jpeg_bytes()}])
        expect(chosen).to_have_text(FILE["name"])
        expect(file_input).to_have_accessible_description(FILE["name"])
        assert parts.evaluate_all(CLIPPED) == []
    assert_fits(page)
    section.get_by_role("button", name=say(app, "Upload"), exact=True).click()
    page.wait_for_load_state()
    expect(page.locator("#material-id_document ul.files")).to_contain_text(FILE["name"])
    assert not errors, errors
