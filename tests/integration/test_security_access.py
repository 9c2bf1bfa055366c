"""Region scoping on every view (reads, writes, actions), and role boundaries (B4, B5).

The RegionAdmin of 唐山市 (130200) sees 唐山市 and what lies below it — 路北区 (130203) —
and nothing of 广东省 (440000).
"""
import re

import sqlalchemy as sa

from app.extensions import db
from app.models.dictionary import Dictionary, DictionaryEntry
from app.models.region import Region
from app.models.user import BanshiUser
from app.roles import PUBLIC_ROLE
from app.views.admin.scoped import RegionScopeFilter
from tests.security_support import (assert_refused, granted, record_count, user_client,
                                    user_ids)
from tests.support import make_user

READ_PERMISSIONS = {"can_list", "can_show", "menu_access"}
SCOPED_VIEWS = {"StaffUserModelView", "RegionModelView", "DictionaryEntryModelView",
                "DictionaryModelView"}


def role_id(app, name):
    with app.app_context():
        return app.appbuilder.sm.find_role(name).id


def scoped_model_views(app):
    """Yield (view, model) for every registered view (and related view) over scoped data."""
    seen = []
    for view in app.appbuilder.baseviews:
        for candidate in [view, *getattr(view, "_related_views", [])]:
            model = getattr(getattr(candidate, "datamodel", None), "obj", None)
            if model is not None and getattr(model, "__scope__", None) is not None:
                seen.append((candidate, model))
    return seen


def test_every_view_of_scoped_data_is_scoped_or_admin_only(app):
    scoped, admin_only = set(), []
    with app.app_context():
        roles = [role for role in app.appbuilder.sm.get_all_roles() if role.name != "Admin"]
        for view, model in scoped_model_views(app):
            filters = [entry[1] for entry in (view.base_filters or [])]
            if RegionScopeFilter in filters:
                scoped.add(type(view).__name__)
                continue
            # get_role_permissions reads built-in roles from app.roles, others from the DB.
            held = [(role.name, permission) for role in roles
                    for permission, view_name in app.appbuilder.sm.get_role_permissions(role)
                    if view_name == view.class_permission_name]
            if model.__scope__.staff_readable:  # national reference data: staff read, no more
                writes = [(name, p) for name, p in held if p not in READ_PERMISSIONS]
                assert not writes, f"{type(view).__name__}: {model.__name__} written by {writes}"
                continue
            holders = [name for name, _permission in held]
            assert not holders, f"{type(view).__name__}: {model.__name__} unscoped for {holders}"
            admin_only.append(view)
    assert SCOPED_VIEWS <= scoped
    # FAB's user statistics chart reads ab_user unscoped: Admin only, RegionAdmin refused.
    _, _, client = user_client(app, "RegionAdmin", "130200")
    for view in admin_only:
        rules = [rule for rule in app.url_map.iter_rules()
                 if rule.endpoint.startswith(f"{view.endpoint}.")]
        assert rules
        for rule in rules:
            url = re.sub(r"<[^>]+>", "1", rule.rule)
            method = "GET" if "GET" in rule.methods else "POST"
            assert_refused(client.open(url, method=method), rule.endpoint)


def test_built_in_role_permissions_match_exactly(app):
    """FAB matches built-in role entries as regex prefixes; banshi must not."""
    with app.app_context():
        sm = app.appbuilder.sm
        reviewer = sm.find_role("Reviewer")
        assert sm._has_access_builtin_roles(reviewer, "can_show", "RegionModelView")
        assert not sm._has_access_builtin_roles(reviewer, "can_show_unmasked", "RegionModelView")
        assert not sm._has_access_builtin_roles(reviewer, "can_list", "RegionModelViewExport")
        assert not sm._has_access_builtin_roles(reviewer, "can_list", "Region")


def test_region_admin_sees_only_the_regions_of_the_subtree(app):
    _, _, client = user_client(app, "RegionAdmin", "130200")
    _, _, admin = user_client(app, "Admin")
    with app.app_context():
        path = db.session.get(Region, "130200").path
        subtree = db.session.scalar(sa.select(sa.func.count()).select_from(Region).where(
            Region.path.startswith(path)))
        codes = set(db.session.scalars(sa.select(Region.code).where(Region.path.startswith(path))))
    html = client.get("/regionmodelview/list/?psize_RegionModelView=100").get_data(as_text=True)
    assert record_count(html) == subtree and 10 < subtree < 100
    assert "唐山市" in html and "路北区" in html
    # 河北省 appears only as 唐山市's parent column, never as a row of its own.
    assert "广东省" not in html and "石家庄市" not in html
    shown = set(re.findall(r"/regionmodelview/show/(\d+)", html))
    assert shown and shown <= codes
    search = "/regionmodelview/list/?_flt_3_name=广东省"
    assert record_count(client.get(search).get_data(as_text=True)) == 0
    assert record_count(admin.get(search).get_data(as_text=True)) == 1  # the search works
    assert client.get("/regionmodelview/show/440000").status_code == 404
    assert client.get("/regionmodelview/show/130000").status_code == 404  # the parent, too
    assert client.get("/regionmodelview/show/130203").status_code == 200
    assert client.get("/regionmodelview/edit/440000").status_code == 404
    assert client.get("/regions/tree/440000").status_code == 404
    assert client.get("/regions/tree/130203").status_code == 200


def flashed(client) -> list:
    with client.session_transaction() as session:
        return session.pop("_flashes", [])


def test_region_admin_adds_region_nodes_only_in_the_subtree(app):
    _, _, client = user_client(app, "RegionAdmin", "130200")
    flashed(client)
    # A refused add stays on the form, the reason under the code.
    refused = client.post("/regionmodelview/add", data={"code": "44010699991", "name": "外省学校"})
    assert refused.status_code == 200
    assert "只能在本辖区内添加节点" in refused.get_data(as_text=True)
    client.post("/regionmodelview/add", data={"code": "13020399991", "name": "路北学校"})
    assert [category for category, _ in flashed(client)] == ["success"]
    with app.app_context():
        assert db.session.get(Region, "44010699991") is None
        assert db.session.get(Region, "13020399991").parent_code == "130203"


def test_local_codes_of_other_regions_are_invisible(app):
    with app.app_context():
        dictionary = db.session.scalars(sa.select(Dictionary)).first()
        entries = {}
        for region in ("440000", "130203"):
            entry = DictionaryEntry(dictionary=dictionary, code=f"L{region}", name_zh="本地",
                                    name_en="local", region_code=region)
            db.session.add(entry)
            db.session.flush()
            entries[region] = entry.id
        db.session.commit()
    _, _, client = user_client(app, "RegionAdmin", "130200")
    assert client.get(f"/dictionaryentrymodelview/show/{entries['440000']}").status_code == 404
    assert client.get(f"/dictionaryentrymodelview/edit/{entries['440000']}").status_code == 404
    assert client.get(f"/dictionaryentrymodelview/show/{entries['130203']}").status_code == 200
    html = client.get("/dictionaryentrymodelview/list/?_flt_0_code=L").get_data(as_text=True)
    assert "L130203" in html and "L440000" not in html


def staff_fixture(app):
    with app.app_context():
        ids = {
            "inside": make_user("Reviewer", "130203").id,
            "peer": make_user("RegionAdmin", "130200").id,
            "outside": make_user("Reviewer", "440000").id,
            "outside_admin": make_user("RegionAdmin", "440000").id,
            "platform": make_user("Admin").id,
        }
    return ids


def test_region_admin_sees_only_users_of_the_subtree(app):
    ids = staff_fixture(app)
    me, _, client = user_client(app, "RegionAdmin", "130200")
    html = client.get("/users/list/?psize_StaffUserModelView=100").get_data(as_text=True)
    assert user_ids(html) == {str(me), str(ids["inside"]), str(ids["peer"])}
    assert record_count(html) == 3
    for key in ("outside", "outside_admin", "platform"):
        assert client.get(f"/users/show/{ids[key]}").status_code == 404, key
        assert client.get(f"/users/edit/{ids[key]}").status_code == 404, key
        assert client.post(f"/users/edit/{ids[key]}", data={
            "first_name": "x", "region": "130200", "roles": [str(role_id(app, "Reviewer"))],
            "active": "y"}).status_code == 404, key
    assert client.get(f"/users/show/{ids['inside']}").status_code == 200
    with app.app_context():
        assert db.session.get(BanshiUser, ids["outside"]).region_code == "440000"


def test_user_actions_load_rows_through_the_scope(app):
    """FAB's action routes load rows without base_filters; banshi's re-check them."""
    ids = staff_fixture(app)
    _, _, client = user_client(app, "RegionAdmin", "130200")
    # Without the permission the routes are closed anyway...
    assert client.post("/users/action_post", data={
        "action": "resetpasswords", "rowid": [str(ids["outside"])]}).status_code == 403
    # ...and with it, out-of-scope rows are still not found.
    with granted(app, "RegionAdmin", "StaffUserModelView", "can_action", "can_action_post",
                 "resetpasswords"):
        for key in ("outside", "platform"):
            response = client.post("/users/action_post", data={
                "action": "resetpasswords", "rowid": [str(ids["inside"]), str(ids[key])]})
            assert response.status_code == 404, key
            assert client.post(f"/users/action/resetpasswords/{ids[key]}").status_code == 404
            assert client.get(f"/users/action/resetpasswords/{ids[key]}").status_code == 404
        # In scope, the action runs (it leads to FAB's reset form).
        response = client.post(f"/users/action/resetpasswords/{ids['inside']}")
        assert response.headers["Location"].endswith(f"/resetpassword/form?pk={ids['inside']}")
    # Unknown action names are not found (FAB answered 500), for anyone.
    assert client.post("/users/action_post", data={"action": "nope"}).status_code == 404
    assert app.test_client().post("/roles/action/nope/1").status_code == 404


def test_admin_show_page_actions_work(app):
    """FAB's show page posts its action buttons to /action/<name>/<pk>."""
    _, _, admin = user_client(app, "Admin")
    with app.app_context():
        target = make_user("Reviewer", "130200").id
    response = admin.post(f"/users/action/resetpasswords/{target}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/resetpassword/form?pk={target}")


# ---- B4: role and region boundaries for administrators -----------------------------------

def new_user_form(app, region, role, username="b4_user"):
    return {"username": username, "first_name": "某人", "region": region,
            "roles": [str(role_id(app, role))], "active": "y", "password": "Good2026pass",
            "conf_password": "Good2026pass"}


def stored(app, username="b4_user"):
    """Return (region, role names) of the account, or None."""
    with app.app_context():
        user = db.session.scalar(sa.select(BanshiUser).where(BanshiUser.username == username))
        return None if user is None else (user.region_code, [r.name for r in user.roles])


def test_region_admin_cannot_create_users_outside_the_subtree_or_grant_high_roles(app):
    _, _, client = user_client(app, "RegionAdmin", "130200")
    for region, role in (("440000", "Reviewer"), ("130000", "Reviewer"), ("130203", "Admin"),
                         ("130203", "Citizen")):
        response = client.post("/users/add", data=new_user_form(app, region, role))
        assert response.status_code == 200, (region, role)
        html = response.get_data(as_text=True)
        assert "has-error" in html or "alert-danger" in html or "error" in html.lower()
        assert stored(app) is None, (region, role)
    response = client.post("/users/add", data=new_user_form(app, "130203", "Reviewer"))
    assert response.status_code == 302  # control: within the subtree and grantable
    assert stored(app) == ("130203", ["Reviewer"])


def test_region_admin_cannot_raise_roles_or_move_users_out(app):
    ids = staff_fixture(app)
    _, _, client = user_client(app, "RegionAdmin", "130200")
    base = {"first_name": "x", "active": "y"}
    for region, role in (("130203", "Admin"), ("440000", "Reviewer"), ("130203", "Citizen")):
        client.post(f"/users/edit/{ids['inside']}", data={
            **base, "region": region, "roles": [str(role_id(app, role))]})
        with app.app_context():
            user = db.session.get(BanshiUser, ids["inside"])
            assert user.region_code == "130203" and [r.name for r in user.roles] == ["Reviewer"]


def test_region_admin_cannot_reach_roles_and_permissions(app):
    _, _, client = user_client(app, "RegionAdmin", "130200")
    for url in ("/roles/list/", "/roles/add", "/permissions/list/", "/permissionviews/list/",
                "/viewmenus/list/", "/groups/list/"):
        assert client.get(url).status_code == 403, url
    # A staff account of their subtree's, yes (test_staff_password_reset); none named, none.
    assert client.get("/resetpassword/form").status_code == 404


def test_citizens_and_reviewers_cannot_administer(app):
    for role, region in (("Citizen", "130203"), ("Reviewer", "130200")):
        _, _, client = user_client(app, role, region)
        for url in ("/users/list/", "/users/add", "/regionmodelview/add", "/roles/list/"):
            assert client.get(url).status_code == 403, (role, url)
        response = client.post("/regionmodelview/add", data={"code": "13020399992", "name": "x"})
        assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Region, "13020399992") is None


# ---- B5: role and region changes take effect on the next request ------------------------

def test_removing_a_role_takes_effect_on_the_next_request(app):
    _, _, admin = user_client(app, "Admin")
    user_id, _, client = user_client(app, "RegionAdmin", "130200")
    assert client.get("/users/list/").status_code == 200
    response = admin.post(f"/users/edit/{user_id}", data={
        "first_name": "x", "region": "130200", "roles": [str(role_id(app, "Reviewer"))],
        "active": "y"})
    assert response.status_code == 302
    assert client.get("/users/list/").status_code == 403
    assert client.get("/regionmodelview/list/").status_code == 200  # still a Reviewer


def test_moving_a_user_changes_what_they_see_on_the_next_request(app):
    _, _, admin = user_client(app, "Admin")
    user_id, _, client = user_client(app, "Reviewer", "130200")
    search = "/regionmodelview/list/?_flt_3_name=广东省"
    assert record_count(client.get(search).get_data(as_text=True)) == 0
    assert client.get("/regionmodelview/show/130203").status_code == 200
    response = admin.post(f"/users/edit/{user_id}", data={
        "first_name": "x", "region": "440000", "roles": [str(role_id(app, "Reviewer"))],
        "active": "y"})
    assert response.status_code == 302
    assert record_count(client.get(search).get_data(as_text=True)) == 1
    assert client.get("/regionmodelview/show/130203").status_code == 404


def test_staff_see_their_own_account_page_only(client, ctx):
    from tests.support import login, make_user

    me = make_user("Reviewer", "130200", username="rev_self", name="审核甲")
    make_user("Reviewer", "130200", username="rev_other", name="审核乙")
    login(client, "rev_self")
    page = client.get("/users/userinfo/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "审核甲" in html and "审核乙" not in html
    assert me.username in html


def test_the_public_role_is_built_in_and_grants_nothing(app):
    """Anonymous access is decided from app.roles: a permission given to the Public role in
    the database (FAB's role pages) opens nothing."""
    with app.app_context():
        sm = app.appbuilder.sm
        public = sm.find_role(app.config["AUTH_ROLE_PUBLIC"])
        view = sm.add_permission_view_menu("can_get", "ApplicationApi")
        sm.add_permission_role(public, view)
        try:
            assert public.name == PUBLIC_ROLE and public.name in sm.builtin_roles
            assert not sm.is_item_public("can_get", "ApplicationApi")
            assert app.test_client().get("/api/v1/applications/").status_code == 401
        finally:
            sm.del_permission_role(public, view)
