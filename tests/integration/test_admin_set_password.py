"""A password an administrator chose (the users form, 设置新密码) is replaced by its owner at the
next sign-in: until then every page leads to 修改密码 and the token API refuses, with the
change and its clearing in the history. The demo loader's accounts, whose password is published,
are not asked (``flask users add``: tests/integration/test_own_password_paths.py)."""
import sqlalchemy as sa

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.user import BanshiUser
from tests.support import PASSWORD, login, make_user

GIVEN = "Given2026pass"
CHOSEN = "Mine2026pass"
FORM = "/resetmypassword/form"
NOTICE_ZH = "您的密码是管理员设置的"


def account(username):
    db.session.expire_all()
    return db.session.scalar(sa.select(BanshiUser).where(BanshiUser.username == username))


def events(action):
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


def api_login(app, username, password, locale="zh"):
    return app.test_client().post(f"/api/v1/security/login?_l_={locale}", json={
        "username": username, "password": password, "provider": "db"})


def role_id(name):
    return db.session.scalar(sa.text("SELECT id FROM ab_role WHERE name = :n"), {"n": name})


def signed_in(app, username, password=PASSWORD):
    client = app.test_client()
    assert login(client, username, password).status_code == 302
    return client


def sent_to_change_form(client, path):
    response = client.get(path)
    return response.status_code == 302 and response.headers["Location"].endswith(FORM)


def change_own(client, current, new):
    return client.post(FORM, data={"current_password": current, "password": new,
                                   "conf_password": new})


def test_account_an_admin_created_chooses_its_own_password_first(app, ctx):
    make_user("RegionAdmin", "130200", username="mc_ts")
    admin = signed_in(app, "mc_ts")
    response = admin.post("/users/add", data={
        "username": "mc_new", "first_name": "某人", "region": "130203",
        "roles": [str(role_id("Reviewer"))], "active": "y", "password": GIVEN,
        "conf_password": GIVEN})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert account("mc_new").must_change_password is True
    created = events("account.create")[-1]
    assert created.detail["must_change_password"] is True

    refused = api_login(app, "mc_new", GIVEN)
    assert refused.status_code == 403
    assert "网页" in refused.json["message"] and "修改" in refused.json["message"]
    assert "web page" in api_login(app, "mc_new", GIVEN, "en").json["message"]

    user = signed_in(app, "mc_new", GIVEN)
    for path in ("/", "/users/userinfo/", "/review/pending", "/regions/tree/",
                 "/api/v1/me/"):
        if path.startswith("/api/"):
            assert user.get(path).status_code == 403
        else:
            assert sent_to_change_form(user, path), path
    form = user.get(FORM)
    assert form.status_code == 200 and NOTICE_ZH in form.get_data(as_text=True)
    assert user.get("/static/favicon.svg").status_code == 200

    same = change_own(user, GIVEN, GIVEN)  # keeping the given password is no change
    assert same.status_code == 200 and "与当前密码不同" in same.get_data(as_text=True)
    assert account("mc_new").must_change_password is True

    assert change_own(user, GIVEN, CHOSEN).status_code == 302
    assert account("mc_new").must_change_password is None
    changed = events("account.password_changed")[-1]
    assert changed.actor_id == account("mc_new").id
    assert changed.detail["must_change_password"] == {"from": True, "to": False}
    assert user.get("/users/userinfo/").status_code == 200
    assert user.get("/").status_code == 200
    assert api_login(app, "mc_new", CHOSEN).status_code == 200


def test_reset_by_an_admin_asks_again_and_demo_accounts_are_not_asked(app, ctx):
    make_user("RegionAdmin", "130200", username="mc_ts2")
    reviewer = make_user("Reviewer", "130203", username="mc_rev")  # as `flask demo`
    assert account("mc_rev").must_change_password is None
    assert api_login(app, "mc_rev", PASSWORD).status_code == 200
    assert signed_in(app, "mc_rev").get("/users/userinfo/").status_code == 200

    admin = signed_in(app, "mc_ts2")
    response = admin.post(f"/resetpassword/form?pk={reviewer.id}",
                          data={"password": GIVEN, "conf_password": GIVEN})
    assert response.status_code == 302
    assert account("mc_rev").must_change_password is True
    assert events("account.password_set")[-1].detail == {"must_change_password": True}
    assert api_login(app, "mc_rev", GIVEN).status_code == 403
    user = signed_in(app, "mc_rev", GIVEN)
    assert sent_to_change_form(user, "/users/userinfo/")
    assert change_own(user, GIVEN, CHOSEN).status_code == 302
    assert user.get("/users/userinfo/").status_code == 200
    # The administrator's own sessions and pages were never affected.
    assert admin.get("/users/list/").status_code == 200


def test_own_change_without_the_mark_is_recorded_too(app, ctx):
    make_user("Reviewer", "130203", username="mc_self")
    user = signed_in(app, "mc_self")
    assert change_own(user, PASSWORD, CHOSEN).status_code == 302
    assert events("account.password_changed")[-1].detail == {}
    assert account("mc_self").must_change_password is None
