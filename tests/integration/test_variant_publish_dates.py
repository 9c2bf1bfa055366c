"""When a regional variant takes effect (app.commands.parent_start): a variant is built on the
parent's newest version, so while that version is scheduled the publish page says so, starts
the date at its day and refuses an earlier one (or none) naming it; the diff compares with the
version the region applies today. The effective date is the publisher's, never content: a
variant does not inherit the parent's, and a draft made after a scheduled publish does not
carry it forward (no suggested date, no "生效日期 新增" in the diff)."""
import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from app.commands.drafts import SaveDraftCommand
from app.commands.parent_start import BeforeParentVersionError
from app.commands.publish import PublishItemCommand
from app.engine.variants import effective_version
from app.extensions import db
from app.models.item import ItemVersion
from app.models.region import Region
from tests.integration.designer_support import CITY, PROVINCE, item, load, staff, text
from tests.integration.formdefs_api_support import caller, publish, send
from tests.support import frozen_clock

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def clock(app):
    with frozen_clock(app, NOW) as frozen:
        yield frozen


def versions(it) -> list:
    db.session.expire_all()
    return db.session.scalars(select(ItemVersion).where(ItemVersion.item_id == it.id)
                              .order_by(ItemVersion.number)).all()


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def diff_rows(html: str) -> str:
    """Return the words of the publish page's diff ('' when it shows no change)."""
    if '<table class="table table-condensed diff">' not in html:
        return ""
    start = html.index('<table class="table table-condensed diff">')
    return words(html[start:html.index("</table>", start)])


def date_box(html: str) -> str:
    return re.search(r'<input id="effective-from"[^>]*value="([^"]*)"', html).group(1)


def province_schedules(client, day: str, days: int = 12):
    """As the province's administrator, change the time limit and publish it from ``day``."""
    staff(client)
    it = item()
    SaveDraftCommand(it, dict(it.draft, time_limit_days=days), it.revision).run()
    it = item()
    response = client.post(f"/items/{it.id}/publish",
                           data={"revision": it.revision, "effective_from": day})
    assert response.status_code == 302
    return item()


def adapt_in_tangshan(client):
    client.post("/logout/")
    staff(client, "RegionAdmin", "130200", locale="zh")
    assert client.post(f"/items/adapt/{item().id}").status_code == 302
    return item("demo_allowance", "130200")


def test_a_variant_of_a_scheduled_version_says_and_keeps_its_earliest_day(client, ctx, clock):
    load(PROVINCE)
    province = province_schedules(client, "2026-12-05")
    assert [(v.number, v.effective_from) for v in versions(province)] == [
        (1, None), (2, dt.date(2026, 12, 5))]
    variant = adapt_in_tangshan(client)
    hebei = db.session.get(Region, "130000").name
    page = text(client.get(f"/items/{variant.id}/publish"))
    shown = words(page)
    assert date_box(page) == "2026-12-05" and 'min="2026-12-05"' in page
    assert (f"本地版本基于{hebei}事项的第2版，该版本 2026-12-05 起生效：本地版本最早于 2026-12-05 "
            "生效。") in shown
    assert f"与{hebei}事项的第1版比较（本辖区今天适用该版本）" in shown  # v1 applies today
    assert "不填或填今天：立即生效" not in shown and "第2版比较" not in shown
    for day, said in (("", "本地版本不能立即生效。请填写 2026-12-05 或以后的日期。"),
                      ("2026-11-24", "本地版本不能立即生效。"),
                      ("2026-12-04", "生效日期：2026-12-04 早于 2026-12-05。")):
        response = client.post(f"/items/{variant.id}/publish", data={
            "revision": item("demo_allowance", "130200").revision, "effective_from": day})
        assert response.status_code == 422, day
        assert said in words(text(response)) and f"基于{hebei}事项的第2版" in words(text(response))
        assert versions(variant) == []
    response = client.post(f"/items/{variant.id}/publish", data={
        "revision": item("demo_allowance", "130200").revision, "effective_from": "2026-12-05"})
    assert response.status_code == 302
    [published] = versions(variant)
    assert published.effective_from == dt.date(2026, 12, 5)
    assert published.derives_version.number == 2 and "effective_from" not in published.definition
    assert effective_version("demo_allowance", "130203").item.region_code == "130000"
    assert effective_version("demo_allowance", "130203").number == 1
    on_the_day = effective_version("demo_allowance", "130203", on=dt.date(2026, 12, 5))
    assert on_the_day.id == published.id and on_the_day.definition["time_limit_days"] == 12


def test_a_variant_does_not_inherit_the_parents_date(client, ctx, clock):
    load(PROVINCE)
    province_schedules(client, "2026-12-01")
    clock.day(2026, 12, 3)  # the province's v2 is in effect: a variant of it can start at once
    variant = adapt_in_tangshan(client)
    page = text(client.get(f"/items/{variant.id}/publish"))
    assert date_box(page) == "" and "不填或填今天：立即生效。" in page
    hebei = db.session.get(Region, "130000").name
    assert f"与{hebei}事项的第2版比较（本辖区今天适用该版本）" in words(page)
    assert f"本地版本基于{hebei}事项的第2版。" in words(page)
    response = client.post(f"/items/{variant.id}/publish", data={
        "revision": variant.revision, "effective_from": ""})
    assert response.status_code == 302
    [published] = versions(variant)
    assert published.effective_from is None and "effective_from" not in published.definition
    assert effective_version("demo_allowance", "130203").id == published.id


def test_the_command_line_refuses_a_variant_before_its_parent_version(ctx, clock):
    load(PROVINCE)
    province = item()
    SaveDraftCommand(province, dict(province.draft, time_limit_days=12,
                                    effective_from="2026-12-05"), province.revision).run()
    PublishItemCommand("demo_allowance", "130000").run()
    with pytest.raises(BeforeParentVersionError) as refused:
        load(CITY)
    assert refused.value.earliest == dt.date(2026, 12, 5) and refused.value.day is None
    assert "2026-12-05" in str(refused.value)
    assert db.session.scalar(select(func.count()).select_from(ItemVersion).where(
        ItemVersion.region_code == "130200")) == 0


def test_a_draft_after_a_scheduled_publish_does_not_carry_the_date(client, ctx, clock):
    load(PROVINCE)
    province = province_schedules(client, "2026-12-01")
    assert "effective_from" not in province.draft
    assert "effective_from" not in province.latest_version.source
    assert "effective_from" not in province.latest_version.definition
    client.get("/lang/zh")
    page = text(client.get(f"/items/{province.id}/publish"))
    assert date_box(page) == "" and "生效日期" not in diff_rows(page)
    SaveDraftCommand(province, dict(province.draft, time_limit_days=14), province.revision).run()
    page = text(client.get(f"/items/{province.id}/publish"))
    assert "10 → 14" in diff_rows(page) and "生效日期" not in diff_rows(page)
    assert date_box(page) == ""


def api_province_schedules(client) -> dict:
    """Through the API as Admin: the province's v1 at once, v2 (12 days) from 2026-12-05;
    return the caller's headers."""
    _admin, headers = caller(client)
    province = PROVINCE.read_text(encoding="utf-8")
    assert send(client, headers, province).status_code == 201
    assert publish(client, headers).status_code == 200
    later = province.replace("time_limit_days: 10\n", "time_limit_days: 12\n")
    assert send(client, headers, later + "effective_from: 2026-12-05\n").status_code == 201
    assert publish(client, headers).get_json()["effective_from"] == "2026-12-05"
    return headers


def test_the_api_refuses_a_variant_before_its_parent_version_naming_the_day(client, ctx, clock):
    headers = api_province_schedules(client)
    city = CITY.read_text(encoding="utf-8")
    assert send(client, headers, city).status_code == 201
    refused = publish(client, headers, region="130200", query="_l_=en")
    assert refused.status_code == 422
    hebei = db.session.get(Region, "130000").name_for("en")
    assert refused.get_json()["errors"] == {"effective_from": [
        f"In effect from: this variant is built on version 2 of the item of {hebei}, which "
        "takes effect on 2026-12-05, so it cannot take effect at once. Give 2026-12-05 or a "
        "later date."]}
    assert send(client, headers, city + "effective_from: 2026-12-05\n").status_code == 201
    published = publish(client, headers, region="130200")
    assert published.status_code == 200 and published.get_json()["effective_from"] == (
        "2026-12-05")
