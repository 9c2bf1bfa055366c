"""停止办理 from a day chosen ahead: the item stays in the catalogue until the day before, says
so to citizens and in the catalogue API, leaves by itself on the day (no job), and the end can be
moved or cancelled; a variant goes no later than the item it derives from."""
import datetime as dt
from html import unescape

import pytest
from sqlalchemy import func, select

from app.commands.formdef_errors import FormdefError
from app.commands.retire import RetireDateInPastError, RetireItemCommand
from app.engine.variants import effective_version
from app.extensions import db
from app.models.audit import AuditEvent
from tests.integration.designer_support import CITY, PROVINCE, item, load, staff, text
from tests.support import frozen_clock, make_user

MONDAY = dt.datetime(2026, 3, 2, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def events(action):
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == action))


def test_a_scheduled_end_takes_the_item_out_of_the_catalogue_on_its_day(client, ctx):
    with frozen_clock(ctx, MONDAY) as clock:
        load(PROVINCE)
        staff(client)
        it = item()
        response = client.post(f"/items/{it.id}/retire",
                               data={"confirmed": "1", "retires_on": "2026-03-05"})
        assert response.status_code == 302
        assert item().status == "published" and item().retires_on == dt.date(2026, 3, 5)
        assert events("definition.retire_scheduled") == 1 and events("definition.retire") == 0
        overview = text(client.get(f"/items/{it.id}/"))
        assert "out of service from 2026-03-05" in overview
        assert "out of service from 2026-03-05" in text(client.get("/items/"))
        assert effective_version("demo_allowance", "130203") is not None
        citizen = ctx.test_client()
        staff(citizen, "Citizen", "130203")
        page = unescape(text(citizen.get("/apply/demo_allowance?region=130203")))
        assert ("offered until 2026-03-04: from 2026-03-05 no new application can be started"
                in page)
        api = citizen.get("/api/v1/catalog/?region=130203")
        found = [i for c in api.get_json()["categories"] for i in c["items"]
                 if i["code"] == "demo_allowance"]
        assert [i["retires_on"] for i in found] == ["2026-03-05"]
        clock.day(2026, 3, 4, 23)
        assert effective_version("demo_allowance", "130203") is not None  # its last day
        clock.day(2026, 3, 5, 0)
        assert effective_version("demo_allowance", "130203") is None
        assert citizen.get("/apply/demo_allowance?region=130203").status_code == 404
        overview = text(client.get(f"/items/{it.id}/"))
        assert "retired · v1" in overview and "Take out of service" not in overview
        assert client.get(f"/items/{it.id}/retire").status_code == 404
        # Publishing again puts it back into service, with no end.
        assert client.post(f"/items/{it.id}/publish", data={"revision": item().revision}
                           ).status_code == 302
        assert item().retires_on is None
        assert effective_version("demo_allowance", "130203") is not None


def test_the_end_can_be_moved_or_cancelled_and_never_lies_in_the_past(client, ctx):
    with frozen_clock(ctx, MONDAY):
        load(PROVINCE)
        staff(client)
        it = item()
        response = client.post(f"/items/{it.id}/retire",
                               data={"confirmed": "1", "retires_on": "2026-03-01"})
        assert response.status_code == 422
        html = unescape(text(response))
        assert "Out of service from: 2026-03-01 is before today (2026-03-02)" in html
        assert 'value="2026-03-01"' in html  # the admin's input stays on the page
        response = client.post(f"/items/{it.id}/retire",
                               data={"confirmed": "1", "retires_on": "3 March"})
        assert response.status_code == 422
        assert "“3 March” is not a date (YYYY-MM-DD)" in unescape(text(response))
        assert item().retires_on is None and item().status == "published"
        client.post(f"/items/{it.id}/retire", data={"confirmed": "1", "retires_on": "2026-04-01"})
        moved = client.post(f"/items/{it.id}/retire", data={
            "confirmed": "1", "retires_on": "2026-03-20"}, follow_redirects=True)
        assert item().retires_on == dt.date(2026, 3, 20)
        name = item().latest_version.definition["name"]["en"]
        assert f"{name} (demo_allowance) goes out of service on 2026-03-20." in unescape(
            text(moved))  # by its name, not the code alone
        page = unescape(text(client.get(f"/items/{it.id}/retire")))
        assert "goes out of service on 2026-03-20" in page and "Keep it in service" in page
        assert client.post(f"/items/{it.id}/retire", data={"confirmed": "1", "cancel": "1"}
                           ).status_code == 302
        assert item().retires_on is None and events("definition.retire_cancelled") == 1
        # Today: at once, as before.
        client.post(f"/items/{it.id}/retire", data={"confirmed": "1", "retires_on": "2026-03-02"})
        assert item().status == "retired" and item().retires_on is None


def test_an_item_goes_no_earlier_than_a_variant_deriving_from_it(ctx):
    with frozen_clock(ctx, MONDAY):
        load(PROVINCE, CITY)
        admin = make_user("Admin", None)
        with pytest.raises(FormdefError, match=r"the variant of .* \(demo_allowance, region "
                                               r"130200\) derives from this item and is in "
                                               "service on 2026-03-10"):
            RetireItemCommand("demo_allowance", "130000", admin, on=dt.date(2026, 3, 10)).run()
        city = item(region="130200")
        RetireItemCommand(city.code, "130200", admin, on=dt.date(2026, 3, 8)).run()
        RetireItemCommand("demo_allowance", "130000", admin, on=dt.date(2026, 3, 10)).run()
        assert item().retires_on == dt.date(2026, 3, 10)
        with pytest.raises(RetireDateInPastError) as refused:
            RetireItemCommand("demo_allowance", "130000", admin, on=dt.date(2026, 2, 1)).run()
        assert refused.value.field == "retires_on"
