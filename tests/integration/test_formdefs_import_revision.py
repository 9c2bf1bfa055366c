"""E2 for imports: the API's If-Match and `formdefs load --revision` replace only the draft they
name; a draft saved since is refused (409 / exit 1) and kept. Without a revision an import
replaces whatever draft there is."""
from tests.integration.formdefs_api_support import (audit, caller, item, province_text, send)

CHANGED = province_text().replace("time_limit_days: 10", "time_limit_days: 12")
AGAIN = province_text().replace("time_limit_days: 10", "time_limit_days: 15")


def test_if_match_at_the_drafts_revision_replaces_it_and_the_new_one_is_told(client, ctx):
    _admin, headers = caller(client)
    created = send(client, headers, province_text())
    assert (created.status_code, created.get_json()["revision"]) == (201, 1)
    assert created.headers["ETag"] == '"1"'
    updated = send(client, dict(headers, **{"If-Match": "1"}), CHANGED)
    assert (updated.status_code, updated.get_json()["result"]) == (201, "updated")
    assert updated.get_json()["revision"] == 2 and updated.headers["ETag"] == '"2"'
    again = send(client, dict(headers, **{"If-Match": updated.headers["ETag"]}), AGAIN)
    assert again.status_code == 201 and again.get_json()["revision"] == 3
    assert item().draft["time_limit_days"] == 15
    same = send(client, dict(headers, **{"If-Match": "3"}), AGAIN)
    assert same.status_code == 200 and same.get_json()["result"] == "unchanged"
    assert same.headers["ETag"] == '"3"'


def test_a_stale_if_match_is_409_in_the_request_language_and_changes_nothing(client, ctx):
    _admin, headers = caller(client)
    send(client, headers, province_text())
    assert send(client, headers, CHANGED).get_json()["revision"] == 2  # no If-Match: replaced
    stale = dict(headers, **{"If-Match": "1"})
    refused = send(client, stale, AGAIN)
    assert refused.status_code == 409
    assert refused.get_json() == {
        "message": "demo_allowance@130000 的草稿当前修订号为 2，而不是 1：其间已被他人修改。"
                   "请先查看，再重新导入。", "revision": 2}
    english = send(client, stale, AGAIN, query="?_l_=en").get_json()
    assert english["message"].startswith("The draft of demo_allowance@130000 is at revision 2, "
                                         "not 1")
    it = item()
    assert (it.revision, it.draft["time_limit_days"]) == (2, 12)
    assert [e.detail["revision"] for e in audit("definition.save")] == [2]


def test_if_match_for_an_item_with_no_draft_is_409_and_creates_nothing(client, ctx):
    _admin, headers = caller(client)
    refused = send(client, dict(headers, **{"If-Match": '"1"'}), province_text(), query="?_l_=en")
    assert refused.status_code == 409
    assert refused.get_json()["revision"] is None
    assert refused.get_json()["message"].startswith("demo_allowance@130000 has no draft yet")
    assert item() is None and audit("definition.create") == []


def test_an_if_match_that_is_no_revision_is_400(client, ctx):
    _admin, headers = caller(client)
    for value in ("abc", 'W/"1"', "*", "", "1234567890", "١"):
        response = send(client, dict(headers, **{"If-Match": value}), province_text(),
                        query="?_l_=en")
        assert response.status_code == 400, value
        assert response.get_json() == {"message": "If-Match gives the revision of the draft the "
                                                  "definition replaces, as a whole number "
                                                  "(If-Match: 3)."}, value
    assert item() is None


def test_cli_load_with_revision_replaces_only_that_draft(runner, ctx, tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(province_text(), encoding="utf-8")
    created = runner.invoke(args=["formdefs", "load", str(path)])
    assert created.exit_code == 0 and "demo_allowance@130000: draft revision 1" in created.output
    path.write_text(CHANGED, encoding="utf-8")
    updated = runner.invoke(args=["formdefs", "load", str(path), "--revision", "1"])
    assert updated.exit_code == 0, updated.output
    assert "demo_allowance@130000: draft revision 2" in updated.output
    path.write_text(AGAIN, encoding="utf-8")
    stale = runner.invoke(args=["formdefs", "load", str(path), "--revision", "1"])
    assert stale.exit_code == 1
    assert ("The draft of demo_allowance@130000 is at revision 2, not 1: it was changed in the "
            "meantime.") in stale.output
    assert (item().revision, item().draft["time_limit_days"]) == (2, 12)
    replaced = runner.invoke(args=["formdefs", "load", str(path)])  # no revision: replaces
    assert replaced.exit_code == 0 and "draft revision 3" in replaced.output


def test_cli_revision_needs_one_file_and_an_existing_draft(runner, ctx, tmp_path):
    (tmp_path / "a.yaml").write_text(province_text(), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(province_text().replace("demo_allowance", "demo_other"),
                                     encoding="utf-8")
    two = runner.invoke(args=["formdefs", "load", str(tmp_path), "--revision", "1"])
    assert two.exit_code == 1
    assert "give exactly one definition file with it (2 given)" in two.output
    new = runner.invoke(args=["formdefs", "load", str(tmp_path / "a.yaml"), "--revision", "1"])
    assert new.exit_code == 1 and "has no draft yet" in new.output
    assert item() is None
