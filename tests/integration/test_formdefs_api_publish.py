"""POST /api/v1/formdefs/<code>/publish?region=R: the designer's publish over HTTP — lint blocks
or warns, a new version the catalogue then offers, audited; only within the caller's subtree."""
from app.commands.drafts import SaveDraftCommand
from tests.integration.formdefs_api_support import (CITY, audit, caller, item, line_of,
                                                    province_text, publish, send, versions)


def imported(client, headers, text=None):
    response = send(client, headers, text or province_text())
    assert response.status_code == 201, response.get_json()


def test_publish_gives_the_version_the_catalogue_then_offers(client, ctx):
    admin, headers = caller(client)
    imported(client, headers)
    assert client.get("/api/v1/catalog/demo_allowance?region=130000").status_code == 404
    response = publish(client, headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body.pop("staffing")  # nobody to decide its steps yet (tests/…/test_staffing_publish)
    assert body == {"code": "demo_allowance", "region": "130000", "version": 1,
                    "effective_from": None, "supersedes": [], "warnings": []}
    catalog = client.get("/api/v1/catalog/demo_allowance?region=130000")
    assert catalog.status_code == 200 and catalog.get_json()["version"]["number"] == 1
    assert item().status == "published" and versions() == 1
    [event] = audit("definition.publish")
    assert (event.actor_id, event.detail["version"]) == (admin.id, 1)
    # An import afterwards is a draft again: the catalogue keeps version 1 until a publish.
    changed = province_text().replace("time_limit_days: 10", "time_limit_days: 12")
    reply = send(client, headers, changed).get_json()
    assert (reply["status"], reply["item_status"], reply["published_version"]) == (
        "draft", "published", 1)
    assert publish(client, headers).get_json()["version"] == 2


def test_nothing_to_publish_is_422_with_the_version_in_effect(client, ctx):
    _admin, headers = caller(client)
    imported(client, headers)
    assert publish(client, headers).status_code == 200
    response = publish(client, headers, query="_l_=en")
    assert response.status_code == 422
    body = response.get_json()
    assert body["version"] == 1 and body["errors"]["draft"] == [
        "Version 1 already publishes this draft: there is nothing to publish."]
    assert versions() == 1 and len(audit("definition.publish")) == 1


def test_lint_blocks_at_the_lines_of_the_draft_and_warnings_come_with_the_version(client, ctx):
    _admin, headers = caller(client)
    imported(client, headers)
    it = item()
    draft = province_text().replace("visible_when: special == \"1\"",
                                    "visible_when: specail == \"1\"")
    SaveDraftCommand(it, draft, it.revision).run()  # the designer saves what lint would refuse
    response = publish(client, headers, query="_l_=en")
    assert response.status_code == 422
    body = response.get_json()
    [problem] = body["errors"]["definition"]
    assert problem.startswith(f"demo_allowance@130000:{line_of(draft, 'specail')}: ")
    assert "specail" in problem and body["problems"][0]["line"] == line_of(draft, "specail")
    assert versions() == 0 and audit("definition.publish") == []
    no_category = province_text().replace("category: 待遇申报\n", "")
    assert send(client, headers, no_category).status_code == 201
    response = publish(client, headers)
    assert response.status_code == 200
    assert response.get_json()["warnings"] == [
        f"demo_allowance@130000:{line_of(no_category, 'name:')}: 未设类别：群众将在“其他”类下找到本事项"]


def test_a_variant_is_published_after_its_parent(client, ctx):
    _hebei, headers = caller(client, "RegionAdmin", "130000")
    imported(client, headers)
    imported(client, headers, CITY.read_text(encoding="utf-8"))
    response = publish(client, headers, region="130200", query="_l_=en")
    assert response.status_code == 422
    assert response.get_json()["errors"]["draft"] == [
        'publish "demo_allowance" of region 130000 first: this item derives from it']
    assert publish(client, headers).status_code == 200
    response = publish(client, headers, region="130200")
    assert response.status_code == 200 and response.get_json()["version"] == 1
    catalog = client.get("/api/v1/catalog/demo_allowance?region=130203").get_json()
    assert catalog["time_limit_days"] == 5  # Tangshan's variant is in effect below it


def test_unknown_item_or_region_is_404_and_a_missing_region_400(client, ctx):
    _admin, headers = caller(client)
    response = publish(client, headers, code="nosuch")
    assert response.status_code == 404
    assert response.get_json()["message"] == "区划130000没有您可修改的事项“nosuch”"
    response = publish(client, headers, region="999999", query="_l_=en")
    assert response.status_code == 404
    assert response.get_json()["message"] == "There is no region with code 999999."
    assert publish(client, headers, region="130000" + "0" * 7).status_code == 404  # not 130000
    response = publish(client, headers, region=None)
    assert response.status_code == 400 and response.get_json()["message"] == "请指定地区：?region=代码。"


def test_a_missing_or_unknown_region_is_named_in_errors_as_the_catalogue_does(client, ctx):
    """Publish and the versions list refuse ?region= with errors.region, as GET /catalog/ and
    the 403 of a region outside the caller's do (their replies had a message alone)."""
    _admin, headers = caller(client)
    imported(client, headers)
    missing, unknown = "请指定地区：?region=代码。", "There is no region with code 999999."
    catalog = client.get("/api/v1/catalog/").get_json()
    assert catalog == {"message": missing, "errors": {"region": [missing]}}
    versions_of = "/api/v1/formdefs/demo_allowance/versions"
    for response, status, message in (
            (publish(client, headers, region=None), 400, missing),
            (client.get(versions_of, headers=headers), 400, missing),
            (publish(client, headers, region="999999", query="_l_=en"), 404, unknown),
            (client.get(f"{versions_of}?region=999999&_l_=en", headers=headers), 404, unknown)):
        assert response.status_code == status
        assert response.get_json() == {"message": message, "errors": {"region": [message]}}
    assert versions() == 0  # nothing published on the way


def test_a_region_admin_publishes_only_in_their_subtree(client, ctx):
    _hebei, hebei = caller(client, "RegionAdmin", "130000")
    imported(client, hebei)
    _tangshan, tangshan = caller(client, "RegionAdmin", "130200")
    response = publish(client, tangshan)
    assert response.status_code == 403
    assert response.get_json()["errors"]["region"] == [
        "区划130000不在您管辖的范围内，不能修改其事项。"]
    assert publish(client, tangshan, code="nosuch").status_code == 403  # existence not told
    assert versions() == 0
    assert publish(client, hebei).status_code == 200


def test_citizens_and_reviewers_are_refused_and_anonymous_callers_asked_to_sign_in(client, ctx):
    _admin, headers = caller(client)
    imported(client, headers)
    for role, region in (("Citizen", "130000"), ("Reviewer", "130000")):
        _user, other = caller(client, role, region)
        assert publish(client, other).status_code == 403, role
    assert client.post("/api/v1/formdefs/demo_allowance/publish?region=130000"
                       ).status_code == 401
    assert versions() == 0
