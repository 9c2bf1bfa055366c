"""The live update never loses what is typed while it is on its way (GD-8 休假及生育信息, Chromium).

The server holds the live update (a gate around its view, here in the test) while the citizen
changes a second date and types into another question; once it answers, every value typed is
still there and the computed 休假天数 counts the dates as they stand.
"""
import functools
import threading

import pytest
from playwright.sync_api import expect

from tests.applications_support import CODE, REGION, clock, load_gd8, make_citizen  # noqa: F401
from tests.browser.helpers import sign_in, watch_server_errors
from tests.browser.wizard_steps import htmx_settled
from tests.wizard_support import signed_in, start

pytestmark = pytest.mark.browser


class Gate:
    """Hold the live update's requests while ``open`` is clear; ``entered`` says one came."""

    def __init__(self):
        self.entered, self.open = threading.Event(), threading.Event()
        self.open.set()

    def wrap(self, view):
        @functools.wraps(view)
        def held(*args, **kwargs):
            self.entered.set()
            self.open.wait(15)
            return view(*args, **kwargs)

        return held


@pytest.fixture
def held_live_update(app):
    gate, endpoint = Gate(), "WizardView.fields"
    original = app.view_functions[endpoint]
    app.view_functions[endpoint] = gate.wrap(original)
    yield gate
    gate.open.set()
    app.view_functions[endpoint] = original


def test_values_typed_while_the_live_update_is_held_survive_its_answer(
        page, live_server, app, clock, held_live_update):  # noqa: F811
    with app.app_context():
        load_gd8()
        user = make_citizen()
        username = user.username
    pk = start(signed_in(app, user), CODE, REGION)
    errors = watch_server_errors(page)
    sign_in(page, live_server, username)
    page.goto(f"{live_server}/applications/{pk}/pages/leave")
    page.get_by_label("产假", exact=True).check()
    expect(page.get_by_label("胎次")).to_be_visible()  # shown by the live update
    htmx_settled(page)
    page.get_by_label("休假开始日期").fill("2026-09-28")
    htmx_settled(page)
    expect(page.get_by_label("休假天数")).to_have_value("0")

    gate = held_live_update
    gate.open.clear()
    gate.entered.clear()
    page.get_by_label("休假开始日期").fill("2026-09-20")
    assert gate.entered.wait(5), "the live update was not sent"
    page.get_by_label("休假结束日期").fill("2027-01-31")  # a live question: asks again
    page.get_by_label("胎次").press_sequentially("2")  # still being typed: no change yet
    gate.open.set()
    page.wait_for_function("() => document.querySelector('.htmx-request') !== null"
                           " || document.getElementById('leave_days').value === '134'")
    htmx_settled(page)

    expect(page.get_by_label("休假开始日期")).to_have_value("2026-09-20")
    expect(page.get_by_label("休假结束日期")).to_have_value("2027-01-31")
    expect(page.get_by_label("胎次")).to_have_value("2")
    expect(page.get_by_label("胎次")).to_be_focused()
    expect(page.get_by_label("休假天数")).to_have_value("134")  # computed from both dates
    assert not errors
