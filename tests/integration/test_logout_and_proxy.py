"""Logout needs a POST with a token; the client IP behind a configured proxy."""
from flask import request

from tests.support import PASSWORD, build_app, csrf_token, login, make_user, solved_captcha


def test_logout_get_only_asks(client, ctx):
    make_user("Citizen", username="c_logout")
    login(client, "c_logout")
    page = client.get("/logout/")
    assert page.status_code == 200
    assert client.get("/me/").status_code == 200  # still signed in after the GET
    assert client.post("/logout/").status_code == 302
    assert client.get("/me/").status_code in (302, 401)


def test_logout_post_without_token_refused_with_csrf(client, ctx, csrf):
    make_user("Citizen", username="c_logout2")
    token = csrf_token(client, "/login/")
    client.post("/login/", data={"username": "c_logout2", "password": PASSWORD,
                                 "csrf_token": token, **solved_captcha(client)})
    assert client.get("/me/").status_code == 200
    assert client.post("/logout/").status_code == 400  # a forged cross-site POST
    assert client.get("/me/").status_code == 200  # still signed in
    token = csrf_token(client, "/logout/")
    assert client.post("/logout/", data={"csrf_token": token}).status_code == 302
    assert client.get("/me/").status_code != 200


def test_proxy_fix_only_when_configured(tmp_path):
    plain = build_app(f"sqlite:///{tmp_path / 'a.db'}", tmp_path / "a")
    proxied = build_app(f"sqlite:///{tmp_path / 'b.db'}", tmp_path / "b", PROXY_FIX_HOPS=1)
    seen = {}
    for name, application in (("plain", plain), ("proxied", proxied)):
        @application.route("/_ip")
        def _ip():
            return request.remote_addr or ""
        seen[name] = application.test_client().get(
            "/_ip", headers={"X-Forwarded-For": "203.0.113.9"},
            environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_data(as_text=True)
    assert seen == {"plain": "127.0.0.1", "proxied": "203.0.113.9"}
