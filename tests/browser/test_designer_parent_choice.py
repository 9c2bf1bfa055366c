"""唐山市 must start its HB-1 variant now, while 河北 has a second version scheduled for next
month: in real Chromium its administrator adapts the item, opens the publish page, chooses the
province version in effect today (keyboard and links only), reads the warning that the newer
version reaches the city only when published again, and publishes at once; a citizen of 路北区
is offered the city's variant today."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from app.commands.drafts import SaveDraftCommand
from app.commands.publish import PublishItemCommand
from tests.applications_support import clock  # noqa: F401
from tests.browser.designer_steps import click, open_items, sign_out
from tests.browser.helpers import say, sign_in, watch_server_errors
from tests.browser.test_designer_variant import NAME, TANGSHAN, adapt, offered
from tests.browser.wizard_steps import prepare, shot
from tests.support import make_user
from tests.wizard_support import HB1, HB1_CODE

pytestmark = pytest.mark.browser
NEXT_MONTH = dt.date(2026, 12, 15)


def schedule_second_version(app):
    """河北 publishes version 2 of HB-1 (25 working days) from NEXT_MONTH."""
    from app.extensions import db
    from app.models.item import Item
    from sqlalchemy import select

    with app.app_context():
        item = db.session.scalar(select(Item).where(Item.code == HB1_CODE,
                                                    Item.region_code == "130000"))
        SaveDraftCommand(item, dict(item.draft, time_limit_days=25), item.revision).run()
        PublishItemCommand(HB1_CODE, "130000", day=NEXT_MONTH).run()


def test_a_city_builds_its_variant_on_the_province_version_in_effect_today(
        desk_page, live_server, app, clock, request):  # noqa: F811
    page, base = desk_page, live_server
    errors = watch_server_errors(page)
    tangshan_citizen = prepare(app, HB1)
    schedule_second_version(app)
    with app.app_context():
        admin = make_user("RegionAdmin", TANGSHAN, name="唐山管理员").username

    sign_in(page, base, admin)
    open_items(page, base)
    adapt(page, app)
    click(page, page.get_by_role("link", name=say(app, "Check and publish")))
    choice = page.locator(".parent-versions")
    expect(choice).to_contain_text(say(
        app, "Build this variant on which version of the item of %(region)s?", region="河北省"))
    expect(choice.locator("[aria-current]")).to_contain_text(say(
        app, "Version %(n)s, in effect from %(day)s: the variant can take effect on that day at "
        "the earliest", n=2, day=NEXT_MONTH.isoformat()))
    expect(page.locator("#effective-from")).to_have_value(NEXT_MONTH.isoformat())
    today_link = choice.get_by_role("link", name=say(
        app, "Version %(n)s, in effect today: the variant can take effect at once", n=1))
    today_link.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(choice.locator("[aria-current]")).to_contain_text(say(
        app, "Version %(n)s, in effect today: the variant can take effect at once", n=1))
    expect(page.locator(".built-on-current")).to_contain_text(NEXT_MONTH.isoformat())
    expect(page.locator("#effective-from")).to_have_value("")
    shot(page, request, "built_on_today")
    click(page, page.get_by_role("button", name=say(app, "Publish"), exact=True))
    expect(page.locator(".alert-success").first).to_contain_text(
        say(app, "Published version %(number)s.", number=1))
    sign_out(page, base)

    main = offered(page, base, app, tangshan_citizen, "路北区")
    expect(main.locator(".facts")).to_contain_text(
        say(app, "%(days)d working days after submission", days=20))  # v1's rule, today
    shot(page, request, "tangshan_citizen")
    body = page.request.get(f"{base}/api/v1/catalog/?region=130203").json()
    [item] = [i for c in body["categories"] for i in c["items"] if i["code"] == HB1_CODE]
    assert item["owner_region"] == TANGSHAN and NAME in main.inner_text()
    assert not errors, errors
