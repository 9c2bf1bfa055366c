"""Steps a citizen takes through the generated wizard, as a person would (labels, buttons)."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import assert_fits, say, sign_in
from tests.wizard_support import citizen, jpeg_bytes, publish


def shot(page, request, label: str) -> None:
    """Keep a screenshot of the page as it is now (test-artifacts/<test>_<label>.png)."""
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    page.screenshot(path=str(ARTIFACTS / f"{name}_{label}.png"), full_page=True)


def prepare(app, paths, **person) -> str:
    """Publish the definitions and create a verified citizen; return the username."""
    with app.app_context():
        publish(paths)
        return citizen(**person).username


def press_next(page, app):
    """Press the page's "next" button and wait for the next page."""
    page.locator("main .nav-buttons").get_by_role("button", name=say(app, "Next"),
                                                  exact=True).click()
    page.wait_for_load_state()


def expect_step(page, title: str):
    """The page is the wizard step ``title``, marked as the current one in the progress bar."""
    expect(page.locator("main h1")).to_have_text(title)
    expect(page.locator('nav.progress li[aria-current="step"]')).to_have_text(title)


def start_item(page, live_server, app, username: str, name: str, notice: str = ""):
    """Sign in, open 我要办 from the header, open the item and start; tick the notice."""
    sign_in(page, live_server, username)
    page.locator("header nav.services").get_by_role("link", name=say(app, "Apply")).click()
    page.locator("main").get_by_role("link", name=name, exact=True).click()
    expect(page.locator("main h1")).to_have_text(name)
    assert_fits(page)
    page.get_by_role("button", name=say(app, "Start the application")).click()
    page.wait_for_load_state()
    expect(page.locator("nav.progress li").first).to_have_attribute("aria-current", "step")
    expect(page.locator("main .notice-text")).to_contain_text(notice)
    assert_fits(page)
    press_next(page, app)  # without ticking: refused, the message next to the box
    expect(page.locator("#acknowledge-err")).to_be_visible()
    page.get_by_label("我已阅读").check()
    press_next(page, app)


def choose_self(page, app):
    page.get_by_label(say(app, "For myself"), exact=True).check()
    press_next(page, app)


def upload(page, app, tmp_path, key: str, name: str = "scan.jpg"):
    """Choose a small JPEG (made with Pillow) for one material and press its upload button."""
    path = tmp_path / name
    path.write_bytes(jpeg_bytes())
    section = page.locator(f"#material-{key}")
    section.locator("input[type=file]").set_input_files(str(path))
    section.get_by_role("button", name=say(app, "Upload"), exact=True).click()
    page.wait_for_load_state()
    expect(page.locator(f"#material-{key} ul.files")).to_contain_text(name)


def submit_and_follow(page, app, item_name: str, must_show=(), request=None):
    """Check the confirmation, submit, and find the application under 受理中 in 我要查."""
    expect(page.locator("main h1")).to_have_text(say(app, "Check your answers before submitting"))
    expect(page.locator("main .problems")).to_have_count(0)
    for text in must_show:
        expect(page.locator("main")).to_contain_text(text)
    assert_fits(page)
    if request is not None:
        shot(page, request, "confirm")
    page.get_by_role("button", name=say(app, "Confirm and submit")).click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/applications/\d+/submitted$"))
    expect(page.locator("main h1")).to_have_text(say(app, "Submitted, waiting for review"))
    serial = page.locator("main .serial").inner_text()
    assert re.fullmatch(r"\d{6}-\d{8}-\d{5}", serial), serial
    assert_fits(page)
    if request is not None:
        shot(page, request, "submitted")
    page.locator("main").get_by_role("link", name=say(app, "My applications")).click()
    page.wait_for_load_state()
    tab = page.locator('nav.tabs a[aria-current="page"]')
    expect(tab).to_have_text(say(app, "Being processed"))
    row = page.locator("li.application", has_text=item_name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(say(app, "Being processed"))
    expect(row).to_contain_text(serial)
    assert_fits(page)
    return serial


def htmx_settled(page):
    """Wait until htmx has no request in flight and nothing left to swap or settle."""
    page.wait_for_function("() => !document.querySelector("
                           "'.htmx-request, .htmx-swapping, .htmx-settling')")


def choose_region(page, question: str, *names: str):
    """Pick a region question's answer level by level (province, city, county…): each select
    is filled by htmx once the one above is chosen."""
    picker = page.get_by_role("group", name=question)
    for index, name in enumerate(names):
        select = picker.locator("select").nth(index)
        expect(select.locator("option", has_text=re.compile(f"^{re.escape(name)}$"))
               ).to_have_count(1)
        select.select_option(label=name)
        htmx_settled(page)
