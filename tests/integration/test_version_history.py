"""An item's version history: who published each version (the version's record, else the
audit event), each version read-only and as YAML, two versions compared with the publish
page's diff; region-scoped like the item; the API's version list names the publisher too."""
import re

import yaml

from app.commands.drafts import SaveDraftCommand
from app.extensions import db
from tests.integration.designer_support import PROVINCE, item, load, staff, text
from tests.integration.formdefs_api_support import caller


def two_versions(client):
    """v1 from the command line, v2 published on the designer's page by a region admin."""
    load(PROVINCE)
    user = staff(client)
    it = item()
    SaveDraftCommand(it, dict(it.draft, time_limit_days=11), it.revision).run()
    it = item()
    published = client.post(f"/items/{it.id}/publish", data={"revision": it.revision,
                                                              "effective_from": ""})
    assert published.status_code == 302
    return item(), user


def publishers_shown(html: str) -> dict:
    table = html[html.index('id="item-versions"'):]
    return {int(n): who.strip() for n, who in re.findall(
        r'<tr id="version-(\d+)".*?class="published-by">(.*?)</td>', table, re.S)}


def test_the_item_page_names_who_published_each_version(client, ctx):
    it, user = two_versions(client)
    page = text(client.get(f"/items/{it.id}/"))
    assert publishers_shown(page) == {2: user.username, 1: "the command line"}
    assert f"/items/{it.id}/versions/1/export.yaml" in page
    assert f"/items/{it.id}/versions/compare?new=2" in page
    it.versions[1].published_by_id = None  # recorded before accounts were: the audit event
    db.session.commit()
    assert publishers_shown(text(client.get(f"/items/{it.id}/"))) == {
        2: user.username, 1: "the command line"}
    client.get("/lang/zh")
    assert "发布人" in text(client.get(f"/items/{it.id}/"))


def test_an_old_version_is_shown_and_exported_as_published(client, ctx):
    it, _ = two_versions(client)
    exported = client.get(f"/items/{it.id}/versions/1/export.yaml")
    assert exported.status_code == 200
    assert exported.headers["Content-Disposition"].endswith("demo_allowance%40130000-v1.yaml")
    assert yaml.safe_load(exported.get_data(as_text=True))["time_limit_days"] == 10
    assert yaml.safe_load(client.get(f"/items/{it.id}/versions/2/export.yaml")
                          .get_data(as_text=True))["time_limit_days"] == 11
    shown = client.get(f"/items/{it.id}/versions/1/")
    assert shown.status_code == 200 and "time_limit_days: 10" in text(shown)
    assert client.get(f"/items/{it.id}/versions/3/export.yaml").status_code == 404
    assert client.get(f"/items/{it.id}/versions/3/").status_code == 404


def diff(response) -> str:
    html = text(response)
    start = html.index('<table class="table table-condensed diff">')
    return html[start:html.index("</table>", start)]


def test_two_versions_are_compared_as_the_publish_page_does(client, ctx):
    it, _ = two_versions(client)
    compared = diff(client.get(f"/items/{it.id}/versions/compare?old=1&new=2"))
    [row] = re.findall(r'<tr class="change-changed">.*?</tr>', compared, re.S)
    assert "Time limit (working days)" in row and "<code>10</code>" in row \
        and "<code>11</code>" in row
    assert diff(client.get(f"/items/{it.id}/versions/compare")) == compared  # newest, before
    assert "Nothing changed." in text(client.get(f"/items/{it.id}/versions/compare?old=2&new=2"))
    assert client.get(f"/items/{it.id}/versions/compare?old=7&new=2").status_code == 404


def test_another_regions_versions_are_not_found(app, client, ctx):
    it, _ = two_versions(client)
    other = app.test_client()
    staff(other, region="440000")
    for path in ("versions/1/", "versions/1/export.yaml", "versions/compare?old=1&new=2"):
        assert client.get(f"/items/{it.id}/{path}").status_code == 200
        assert other.get(f"/items/{it.id}/{path}").status_code == 404


def test_the_api_lists_who_published_each_version(client, ctx):
    _, user = two_versions(client)
    _, headers = caller(client)
    listed = client.get("/api/v1/formdefs/demo_allowance/versions?region=130000",
                        headers=headers).get_json()
    assert [(v["version"], v["published_by"]) for v in listed["versions"]] == [
        (2, user.username), (1, None)]
    document = client.get("/api/v1/_openapi").get_json()
    assert "published_by" in document["components"]["schemas"]["VersionState"]["properties"]
