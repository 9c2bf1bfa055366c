"""Hardening found by probing the running app: a Content-Security-Policy on every answer, JSON
bodies nested past the parser's depth (SECURITY_TESTS.md C-section: malformed input is a 400,
never a 500)."""
import re

import pytest
import sqlalchemy as sa

from tests.applications_support import api_create, clock, gd8, token  # noqa: F401
from tests.security_support import user_client

NESTED = b"[" * 100_000


def policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.partition(" ")[2] for part in header.split("; ")}


def test_pages_and_api_carry_a_content_security_policy(app, client):
    for response in (client.get("/"), client.get("/login/"), client.get("/api/v1/catalog/")):
        rules = policy(response)
        assert rules["default-src"] == "'self'"
        assert "'unsafe-inline'" not in rules["script-src"]
        assert rules["frame-ancestors"] == "'none'"
        assert rules["form-action"] == "'self'"


def test_fab_inline_scripts_carry_the_nonce_of_the_response(app):
    _, _, client = user_client(app, "Admin")
    response = client.get("/users/list/")
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", policy(response)["script-src"]).group(1)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.get_data(as_text=True))
    assert inline, "FAB's list page has inline scripts"
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline)
    assert nonce not in policy(client.get("/users/list/"))["script-src"]  # new per response


def test_deeply_nested_json_is_a_bad_request(app, client):
    response = client.post("/api/v1/security/login", data=NESTED,
                           content_type="application/json")
    assert response.status_code == 400


def test_deeply_nested_answers_are_a_bad_request(gd8, client):
    headers = token(client, gd8.username)
    pk = api_create(client, headers).get_json()["id"]
    response = client.put(f"/api/v1/applications/{pk}/answers", data=NESTED,
                          headers={**headers, "Content-Type": "application/json"})
    assert response.status_code in (400, 422), response.status_code
    assert response.is_json


# ---- definitions cannot make the server work without bound -------------------------------

def test_yaml_aliases_are_refused_with_their_line(app):
    from app.engine.lint import check_text

    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
        for i in range(6))
    with app.test_request_context("/", headers={"Accept-Language": "zh"}):
        problems = check_text(bomb, "bomb.yaml").problems
    assert [(p.path, p.line) for p in problems] == [("bomb.yaml", 2)]
    assert "别名" in problems[0].message


def test_an_anchor_without_alias_still_loads():
    from app.yamlio import load_with_lines

    assert load_with_lines("a: &first [1, 2]\nb: 3\n") == {"a": [1, 2], "b": 3}


@pytest.mark.parametrize("source, depth", [
    ("amount > 1", 0), ("xs.all(x, x > 0)", 1), ("rows.all(r, r.kids.exists(k, k.age < 16))", 2),
    ('xs.exists(x, x == ".all(")', 1), ("xs.map(x, x).filter(y, y > 0)", 1),
    ("[1].all(a, [1].all(b, [1].all(c, true)))", 3)])
def test_macro_depth(source, depth):
    from app.engine.cel_macros import macro_depth

    assert macro_depth(source) == depth


def test_expressions_nesting_list_checks_deeper_than_two_do_not_compile(app):
    from app.engine.cel import ExpressionError, compile_expression

    deep = "[0,1,2,3,4,5,6,7,8,9].all(a, " * 3 + "true" + ")" * 3
    with pytest.raises(ExpressionError) as refused:
        compile_expression(deep)
    with app.test_request_context("/", headers={"Accept-Language": "zh"}):
        assert "嵌套" in str(refused.value)
    assert compile_expression("[0, 1].all(a, [0, 1].all(b, a + b >= 0))").evaluate() is True


# ---- answers far past their limits are refused, not stored -------------------------------

def test_an_answer_far_past_its_limit_is_not_stored(gd8, client):
    headers = token(client, gd8.username)
    pk = api_create(client, headers).get_json()["id"]
    response = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                          json={"answers": {"employer_name": "某" * 3_000}})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert "employer_name" in body["errors"]
    shown = client.get(f"/api/v1/applications/{pk}", headers=headers).get_json()
    assert "employer_name" not in shown["answers"]
    spaced = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                        json={"answers": {"employer_name": "  某某  公司  "}})
    assert spaced.status_code == 200  # a little past the form is kept, checked at submit
    assert client.get(f"/api/v1/applications/{pk}", headers=headers).get_json()[
        "answers"]["employer_name"] == "  某某  公司  "


def test_an_answers_body_over_two_megabytes_is_refused_unread(gd8, client):
    headers = token(client, gd8.username)
    pk = api_create(client, headers).get_json()["id"]
    response = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                          json={"answers": {"employer_name": "x" * (2 * 1024 * 1024)}})
    assert response.status_code == 413


# ---- a draft is the citizen's until it is submitted --------------------------------------

def test_staff_do_not_see_a_citizens_draft_nor_its_files(gd8, client):
    from sqlalchemy import select

    from app.extensions import db
    from app.models.application import Attachment
    from tests.applications_support import REGION, api_fill
    from tests.support import make_user

    headers = token(client, gd8.username)
    pk = api_create(client, headers).get_json()["id"]
    api_fill(client, headers, pk)
    file_id = db.session.scalar(select(Attachment.id).where(Attachment.application_id == pk))
    staff = token(client, make_user("Reviewer", REGION).username)
    listed = client.get("/api/v1/applications/", query_string={"status": "draft"}, headers=staff)
    assert listed.status_code == 200 and pk not in [a["id"] for a in listed.get_json()["result"]]
    assert client.get(f"/api/v1/applications/{pk}", headers=staff).status_code == 404
    assert client.get(f"/api/v1/applications/{pk}/files/{file_id}",
                      headers=staff).status_code == 404
    submitted = client.post(f"/api/v1/applications/{pk}/submit",
                            headers={**headers, "Idempotency-Key": "draft-scope"})
    assert submitted.status_code == 200, submitted.get_json()
    assert client.get(f"/api/v1/applications/{pk}", headers=staff).status_code == 200
    assert client.get(f"/api/v1/applications/{pk}/files/{file_id}",
                      headers=staff).status_code == 200


# ---- numbers typed into free text are masked however they are grouped (F1) ----------------

@pytest.mark.parametrize("typed, shown", [
    ("电话13800138000。", "电话138****8000。"),
    ("电话138-0013-8000", "电话138****8000"),
    ("电话 138 0013 8000 找王", "电话 138****8000 找王"),
    ("身份证110105-19491231-002X", "身份证1101**********002X"),
    ("1101 0519 4912 3100 2X", "1101**********002X"),
    ("１３８００１３８０００", "138****8000"),
    ("卡号6217 0000 0000 0000 000", "卡号***************0000"),
    ("2026-11-24 10:00 共1 000 000元，座机0311-12345678", None),
])
def test_free_text_numbers_are_masked_however_grouped(typed, shown):
    from app.commands.notifications import redact

    assert redact(typed) == (typed if shown is None else shown)


# ---- uploads at once cannot pass a material's file count (SQLite too) ----------------------

def test_concurrent_uploads_never_exceed_max_files(app, gd8, client):
    import threading

    from sqlalchemy import func, select

    from app.commands.applications.materials import AttachMaterialCommand
    from app.extensions import db
    from app.models.application import Application, Attachment
    from app.models.user import BanshiUser
    from tests.applications_support import file_storage, png_bytes

    headers = token(client, gd8.username)
    pk = api_create(client, headers).get_json()["id"]
    outcomes, barrier = [], threading.Barrier(6)

    def upload(n):
        with app.app_context():
            application = db.session.get(Application, pk)
            user = db.session.get(BanshiUser, gd8.id)
            barrier.wait()
            try:
                AttachMaterialCommand(application, "discharge_record",
                                      file_storage(png_bytes((n * 40, 0, 0))), user=user).run()
                outcomes.append("stored")
            except Exception as error:  # refused (the count) or locked out (SQLite's writer)
                outcomes.append(type(error).__name__)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = db.session.scalar(select(func.count()).select_from(Attachment).where(
        Attachment.application_id == pk, Attachment.material_key == "discharge_record"))
    assert outcomes.count("stored") == stored <= 4, outcomes
    assert stored >= 1 and "ApplicationInvalidError" in outcomes


# ---- a region's administrator cannot take over accounts it does not manage ----------------

def _role_id(app, name):
    with app.app_context():
        return app.appbuilder.sm.find_role(name).id


def test_region_admin_cannot_edit_a_citizen_or_a_peer_administrator(app):
    from app.extensions import db
    from app.models.user import BanshiUser
    from tests.support import make_user

    with app.app_context():
        targets = {"citizen": make_user("Citizen", "130203", mobile="13911110001").id,
                   "peer": make_user("RegionAdmin", "130200", mobile="13911110002").id}
        below = make_user("Reviewer", "130203").id
    _, _, client = user_client(app, "RegionAdmin", "130200")
    for key, pk in targets.items():
        role = "Reviewer" if key == "citizen" else "RegionAdmin"
        response = client.post(f"/users/edit/{pk}", data={
            "first_name": "x", "region": "130203", "mobile": "13922223333", "active": "y",
            "roles": [str(_role_id(app, role))]})
        assert response.status_code in (200, 302), key
        with app.app_context():
            account = db.session.get(BanshiUser, pk)
            assert account.mobile != "13922223333" and account.first_name != "x", key
        listed = client.get("/users/list/?psize_StaffUserModelView=100").get_data(as_text=True)
        assert f"/users/edit/{pk}" not in listed, key
    # Control: a reviewer below is theirs to change.
    response = client.post(f"/users/edit/{below}", data={
        "first_name": "新名字", "region": "130203", "active": "y",
        "roles": [str(_role_id(app, "Reviewer"))]})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(BanshiUser, below).first_name == "新名字"
    # Nor can they appoint another administrator for their own region.
    response = client.post("/users/add", data={
        "username": "second_admin", "first_name": "某人", "region": "130200", "active": "y",
        "roles": [str(_role_id(app, "RegionAdmin"))], "password": "Good2026pass",
        "conf_password": "Good2026pass"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(BanshiUser.id).where(
            BanshiUser.username == "second_admin")) is None


def test_lists_sort_only_by_their_own_sortable_columns(app):
    from tests.security_support import user_ids
    from tests.support import make_user

    with app.app_context():
        # Created in an order that sorting by mobile would reverse.
        made = [make_user("Reviewer", "130203", mobile=f"1391111{9999 - n:04d}").id
                for n in range(3)]
    _, _, client = user_client(app, "RegionAdmin", "130200")
    plain = client.get("/users/list/?psize_StaffUserModelView=100").get_data(as_text=True)
    assert set(map(str, made)) <= user_ids(plain)
    for column in ("mobile", "id_number", "password", "roles", "region.path"):
        for direction in ("asc", "desc"):
            response = client.get(f"/users/list/?psize_StaffUserModelView=100"
                                  f"&_oc_StaffUserModelView={column}"
                                  f"&_od_StaffUserModelView={direction}")
            # Refused before FAB sorts (list_guard, D2); ScopedModelView would ignore it too.
            assert response.status_code == 400, column
            assert "/users/show/" not in response.get_data(as_text=True)
    by_name = client.get("/users/list/?_oc_StaffUserModelView=username&_od_StaffUserModelView=desc")
    assert by_name.status_code == 200  # a listed column still sorts
