"""Sessions and tokens (A5), caching (A7), CSRF (A8). SECURITY_TESTS.md section A."""
import re
import time
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest
import sqlalchemy as sa
from itsdangerous.timed import TimestampSigner

from app.extensions import db
from app.models.region import Region
from app.models.user import BanshiUser
from tests.security_support import api_token, assert_to_login, bearer, user_client
from tests.support import PASSWORD, csrf_token, login, make_user, solved_captcha

STAFF_PAGE = "/regionmodelview/list/"
# An API endpoint every role may call with a token (the OpenAPI document needs none).
TOKEN_PROBE = "/api/v1/applications/"


def session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "no session cookie set"
    return cookies[-1]


# ---- A5: sessions --------------------------------------------------------------------------

def test_login_starts_a_fresh_session(app):
    with app.app_context():
        user = make_user("Reviewer", "130200")
        user_id, username = user.id, user.username
    client = app.test_client()
    client.get("/lang/en")
    with client.session_transaction() as session:
        session["planted"] = "attacker"
    before = client.get_cookie("session").value
    response = login(client, username)
    assert response.status_code == 302
    assert client.get_cookie("session").value != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["locale"] == "en"  # the visitor's language survives
        assert session["_user_id"] == str(user_id) and "_epoch" in session
    assert client.get(STAFF_PAGE).status_code == 200


def test_logout_ends_every_session_of_the_account(app):
    _, username, first = user_client(app, "Reviewer", "130200")
    second = app.test_client()
    login(second, username)
    token = api_token(second, username)["access_token"]
    assert first.get(STAFF_PAGE).status_code == 200
    assert second.get(TOKEN_PROBE, headers=bearer(token)).status_code == 200

    response = second.post("/logout/")
    assert response.status_code == 302
    assert_to_login(second.get(STAFF_PAGE))
    assert_to_login(first.get(STAFF_PAGE))  # logged in earlier, elsewhere
    assert second.get(TOKEN_PROBE, headers=bearer(token)).status_code == 401
    # Logging in again works and starts a new epoch.
    login(first, username)
    assert first.get(STAFF_PAGE).status_code == 200


def test_jwt_and_refresh_token_die_with_logout(app):
    _, username, client = user_client(app, "Admin")
    tokens = api_token(client, username, refresh=True)
    assert client.get(TOKEN_PROBE, headers=bearer(tokens["access_token"])).status_code == 200
    assert client.post("/api/v1/security/refresh",
                       headers=bearer(tokens["refresh_token"])).status_code == 200
    client.post("/logout/")
    assert client.get(TOKEN_PROBE,
                      headers=bearer(tokens["access_token"])).status_code == 401
    assert client.post("/api/v1/security/refresh",
                       headers=bearer(tokens["refresh_token"])).status_code == 401


def edit_form(app, user_id, **changes):
    with app.app_context():
        user = db.session.get(BanshiUser, user_id)
        form = {"first_name": user.first_name, "region": user.region_code or "",
                "mobile": user.mobile or "", "roles": [str(r.id) for r in user.roles],
                "active": "y" if user.active else ""}
    form.update(changes)
    return {key: value for key, value in form.items() if value not in ("", None)}


def test_disabling_an_account_ends_its_sessions_and_tokens(app):
    _, _, admin = user_client(app, "Admin")
    user_id, username, client = user_client(app, "Reviewer", "130200")
    token = api_token(client, username)["access_token"]
    response = admin.post(f"/users/edit/{user_id}", data=edit_form(app, user_id, active=""))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(BanshiUser, user_id).active is False
    assert_to_login(client.get(STAFF_PAGE))
    assert client.get(TOKEN_PROBE, headers=bearer(token)).status_code == 401
    fresh = app.test_client()
    login(fresh, username)
    assert_to_login(fresh.get(STAFF_PAGE))


def test_session_cookie_lives_for_the_idle_timeout(app):
    with app.app_context():
        username = make_user("Reviewer", "130200").username
    client = app.test_client()
    cookie = session_cookie(login(client, username))
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    assert lifetime <= timedelta(hours=1)
    remaining = expires - datetime.now(timezone.utc)
    assert lifetime - timedelta(minutes=1) < remaining <= lifetime
    # Each request slides the window (idle timeout, not an absolute one).
    assert "Expires=" in session_cookie(client.get(STAFF_PAGE))


@pytest.mark.parametrize("idle_minutes, still_in", [(29, True), (31, False)])
def test_idle_session_is_refused_by_the_server(app, monkeypatch, idle_minutes, still_in):
    """A cookie older than the idle timeout is refused even if a client keeps sending it."""
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(minutes=30)
    with app.app_context():
        username = make_user("Reviewer", "130200").username
    client = app.test_client()
    login(client, username)
    later = time.time() + idle_minutes * 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(later))
    response = client.get(STAFF_PAGE)
    if still_in:
        assert response.status_code == 200
    else:
        assert_to_login(response)


# ---- A7: no caching of personal pages and API answers -------------------------------------

def test_logged_in_pages_and_api_answers_are_not_stored(app):
    _, username, client = user_client(app, "RegionAdmin", "130200")
    for url in ("/", "/users/list/", STAFF_PAGE, "/regionmodelview/show/130203", "/roles/list/",
                "/regionmodelview/show/440000", "/no-such-page"):
        response = client.get(url)
        assert "no-store" in response.headers.get("Cache-Control", ""), (url, response.status_code)
    api = app.test_client()
    for response in (
        api.post("/api/v1/security/login", json={"username": username, "password": PASSWORD,
                                                 "provider": "db"}),
        api.get("/api/v1/_openapi"),
        api.get("/api/v1/no-such-api"),
    ):
        assert "no-store" in response.headers.get("Cache-Control", ""), response.request.path


def test_public_login_page_answers(app, client):
    response = client.get("/login/")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# ---- A8: CSRF -------------------------------------------------------------------------------

def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_login_needs_a_csrf_token(app, csrf):
    with app.app_context():
        username = make_user("Reviewer", "130200").username
    client = app.test_client()
    response = login(client, username)
    assert response.status_code == 400
    assert_to_login(client.get(STAFF_PAGE))
    token = csrf_token(client, "/login/")
    response = client.post("/login/", data={"username": username, "password": PASSWORD,
                                            "csrf_token": token, **solved_captcha(client)})
    assert response.status_code == 302 and client.get(STAFF_PAGE).status_code == 200


def test_admin_writes_need_a_csrf_token(app, csrf):
    _, _, admin = user_client_with_csrf(app, "Admin")
    with app.app_context():
        role_id = app.appbuilder.sm.find_role("Reviewer").id
    user_form = {"username": "csrf_victim", "first_name": "某", "region": "130203",
                 "roles": [str(role_id)], "active": "y", "password": "Good2026pass",
                 "conf_password": "Good2026pass"}
    region_form = {"code": "13020399991", "name": "测试学校"}
    assert admin.post("/users/add", data=user_form).status_code == 400
    assert admin.post("/regionmodelview/add", data=region_form).status_code == 400
    assert count(app, BanshiUser, BanshiUser.username == "csrf_victim") == 0
    assert count(app, Region, Region.code == "13020399991") == 0
    # FAB's delete and action routes: no token, no effect (GET or POST).
    with app.app_context():
        victim_id = make_user("Reviewer", "130200").id
    admin.get(f"/users/delete/{victim_id}")
    assert admin.post(f"/users/delete/{victim_id}").status_code == 400
    assert admin.post("/users/action_post", data={"action": "resetpasswords",
                                                  "rowid": [str(victim_id)]}).status_code == 400
    assert count(app, BanshiUser, BanshiUser.id == victim_id) == 1
    # Control: with the page's token the same add works.
    user_form["csrf_token"] = csrf_token(admin, "/users/add")
    assert admin.post("/users/add", data=user_form).status_code == 302
    assert count(app, BanshiUser, BanshiUser.username == "csrf_victim") == 1


def user_client_with_csrf(app, role, region=None):
    with app.app_context():
        user = make_user(role, region)
        user_id, username = user.id, user.username
    client = app.test_client()
    token = csrf_token(client, "/login/")
    response = client.post("/login/", data={"username": username, "password": PASSWORD,
                                            "csrf_token": token, **solved_captcha(client)})
    assert response.status_code == 302
    return user_id, username, client


# The OpenAPI spec is read by the Swagger UI page with the session (GET, no personal data,
# public); no other API accepts the browser session.
BROWSER_READABLE_APIS = {"OpenApi"}
# Public APIs answer anyone the same way, session or not (published definitions only).
PUBLIC_APIS = {"CatalogApi"}


def test_api_refuses_the_session_cookie(app):
    """Browser sessions do not authenticate API calls: a cross-site page cannot use them."""
    from flask_appbuilder.api import BaseApi

    browser_apis = {type(view).__name__ for view in app.appbuilder.baseviews
                    if isinstance(view, BaseApi) and view.allow_browser_login}
    assert browser_apis <= BROWSER_READABLE_APIS
    _, _, admin = user_client(app, "Admin")
    checked = 0
    for rule in app.url_map.iter_rules():
        view = rule.endpoint.split(".")[0]
        if not rule.rule.startswith("/api/") or rule.endpoint == "SecurityApi.login" \
                or view in PUBLIC_APIS:
            continue
        # Sample values for the path's variables: a literal "<int:pk>" would only ever 404.
        url = re.sub(r"<(?:[^:>]+:)?([^>]+)>",
                     lambda m: "v1" if m.group(1) == "version" else "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = admin.open(url, method=method, json={})
            if view in BROWSER_READABLE_APIS and method == "GET":
                assert response.status_code == 200, url
            else:
                assert response.status_code == 401, (method, url, response.status_code)
                checked += 1
    assert checked
    _, _, citizen = user_client(app, "Citizen", "130203")
    assert citizen.get("/api/v1/_openapi").status_code == 200  # public: the contract
