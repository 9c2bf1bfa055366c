"""The audit log in a browser: a regional administrator filters it with FAB's search panel."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from app.audit import record
from app.extensions import db
from tests.browser.helpers import say, sign_in, watch_server_errors
from tests.browser.test_staff_scope import column_texts, list_rows, search_list
from tests.support import make_user

pytestmark = pytest.mark.browser
CST = dt.timezone(dt.timedelta(hours=8))


def test_region_admin_filters_the_audit_log(desk_page, live_server, app):
    page = desk_page
    server_errors = watch_server_errors(page)
    with app.app_context():
        admin = make_user("RegionAdmin", "130200", username="ts_audit_browser").username
        events = []
        for object_id, region in (("41", "130203"), ("42", "130203"), ("43", "440305")):
            event = record("identity.reveal", "application", object_id, region,
                           reason="核对 11010519491231002X")
            event.at = dt.datetime(2026, 3, 2, 9, int(object_id), tzinfo=CST)
            events.append(event)
        db.session.commit()
        first = events[0].id

    sign_in(page, live_server, admin)
    page.goto(live_server + "/auditlog/list/")
    expect(page.locator(".panel-heading .panel-title").first).to_have_text(say(app, "Audit log"))
    objects = column_texts(page, say(app, "Object"))
    assert [o for o in objects if "#4" in o] == ["申请 #42", "申请 #41"], objects  # newest first

    search_list(page, app, say(app, "Object"), say(app, "Is"), "41")
    expect(list_rows(page)).to_have_count(1)
    assert column_texts(page, say(app, "Object")) == ["申请 #41"]
    page.goto(live_server + "/auditlog/list/")
    search_list(page, app, say(app, "Object"), say(app, "Is"), "43")  # 南山区: not theirs
    expect(list_rows(page)).to_have_count(0)
    page.goto(live_server + f"/auditlog/show/{first}")
    expect(page.locator("table.audit-detail")).to_contain_text("1101**********002X")
    assert "11010519491231002X" not in page.content()
    assert not server_errors, server_errors
