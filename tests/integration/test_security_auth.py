"""Authentication: open redirects (A1), same answer for unknown accounts (A3), password
rules at login and in FAB's own password forms (A4). SECURITY_TESTS.md section A."""
import pytest
import sqlalchemy as sa
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.user import BanshiUser
from tests.security_support import (EVIL, HOSTILE_NEXT, assert_stays_home, assert_to_login,
                                    browser_target, user_client, without_csrf)
from tests.support import PASSWORD, login, make_user, solved_captcha

WEAK = ["short1", "password1", "abcdefghij", "1234567890", "Banshi\x002026"]


def logged_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def password_hash(app, user_id):
    with app.app_context():
        return db.session.scalar(sa.select(BanshiUser.password).where(BanshiUser.id == user_id))


# ---- A1: redirects always land on our own host -------------------------------------------

@pytest.mark.parametrize("target", HOSTILE_NEXT + ["/\t/evil.cn"])
def test_login_next_never_leaves_the_site(app, target):
    with app.app_context():
        username = make_user("Reviewer", "130200").username
    client = app.test_client()
    failed = login(client, username, "wrong-Pass1", query_string={"next": target})
    assert_stays_home(failed)
    response = login(client, username, query_string={"next": target})
    assert_stays_home(response)
    assert logged_in(client)
    assert_stays_home(client.get("/login/", query_string={"next": target}))


def test_own_next_is_followed(app):
    """Control: a local target is kept, so the tests above can tell a sanitised redirect."""
    _, _, client = user_client(app, "Reviewer", "130200")
    response = client.get("/login/", query_string={"next": "/regionmodelview/list/"})
    assert response.headers["Location"] == "/regionmodelview/list/"


def test_a_post_only_next_leads_to_the_page_its_form_was_on(app):
    """开始申请 pressed signed out: next is the form's POST-only address; signed in, the
    citizen lands on the item page (it answered 405)."""
    with app.app_context():
        username = make_user("Citizen", "130203").username
    client = app.test_client()
    for signed_in in (False, True):
        if signed_in:
            response = client.get("/login/", query_string={"next": "/apply/hb_x/start"})
        else:
            response = login(client, username, query_string={"next": "/apply/hb_x/start"})
        assert response.headers["Location"] == "/apply/hb_x", response.headers["Location"]
    response = client.get("/login/", query_string={"next": "/api/v1/applications/1/submit"})
    assert response.headers["Location"] == "/api/v1/applications/1"  # a GET-able parent


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_locale_and_preference_switches_stay_home(app, client, target):
    hostile_referrer = {"Referer": target if "evil" in target else f"https://{EVIL}/"}
    assert_stays_home(client.get("/lang/en", query_string={"next": target},
                                 headers=hostile_referrer))
    assert_stays_home(client.get("/prefs/large-font", headers={"Referer": target}))
    assert_stays_home(client.get("/back", headers=hostile_referrer))


def test_locale_switch_returns_to_the_page_before(app):
    _, _, client = user_client(app, "Reviewer", "130200")
    client.get("/regionmodelview/list/")  # FAB records the page in its history
    response = client.get("/lang/en")
    assert_stays_home(response)
    assert "/regionmodelview/list/" in response.headers["Location"]


def test_forwarded_headers_are_not_trusted(app):
    """No ProxyFix unless configured: X-Forwarded-Host/-Proto cannot make evil.cn 'our' host."""
    layer = app.wsgi_app
    while layer is not None:
        assert not isinstance(layer, ProxyFix)
        layer = getattr(layer, "app", None)
    with app.app_context():
        username = make_user("Reviewer", "130200").username
    client = app.test_client()
    forged = {"X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "https", "X-Forwarded-For": "1.2.3.4"}
    response = login(client, username, query_string={"next": f"http://{EVIL}/x"},
                     headers=forged)
    assert_stays_home(response)
    anonymous = app.test_client().get("/users/list/", headers=forged)
    assert_to_login(anonymous)
    assert EVIL not in anonymous.headers["Location"]
    assert_stays_home(client.get("/lang/en", headers=forged))


def test_trusted_hosts_refuse_a_foreign_host(app, client):
    app.config["TRUSTED_HOSTS"] = ["localhost"]
    try:
        foreign = client.get("/login/", headers={"Host": EVIL})
        assert foreign.status_code == 400
        assert EVIL not in foreign.get_data(as_text=True)
        assert client.post("/login/", headers={"Host": EVIL}, query_string={
            "next": f"http://{EVIL}/"}, data={"username": "x", "password": "y"}).status_code == 400
        assert client.get("/login/").status_code == 200
    finally:
        app.config["TRUSTED_HOSTS"] = None


def test_without_trusted_hosts_a_forged_host_cannot_redirect_elsewhere_by_next(app, client):
    # Without TRUSTED_HOSTS, FAB treats the request's Host as safe; the relative redirects
    # banshi builds still point at whatever host the browser asked for, never at next=.
    response = login(client, "nobody", "x", query_string={"next": "https://evil.cn/"})
    assert browser_target(response.headers["Location"])[1] == "localhost"


# ---- A3: unknown accounts and wrong passwords answer the same way -------------------------

def test_web_login_same_answer_for_unknown_account_and_wrong_password(app):
    with app.app_context():
        username = make_user("Citizen", "130203").username
        disabled = make_user("Citizen", "130203")
        disabled.active = False
        db.session.commit()
        attempts = [(username, "Wrong2026x"), ("no-such-account", "Wrong2026x"),
                    ("13900000000", "Wrong2026x"), ("11010519491231002X", "Wrong2026x"),
                    (disabled.username, PASSWORD)]  # right password, disabled account
    answers = []
    for account, password in attempts:
        client = app.test_client()
        response = client.post("/login/?next=/", data={"username": account,
                                                        "password": password,
                                                        **solved_captcha(client)})
        page = client.get(response.headers["Location"])
        # the form shows again the name typed, whichever it was (never the password)
        shown = without_csrf(page.get_data(as_text=True)).replace(f'value="{account}"', "")
        answers.append((response.status_code, response.headers["Location"], page.status_code,
                        shown))
        assert not logged_in(client)
    assert answers[0][0] == 302 and answers[0][2] == 200
    assert all(answer == answers[0] for answer in answers[1:])


def test_api_login_same_answer_for_unknown_account_and_wrong_password(app, client):
    with app.app_context():
        username = make_user("Citizen", "130203").username
        disabled = make_user("Citizen", "130203")
        disabled.active = False
        db.session.commit()
        attempts = [(username, "Wrong2026x"), ("no-such-account", "Wrong2026x"),
                    (disabled.username, PASSWORD)]
    answers = []
    for account, password in attempts:
        response = client.post("/api/v1/security/login", json={
            "username": account, "password": password, "provider": "db"})
        answers.append((response.status_code, response.get_json()))
    assert answers[0][0] == 401 and all(answer == answers[0] for answer in answers[1:])


# ---- A4: empty, NUL and blank passwords never log in; the policy holds in FAB's forms -----

BAD_LOGIN_PASSWORDS = ["", "\x00", "abc\x00def", "   ", "\t", PASSWORD + "\x00"]


@pytest.mark.parametrize("password", BAD_LOGIN_PASSWORDS, ids=repr)
def test_bad_passwords_never_log_in(app, password):
    with app.app_context():
        user = make_user("Reviewer", "130200")
        username = user.username
        empty = make_user("Citizen", "130203")
        empty.password = generate_password_hash("")  # an account stored without a password
        db.session.commit()
        empty_name = empty.username
    # Why PASSWORD + NUL matters: PBKDF2/scrypt pad the key with NULs, so werkzeug's check
    # alone accepts it; banshi must refuse before hashing.
    assert check_password_hash(generate_password_hash("abc", "pbkdf2:sha256:1000"), "abc\x00")
    for account in (username, empty_name):
        client = app.test_client()
        login(client, account, password)
        assert not logged_in(client)
        api = client.post("/api/v1/security/login", json={
            "username": account, "password": password, "provider": "db"})
        assert api.status_code in (401, 422) and "access_token" not in (api.get_json() or {})


def test_correct_password_logs_in(app):
    """Control for the test above."""
    with app.app_context():
        username = make_user("Reviewer", "130200").username
    client = app.test_client()
    login(client, username)
    assert logged_in(client)


def add_user_form(password, username="new_reviewer", region="130203", role_id=None):
    return {"username": username, "first_name": "新审核员", "region": region,
            "roles": [str(role_id)], "active": "y", "password": password,
            "conf_password": password}


@pytest.mark.parametrize("password", WEAK + ["New_reviewer2026"], ids=repr)
def test_admin_user_creation_applies_the_password_policy(app, password):
    _, _, admin = user_client(app, "Admin")
    with app.app_context():
        role_id = app.appbuilder.sm.find_role("Reviewer").id
    response = admin.post("/users/add", data=add_user_form(password, role_id=role_id))
    # The form again, with the message; a control character is refused before the form.
    assert response.status_code == (400 if "\x00" in password else 200)
    with app.app_context():
        assert db.session.scalar(sa.select(BanshiUser).filter_by(username="new_reviewer")) is None


def test_admin_created_account_has_a_hashed_password_and_can_log_in(app):
    _, _, admin = user_client(app, "Admin")
    with app.app_context():
        role_id = app.appbuilder.sm.find_role("Reviewer").id
    response = admin.post("/users/add", data=add_user_form("Good2026pass", role_id=role_id))
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(sa.select(BanshiUser).filter_by(username="new_reviewer"))
        assert user.region_code == "130203" and user.password != "Good2026pass"
        assert check_password_hash(user.password, "Good2026pass")
    client = app.test_client()
    login(client, "new_reviewer", "Good2026pass")
    assert logged_in(client)


def test_fab_reset_password_forms_refuse_the_accounts_username(app):
    admin_id, admin_name, admin = user_client(app, "Admin")
    with app.app_context():
        other = make_user("Reviewer", "130200")
        other_id, other_name = other.id, other.username
    before = password_hash(app, other_id), password_hash(app, admin_id)
    theirs = f"{other_name}2026x"
    response = admin.post(f"/resetpassword/form?pk={other_id}",
                          data={"password": theirs, "conf_password": theirs})
    assert response.status_code == 200
    mine = f"{admin_name}2026x"
    response = admin.post("/resetmypassword/form", data={
        "password": mine, "conf_password": mine, "current_password": PASSWORD})
    assert response.status_code == 200
    assert (password_hash(app, other_id), password_hash(app, admin_id)) == before


@pytest.mark.parametrize("password", WEAK[:3], ids=repr)
def test_fab_reset_password_forms_apply_the_policy(app, password):
    admin_id, _, admin = user_client(app, "Admin")
    with app.app_context():
        other_id = make_user("Reviewer", "130200").id
    before = password_hash(app, other_id), password_hash(app, admin_id)
    form = {"password": password, "conf_password": password}
    response = admin.post(f"/resetpassword/form?pk={other_id}", data=form)
    assert response.status_code == 200
    response = admin.post("/resetmypassword/form", data={**form, "current_password": PASSWORD})
    assert response.status_code == 200
    assert (password_hash(app, other_id), password_hash(app, admin_id)) == before


def test_fab_reset_password_accepts_a_good_password_and_ends_other_sessions(app):
    _, _, admin = user_client(app, "Admin")
    other_id, other_name, other = user_client(app, "Reviewer", "130200")
    form = {"password": "Fresh2026pass", "conf_password": "Fresh2026pass"}
    response = admin.post(f"/resetpassword/form?pk={other_id}", data=form)
    assert response.status_code == 302
    assert check_password_hash(password_hash(app, other_id), "Fresh2026pass")
    assert_to_login(other.get("/regionmodelview/list/"))
    # Changing one's own password needs the current one, and keeps the session that did it.
    page = admin.get("/resetmypassword/form").get_data(as_text=True)
    assert page.index('name="current_password"') < page.index('name="password"')
    for current in (None, "wrong-Pass1"):
        refused = admin.post("/resetmypassword/form",
                             data={**form, **({"current_password": current} if current else {})})
        assert refused.status_code == 200
    response = admin.post("/resetmypassword/form", data={**form, "current_password": PASSWORD})
    assert response.status_code == 302
    assert admin.get("/users/list/").status_code == 200
    for pk in ("999999", "abc", ""):
        assert admin.post(f"/resetpassword/form?pk={pk}", data=form).status_code == 404, pk
