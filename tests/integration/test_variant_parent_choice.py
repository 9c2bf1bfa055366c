"""A variant built on the parent version in effect today (app.commands.parent_pin): while the
province's newest version is scheduled, a city may build on the one in effect now and start at
once — on the publish page, through the API and on the command line. The newer parent version
then reaches the city only when the variant is published again on it, and the variant's page
lists what it changed. No other parent version can be chosen."""
import datetime as dt

import pytest

from app.commands.parent_pin import ParentVersionError
from app.commands.publish import PublishItemCommand
from app.engine.variants import effective_version, upstream_changes
from app.extensions import db
from app.models.region import Region
from tests.integration.designer_support import CITY, PROVINCE, item, load, staff, text
from tests.integration.formdefs_api_support import publish, send
from tests.integration.test_variant_publish_dates import (  # noqa: F401
    adapt_in_tangshan, api_province_schedules, clock, date_box, province_schedules, versions,
    words)

TANGSHAN_DISTRICT = "130203"


def test_the_publish_page_builds_a_variant_on_the_version_in_effect_today(client, ctx, clock):
    load(PROVINCE)
    province_schedules(client, "2026-12-05", days=12)  # v1 in effect (10 days), v2 from 12-05
    variant = adapt_in_tangshan(client)
    hebei = db.session.get(Region, "130000").name
    page = words(text(client.get(f"/items/{variant.id}/publish")))
    assert f"本地版本基于{hebei}事项的哪一版制作？" in page
    assert "✓ 第2版，2026-12-05 起施行：本地版本最早于当天生效" in page
    assert "第1版，今天施行：本地版本可以立即生效" in page
    html = text(client.get(f"/items/{variant.id}/publish?parent_version=1"))
    page = words(html)
    assert date_box(html) == "" and 'name="parent_version" value="1"' in html
    assert "✓ 第1版，今天施行：本地版本可以立即生效" in page
    assert f"本地版本基于{hebei}事项的第1版。" in page
    assert (f"{hebei}事项自 2026-12-05 起施行第2版。在您基于第2版重新发布本地版本之前，本辖区"
            "仍按基于第1版的本地版本办理") in page
    response = client.post(f"/items/{variant.id}/publish", data={
        "revision": item("demo_allowance", "130200").revision, "effective_from": "",
        "parent_version": "1"})
    assert response.status_code == 302
    [published] = versions(variant)
    assert published.derives_version.number == 1 and published.effective_from is None
    assert effective_version("demo_allowance", TANGSHAN_DISTRICT).id == published.id
    assert published.definition["time_limit_days"] == 10  # the province's rule of today
    later = effective_version("demo_allowance", TANGSHAN_DISTRICT, on=dt.date(2026, 12, 5))
    assert later.id == published.id  # kept until published again on v2
    assert [c.key for c in upstream_changes(item("demo_allowance", "130200"))] == [
        "time_limit_days"]
    overview = text(client.get(f"/items/{variant.id}/"))
    upstream = words(overview[overview.index('class="panel-body upstream-changes"'):])
    assert "办理时限" in upstream[:upstream.index("</ul>") if "</ul>" in upstream else 400]

    response = client.post(f"/items/{variant.id}/publish", data={
        "revision": item("demo_allowance", "130200").revision, "effective_from": "2026-12-05"})
    assert response.status_code == 302  # again on the newest, from its day
    newest = versions(variant)[-1]
    assert newest.derives_version.number == 2 and newest.definition["time_limit_days"] == 12
    assert effective_version("demo_allowance", TANGSHAN_DISTRICT).id == published.id
    assert effective_version("demo_allowance", TANGSHAN_DISTRICT,
                             on=dt.date(2026, 12, 5)).id == newest.id


def test_a_version_other_than_the_newest_or_todays_is_refused_naming_both(client, ctx, clock):
    load(PROVINCE)
    province_schedules(client, "2026-12-01", days=12)
    clock.day(2026, 12, 2)  # v2 in effect; v3 scheduled
    client.post("/logout/")
    province_schedules(client, "2026-12-20", days=14)
    variant = adapt_in_tangshan(client)
    response = client.post(f"/items/{variant.id}/publish", data={
        "revision": item("demo_allowance", "130200").revision, "effective_from": "",
        "parent_version": "1"})
    assert response.status_code == 422
    hebei = db.session.get(Region, "130000").name
    assert (f"上级版本：第1版不是{hebei}事项可供本地版本依据的版本。请填写 3 / 2：其最新版本，或今天"
            "施行的版本。") in words(text(response))
    assert versions(variant) == []
    with pytest.raises(ParentVersionError):
        PublishItemCommand("demo_allowance", "130000", parent_version=2).run()


def test_the_command_line_and_the_api_choose_the_parent_version(client, ctx, clock, runner):
    headers = api_province_schedules(client)
    assert send(client, headers, CITY.read_text(encoding="utf-8")).status_code == 201
    refused = publish(client, headers, region="130200", query="parent_version=5&_l_=en")
    assert refused.status_code == 422
    hebei = db.session.get(Region, "130000").name_for("en")
    assert refused.get_json()["errors"] == {"parent_version": [
        f"Parent version: 5 is not a version of the item of {hebei} this variant can be built "
        "on. Give 2 / 1: its newest version, or the one in effect today."]}
    published = publish(client, headers, region="130200", query="parent_version=1")
    assert published.status_code == 200, published.get_json()
    assert published.get_json()["effective_from"] is None
    [variant] = versions(item("demo_allowance", "130200"))
    assert variant.derives_version.number == 1
    result = runner.invoke(args=["formdefs", "publish", "demo_allowance", "--region", "130200",
                                 "--parent-version", "7"])
    assert result.exit_code == 1 and "Parent version: 7 is not a version" in result.output
