"""Staff pages at 375 px: the item designer and the add-staff form fit the phone screen (no
sideways scrolling of the whole page; wide tables scroll inside their own box), and the form's
help texts wrap instead of being cut off at the right edge."""
import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.item import Item
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import horizontal_overflow, sign_in, watch_server_errors
from tests.support import make_user
from tests.wizard_support import HB1, publish

pytestmark = pytest.mark.browser


STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = e => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if ((x === 'auto' || x === 'scroll') && p.getBoundingClientRect().right <= width + 1) return true;
    } return false; };
  const out = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width && r.height && r.right > width + 1 && !scrolls(e);
  }).map(e => e.tagName.toLowerCase() + '.' + String(e.className) + ' "' +
                (e.innerText || '').trim().slice(0, 30) + '"');
  if (document.documentElement.scrollWidth > width)
    out.unshift('page scrollWidth ' + document.documentElement.scrollWidth);
  return out;
}"""


def assert_fits(page):
    """The page does not scroll sideways, and what reaches past the screen's right edge is in a
    box that scrolls (a wide table), not cut off."""
    assert page.evaluate(STICKING_OUT) == [], page.url


def assert_all_in_view(page):
    """Nothing reaches past the right edge, not even in a scrolling box: a form's inputs and
    help texts are read and typed in place (FAB's form table scrolls, which hid them)."""
    assert horizontal_overflow(page) == [], page.url


@pytest.fixture
def phone_page(browser, request):
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 812})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


def test_designer_and_add_staff_form_fit_375_px(phone_page, live_server, app):
    page = phone_page
    with app.app_context():
        publish(HB1)
        item_id = db.session.scalar(sa.select(Item.id).where(
            Item.code == "chronic_disease_outpatient"))
        admin = make_user("Admin", name="平台管理员").username
    errors = watch_server_errors(page)
    sign_in(page, live_server, admin)

    page.goto(f"{live_server}/items/{item_id}/")
    assert page.locator("table").count()  # the fields table that stuck out
    assert_fits(page)

    page.goto(f"{live_server}/users/add")
    help_text = page.locator("form .help-block", has_text="停用后不能登录")
    assert help_text.count() == 1
    assert help_text.evaluate("e => e.getBoundingClientRect().right") <= 375
    assert_all_in_view(page)
    assert not errors
