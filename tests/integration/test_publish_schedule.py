"""Effective dates on publish (app.commands.schedule): a date before today (the app's clock,
China time) is refused on the designer's page, the API and the CLI; today takes effect at once;
a publish that would make a scheduled version never take effect needs that version confirmed,
which is then shown superseded in the designer and the API."""
import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from app.commands.drafts import SaveDraftCommand
from app.engine.variants import effective_version, version_in_effect
from app.extensions import db
from app.models.item import ItemVersion
from tests.integration.designer_support import PROVINCE, item, load, staff, text
from tests.integration.formdefs_api_support import caller, province_text, publish, send
from tests.support import frozen_clock

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def clock(app):
    with frozen_clock(app, NOW) as frozen:
        yield frozen


def versions() -> int:
    return db.session.scalar(select(func.count()).select_from(ItemVersion))


def changed(it, days=11):
    """Change the draft (a new time limit) so that publishing makes a new version."""
    SaveDraftCommand(it, dict(it.draft, time_limit_days=days), it.revision).run()
    return item()


def post(client, it, day, *supersede):
    return client.post(f"/items/{it.id}/publish", data={
        "revision": it.revision, "effective_from": day, "supersede": list(supersede)})


def states(html: str) -> dict:
    """Return {version number: state text} from the item page's version list."""
    table = html[html.index('id="item-versions"'):]
    return {int(n): s for n, s in re.findall(
        r'<tr id="version-(\d+)".*?class="label [^"]*version-state[^"]*">(.*?)</span>', table,
        re.S)}


def test_the_page_refuses_a_date_before_today_naming_the_field_and_today_is_at_once(
        client, ctx, clock):
    load(PROVINCE)
    staff(client)
    it = changed(item())
    revision = it.revision
    response = post(client, it, "2026-11-23")
    assert response.status_code == 422
    assert ("In effect from: 2026-11-23 is before today (2026-11-24). Give today (the version "
            "takes effect at once) or a later date.") in text(response)
    it = item()
    assert versions() == 1 and it.revision == revision and "effective_from" not in it.draft
    client.get("/lang/zh")
    assert "生效日期：2026-11-23 早于今天（2026-11-24）" in text(post(client, it, "2026-11-23"))
    response = post(client, item(), "2026-11-24")
    assert response.status_code == 302
    it = item()
    assert [(v.number, v.effective_from) for v in it.versions] == [
        (1, None), (2, dt.date(2026, 11, 24))]
    assert version_in_effect(it).number == 2  # today: at once
    assert effective_version("demo_allowance", "130203").number == 2
    client.get("/lang/en")
    assert states(text(client.get(f"/items/{it.id}/"))) == {2: "In effect", 1: "Replaced by v2"}
    assert "effective_from" not in it.draft  # the date is the version's, not the next draft's
    SaveDraftCommand(it, dict(it.draft, effective_from="2026-11-25"), it.revision).run()
    clock.day(2026, 11, 26)  # a draft whose date has passed (a file's) is told so
    assert "In effect from: 2026-11-25 is before today (2026-11-26)." in text(
        client.get(f"/items/{it.id}/publish"))


def test_a_scheduled_version_is_superseded_only_when_confirmed(client, ctx, clock):
    load(PROVINCE)
    staff(client)
    assert post(client, changed(item()), "2026-12-01").status_code == 302  # v2, scheduled
    it = item()
    assert version_in_effect(it).number == 1
    listed = text(client.get("/items/"))
    assert re.search(r"<td>v2 <span[^>]*>Scheduled: in effect from 2026-12-01</span></td>\s*"
                     r"<td>v1</td>", listed)
    page = text(client.get(f"/items/{it.id}/publish"))
    assert "Version 2 is scheduled to take effect on 2026-12-01." in page
    for day in ("2026-12-01", "", "2026-11-24"):  # on or before its day: it would never start
        response = post(client, changed(item(), 12), day)
        assert response.status_code == 422, day
        html = text(response)
        assert ('<input type="checkbox" name="supersede" value="2">' in html
                and "Replace version 2, scheduled from 2026-12-01: it will never take effect "
                    "and is marked superseded." in html)
        assert "This version would replace a scheduled version before it takes effect:" in html
        assert versions() == 2
    response = post(client, item(), "2026-12-01", "2")
    assert response.status_code == 302
    flashed = text(client.get(f"/items/{it.id}/"))
    assert "Version 2, scheduled from 2026-12-01, is superseded: it will never take effect." in (
        flashed)
    assert states(flashed) == {3: "Scheduled: in effect from 2026-12-01",
                               2: "Superseded by v3: never takes effect", 1: "In effect"}
    it = item()
    assert version_in_effect(it, dt.date(2026, 12, 1)).number == 3
    assert [v.number for v in it.versions] == [1, 2, 3]  # kept: published versions are records
    clock.day(2026, 12, 2)
    assert states(text(client.get(f"/items/{it.id}/"))) == {
        3: "In effect", 2: "Superseded by v3: never takes effect", 1: "Replaced by v3"}


def test_a_later_date_lets_the_scheduled_version_take_effect_first(client, ctx, clock):
    load(PROVINCE)
    staff(client)
    assert post(client, changed(item()), "2026-12-01").status_code == 302
    assert post(client, changed(item(), 12), "2026-12-05").status_code == 302  # no question
    it = item()
    assert [version_in_effect(it, dt.date(2026, 12, d)).number for d in (1, 4, 5)] == [2, 2, 3]
    assert states(text(client.get(f"/items/{it.id}/"))) == {
        3: "Scheduled: in effect from 2026-12-05", 2: "Scheduled: in effect from 2026-12-01",
        1: "In effect"}


def dated(day=None, days=10) -> str:
    source = province_text().replace("time_limit_days: 10\n", f"time_limit_days: {days}\n")
    return source + (f"effective_from: {day}\n" if day else "")


def test_the_api_refuses_a_past_date_and_asks_to_confirm_a_supersede(client, ctx, clock):
    _admin, headers = caller(client)
    assert send(client, headers, dated("2026-11-23")).status_code == 201
    refused = publish(client, headers, query="_l_=en")
    assert refused.status_code == 422
    message = ("In effect from: 2026-11-23 is before today (2026-11-24). Give today (the "
               "version takes effect at once) or a later date.")
    assert refused.get_json()["errors"] == {"effective_from": [message]} and versions() == 0
    assert "生效日期" in publish(client, headers).get_json()["errors"]["effective_from"][0]
    send(client, headers, dated())
    assert publish(client, headers).status_code == 200  # v1
    send(client, headers, dated("2026-12-01", 11))
    assert publish(client, headers).get_json()["effective_from"] == "2026-12-01"  # v2
    send(client, headers, dated(None, 12))
    refused = publish(client, headers, query="_l_=en")
    assert refused.status_code == 422 and versions() == 2
    body = refused.get_json()
    assert body["scheduled"] == [{"version": 2, "effective_from": "2026-12-01"}]
    assert "supersede: 2" in body["errors"]["supersede"][0]
    assert publish(client, headers, query="supersede=two").status_code == 422
    assert publish(client, headers, query="supersede=1").status_code == 422  # not that one
    done = publish(client, headers, query="supersede=2")
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["supersedes"] == [{"version": 2, "effective_from": "2026-12-01"}]
    listed = client.get("/api/v1/formdefs/demo_allowance/versions?region=130000&_l_=en",
                        headers=headers)
    assert listed.status_code == 200
    assert [(v["version"], v["state"], v["by"], v["state_name"])
            for v in listed.get_json()["versions"]] == [
        (3, "in_effect", None, "In effect"),
        (2, "superseded", 3, "Superseded by v3: never takes effect"),
        (1, "replaced", 3, "Replaced by v3")]
    _other, theirs = caller(client, "RegionAdmin", "110000")
    assert client.get("/api/v1/formdefs/demo_allowance/versions?region=130000",
                      headers=theirs).status_code == 404


def test_the_cli_refuses_a_past_date_and_supersedes_only_when_told(runner, ctx, clock, tmp_path):
    path = tmp_path / "demo_allowance.yaml"
    path.write_text(dated("2026-11-23"), encoding="utf-8")
    loaded = runner.invoke(args=["formdefs", "load", str(path), "--publish"])
    assert loaded.exit_code == 1 and "In effect from: 2026-11-23 is before today" in loaded.output
    assert item() is None  # all or nothing
    assert runner.invoke(args=["formdefs", "load", str(path)]).exit_code == 0  # a draft may
    refused = runner.invoke(args=["formdefs", "publish", "demo_allowance", "--region", "130000"])
    assert refused.exit_code == 1 and "In effect from: 2026-11-23" in refused.output
    assert versions() == 0
    path.write_text(dated("2026-11-24"), encoding="utf-8")  # today
    assert runner.invoke(args=["formdefs", "load", str(path), "--publish"]).exit_code == 0
    path.write_text(dated("2026-12-01", 11), encoding="utf-8")
    assert runner.invoke(args=["formdefs", "load", str(path), "--publish"]).exit_code == 0
    path.write_text(dated("2026-11-30", 12), encoding="utf-8")
    loaded = runner.invoke(args=["formdefs", "load", str(path), "--publish"])
    assert loaded.exit_code == 1 and versions() == 2
    assert "--supersede 2" in loaded.output
    assert runner.invoke(args=["formdefs", "load", str(path)]).exit_code == 0
    args = ["formdefs", "publish", "demo_allowance", "--region", "130000"]
    refused = runner.invoke(args=args)
    assert refused.exit_code == 1 and "v2 (2026-12-01)" in refused.output and versions() == 2
    done = runner.invoke(args=args + ["--supersede", "2"])
    assert done.exit_code == 0, done.output
    assert "version 2, scheduled from 2026-12-01, superseded" in done.output and versions() == 3
    assert version_in_effect(item(), dt.date(2026, 12, 1)).number == 3
