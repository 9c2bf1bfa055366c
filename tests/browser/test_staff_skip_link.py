"""Staff pages: the first Tab shows the skip link, and following it moves on to the content."""
import pytest

from tests.browser.helpers import sign_in, watch_server_errors
from tests.support import make_user

pytestmark = pytest.mark.browser


def test_first_tab_is_the_skip_link(page, live_server, app):
    with app.app_context():
        admin = make_user("Admin", username="skip_admin").username
    errors = watch_server_errors(page)
    sign_in(page, live_server, admin)
    page.goto(f"{live_server}/users/list/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.textContent.trim(), "
                            "document.activeElement.getAttribute('href')]")
    assert focused == ["跳到主要内容", "#main-content"]
    box = page.locator("a.staff-skip").bounding_box()
    assert box and box["width"] > 1 and box["height"] > 1  # shown while focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"
    assert not errors
