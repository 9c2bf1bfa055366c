"""Staff passwords: 修改密码 in the user menu and on one's own page; a region's administrator
sets a new password for the staff accounts they manage (never outside their subtree, never a
platform administrator's), audited, linked from the account's page."""
import sqlalchemy as sa

from app.extensions import db
from app.models.audit import AuditEvent
from tests.support import login, make_user

OWN = "btn-action-StaffUserModelView.action-resetmypassword"
OTHERS = "btn-action-StaffUserModelView.action-resetpasswords"
NEW = {"password": "Fresh2026pass", "conf_password": "Fresh2026pass"}


def api_login(app, username, password="Fresh2026pass"):
    return app.test_client().post("/api/v1/security/login", json={
        "username": username, "password": password, "provider": "db"}).status_code


def signed_in(app, username):
    client = app.test_client()
    login(client, username)
    return client


def test_own_password_link_in_the_menu_and_on_the_profile(app, ctx):
    make_user("Reviewer", "130203", username="pr_rev")
    client = signed_in(app, "pr_rev")
    page = client.get("/users/userinfo/").get_data(as_text=True)
    assert 'href="/resetmypassword/form"' in page  # the user menu
    assert OWN in page and "修改密码" in page  # the profile


def test_region_admin_sets_a_password_within_the_subtree(app, ctx):
    make_user("RegionAdmin", "130000", username="pr_hebei")
    reviewer = make_user("Reviewer", "130203", username="pr_lb")
    admin = signed_in(app, "pr_hebei")
    show = admin.get(f"/users/show/{reviewer.id}").get_data(as_text=True)
    assert OTHERS in show and "设置新密码" in show
    assert OWN not in show  # not one's own action on another's page
    assert admin.get(f"/resetpassword/form?pk={reviewer.id}").status_code == 200
    response = admin.post(f"/resetpassword/form?pk={reviewer.id}", data=NEW)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/users/show/{reviewer.id}")
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "account.password_set"))
    assert event is not None and event.object_id == str(reviewer.id)
    assert event.region_code == "130203"
    # The new password works, and the token API asks its owner to choose one on the web first.
    assert api_login(app, "pr_lb") == 403


def test_region_admin_never_outside_the_subtree_nor_an_admin(app, ctx):
    make_user("RegionAdmin", "130100", username="pr_sjz")
    outside = make_user("Reviewer", "130203", username="pr_ts")
    platform = make_user("Admin", username="pr_root")
    citizen = make_user("Citizen", "130102", username="pr_citizen")
    admin = signed_in(app, "pr_sjz")
    for account in (outside, platform, citizen):
        assert OTHERS not in admin.get(f"/users/show/{account.id}").get_data(as_text=True)
        assert admin.get(f"/resetpassword/form?pk={account.id}").status_code in (403, 404)
        assert admin.post(f"/resetpassword/form?pk={account.id}",
                          data=NEW).status_code in (403, 404)
    assert admin.get("/resetpassword/form?pk=99999999999").status_code == 404
    assert db.session.scalar(sa.select(AuditEvent.id).where(
        AuditEvent.action == "account.password_set")) is None
    assert api_login(app, "pr_ts") == 401


def test_platform_admin_sees_the_link_on_an_account_page(app, ctx):
    make_user("Admin", username="pr_root2")
    reviewer = make_user("Reviewer", "130203", username="pr_lb2")
    admin = signed_in(app, "pr_root2")
    assert OTHERS in admin.get(f"/users/show/{reviewer.id}").get_data(as_text=True)
