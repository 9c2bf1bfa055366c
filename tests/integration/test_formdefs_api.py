"""POST /api/v1/formdefs/: a definition (YAML or JSON) imported as a draft as `formdefs load`
imports a file — the same lint by line, created / updated / unchanged, audited, never published."""
import json

from tests.integration.formdefs_api_support import (URL, as_json, audit, caller, item, line_of,
                                                    province_text, send, versions)


def test_yaml_body_is_imported_as_a_draft_and_audited(client, ctx):
    admin, headers = caller(client)
    response = send(client, headers, province_text())
    assert response.status_code == 201, response.get_json()
    assert response.get_json() == {
        "code": "demo_allowance", "region": "130000", "status": "draft", "result": "created",
        "revision": 1, "item_status": "draft", "published_version": None, "warnings": []}
    it = item()
    assert it.draft["name"] == {"zh": "示例津贴申报", "en": "Demo allowance claim"}
    assert it.draft_text == province_text() and it.created_by_id == admin.id
    assert versions() == 0  # an import never publishes
    [event] = audit("definition.create")
    assert (event.actor_id, event.object_id, event.region_code) == (admin.id, str(it.id),
                                                                   "130000")


def test_the_same_body_again_is_unchanged_and_a_change_is_a_new_revision(client, ctx):
    _admin, headers = caller(client)
    assert send(client, headers, province_text()).status_code == 201
    again = send(client, headers, province_text())
    assert again.status_code == 200
    assert (again.get_json()["result"], again.get_json()["revision"]) == ("unchanged", 1)
    assert audit("definition.save") == []  # nothing changed, nothing recorded
    changed = send(client, headers, province_text().replace("time_limit_days: 10",
                                                            "time_limit_days: 12"))
    assert changed.status_code == 201
    assert (changed.get_json()["result"], changed.get_json()["revision"]) == ("updated", 2)
    assert item().draft["time_limit_days"] == 12
    assert [e.detail["revision"] for e in audit("definition.save")] == [2]


def test_json_body_gives_the_same_draft_as_yaml(client, ctx):
    _admin, headers = caller(client, "RegionAdmin", "130000")
    response = send(client, headers, as_json(province_text()), "application/json")
    assert response.status_code == 201, response.get_json()
    from_json = item().draft
    # The same definition in YAML changes the draft's text only; tab-indented JSON reads too.
    assert send(client, headers, province_text()).get_json()["result"] == "updated"
    assert item().draft == from_json
    tabs = send(client, headers, as_json(province_text(), indent="\t"), "application/json")
    assert tabs.status_code == 201 and item().draft == from_json


def test_lint_problems_answer_422_by_line_of_the_body_in_the_request_language(client, ctx):
    _admin, headers = caller(client)
    text = province_text().replace("type: money", "type: moneyy")
    line = line_of(text, "type: moneyy")
    response = send(client, headers, text)
    assert response.status_code == 422
    body = response.get_json()
    assert body["message"] == "定义有误，未作任何更改。"
    [problem] = body["errors"]["definition"]
    assert problem.startswith(f"<body>:{line}: 未知字段类型“moneyy”")
    assert body["problems"][0]["line"] == line
    english = send(client, headers, text, query="?_l_=en").get_json()
    assert english["errors"]["definition"][0].startswith(
        f'<body>:{line}: unknown field type "moneyy"')
    assert item() is None and audit("definition.create") == []


def test_json_problems_are_at_the_lines_of_the_json_sent(client, ctx):
    _admin, headers = caller(client)
    text = as_json(province_text().replace("type: money", "type: moneyy"))
    response = send(client, headers, text, "application/json", "?_l_=en")
    assert response.status_code == 422
    [problem] = response.get_json()["errors"]["definition"]
    assert problem.startswith(f'<body>:{line_of(text, "moneyy")}: unknown field type')


def test_bad_yaml_is_named_at_its_line(client, ctx):
    _admin, headers = caller(client)
    alias = province_text().replace("category: 待遇申报", "category: &c 待遇申报\naudience: *c")
    response = send(client, headers, alias, query="?_l_=en")
    assert response.status_code == 422
    assert response.get_json()["errors"]["definition"] == [
        f"<body>:{line_of(alias, '*c')}: not valid YAML: aliases (*name) are not allowed: "
        "write the value out"]
    broken = province_text().replace("time_limit_days: 10", "time_limit_days: [10")
    response = send(client, headers, broken)
    assert response.status_code == 422
    [problem] = response.get_json()["errors"]["definition"]
    assert problem.startswith("<body>:") and "不是有效的 YAML" in problem
    assert int(problem.split(":")[1]) > line_of(broken, "[10")  # where the parser gave up
    deep = send(client, headers, "a: " + "[" * 5000, query="?_l_=en")
    assert deep.status_code == 422
    assert deep.get_json()["errors"]["definition"] == [
        "<body>:1: not valid YAML: nested more than 50 levels deep"]
    assert item() is None


def test_bad_json_and_bad_text_are_named_at_their_line(client, ctx):
    _admin, headers = caller(client)
    text = as_json(province_text())
    broken = text.replace('"category": "待遇申报",', '"category": "待遇申报"')
    response = send(client, headers, broken, "application/json", "?_l_=en")
    assert response.status_code == 422
    [problem] = response.get_json()["errors"]["definition"]
    assert problem.startswith(f"<body>:{line_of(broken, '待遇申报') + 1}: not valid JSON: ")
    deep = send(client, headers, "[" * 100000, "application/json", "?_l_=en")
    assert deep.status_code == 422
    assert deep.get_json()["errors"]["definition"] == [
        "<body>:1: nested more than 50 levels deep"]
    latin = "code: x\nname: caf\xe9\n".encode("latin-1")
    response = send(client, headers, latin)
    assert response.status_code == 422
    assert response.get_json()["errors"]["definition"] == ["<body>:2: 请求正文必须是 UTF-8 文本。"]
    assert send(client, headers, "[1, 2]").get_json()["errors"]["definition"][0].startswith(
        "<body>:1: ")
    assert item() is None


def test_the_body_is_yaml_or_json_of_at_most_2_mb(client, ctx):
    _admin, headers = caller(client)
    large = province_text() + "#" * (2 * 1024 * 1024)
    response = send(client, headers, large)
    assert response.status_code == 413
    assert response.get_json()["message"] == "定义文件大于 2 MB。"
    response = send(client, headers, json.dumps({"code": "x"}), "text/plain")
    assert response.status_code == 415
    assert "application/yaml" in response.get_json()["message"]
    assert item() is None


def test_a_region_admin_imports_only_into_their_subtree(client, ctx):
    _tangshan, headers = caller(client, "RegionAdmin", "130200")
    response = send(client, headers, province_text(), query="?_l_=en")
    assert response.status_code == 403
    body = response.get_json()
    assert "Region 130000 is outside the regions you administer" in body["message"]
    assert body["errors"]["region"] == [body["message"]]
    assert item() is None
    # Checked before lint: the problems of another region's definition are not told.
    broken = province_text().replace("type: money", "type: moneyy")
    assert send(client, headers, broken).status_code == 403
    _hebei, headers = caller(client, "RegionAdmin", "130000")
    assert send(client, headers, province_text()).status_code == 201


def test_citizens_and_reviewers_are_refused_and_anonymous_callers_asked_to_sign_in(client, ctx):
    for role, region in (("Citizen", "130200"), ("Reviewer", "130000")):
        _user, headers = caller(client, role, region)
        refused = send(client, headers, province_text())
        assert refused.status_code == 403, role
        assert refused.get_json() == {"message": "您无权执行此操作。"}
    anonymous = client.post(URL, data=province_text(), content_type="application/yaml")
    assert anonymous.status_code == 401 and anonymous.get_json()["message"].startswith("请先登录")
    assert item() is None


def test_a_text_nested_past_50_levels_is_refused_by_the_designer_import_too(client, ctx):
    from tests.integration.designer_support import staff

    staff(client, "Admin", None)
    response = client.post("/items/import", data={"text": "a: " + "[" * 5000})
    assert response.status_code == 422  # was a 500: the YAML loader recursed too deep
    assert "nested more than 50 levels deep" in response.get_data(as_text=True)


def test_a_control_character_written_as_an_escape_is_refused_at_its_line(client, ctx):
    _admin, headers = caller(client)
    text = province_text().replace("category: 待遇申报", 'category: "待遇\\0申报"')
    response = send(client, headers, text, query="?_l_=en")
    assert response.status_code == 422
    assert response.get_json()["errors"]["definition"] == [
        f'<body>:{line_of(text, "待遇")}: "category" holds a control character (U+0000), '
        "which a definition may not hold: remove it"]
    json_text = as_json(province_text()).replace('"待遇申报"', '"待遇\\u0000申报"')
    response = send(client, headers, json_text, "application/json", "?_l_=en")
    assert response.status_code == 422
    [problem] = response.get_json()["errors"]["definition"]
    assert problem.startswith(f'<body>:{line_of(json_text, "待遇")}: "category" holds a control')
    assert item() is None
