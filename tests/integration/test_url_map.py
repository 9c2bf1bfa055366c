"""No route exists that the configuration did not intend (A6), and every route is guarded.

The snapshot ``tests/fixtures/url_map.txt`` lists every rule as ``METHODS PATH ENDPOINT``
(HEAD and OPTIONS left out), sorted. A route that appears or disappears fails
``test_url_map_matches_snapshot`` with a diff. When the change is intended, regenerate
the file and review the diff with the change that caused it::

    UPDATE_URL_MAP=1 .venv/bin/python -m pytest -p no:cacheprovider \\
        tests/integration/test_url_map.py -k snapshot

A new route is treated as staff-only by the walks below: anonymous visitors must be sent to
the login page and citizens refused. A route meant for the public or for citizens must be
added to ``PUBLIC`` or ``CITIZEN`` here, on purpose.
"""
import difflib
import os
import re
from pathlib import Path

import pytest

from tests.security_support import (api_token, assert_refused, assert_to_login, bearer,
                                    user_client)

SNAPSHOT = Path(__file__).resolve().parent.parent / "fixtures" / "url_map.txt"

# Endpoints anyone may call without an account (each answers without personal data).
PUBLIC = {
    "static", "appbuilder.static", "favicon",
    "BanshiIndexView.index", "BanshiAuthDBView.login", "BanshiAuthDBView.logout",
    "CaptchaView.picture", "CaptchaView.sound", "CaptchaView.new",  # the login form's captcha
    "LocaleView.index", "PreferenceView.large_font", "PreferenceView.language", "UtilView.back",
    "SecurityApi.login", "SecurityApi.refresh",  # refresh needs a refresh token (401)
    "OpenApi.get",  # the OpenAPI document: the public contract (CONTRACT.md §4)
    "CatalogApi.get_list", "CatalogApi.get",  # published definitions: nothing personal
    "CatalogView.index", "CatalogView.item",  # 我要办: the same definitions as web pages
    "RegionPickerView.picker",  # the public region tree as a picker's selects
    "RegistrationView.register", "RegistrationView.reset", "RegistrationView.send_code",
    "DevView.sms",  # development builds only (DEV_PAGES); see test_production_config.py
}
# Views a logged-in citizen may use (the rest is staff or administration).
CITIZEN = {"CitizenHomeView", "IdentityView", "ApplicationApi", "CatalogView", "WizardView",
           "WizardMaterialsView", "WizardConfirmView", "MyApplicationsView",
           "MeApi"}  # every account reads its own; citizens verify their identity there
# User, role and permission administration: Admin only.
ADMINISTRATION = ["/users/list/", "/users/add", "/roles/list/", "/roles/add", "/permissions/list/",
                  "/viewmenus/list/", "/permissionviews/list/", "/groups/list/",
                  "/resetpassword/form"]

SAMPLE_VALUES = {"version": "v1", "locale": "en", "name": "resetpasswords",
                 "filename": "x.txt", "group_by": "username"}


def rule_lines(app) -> list[str]:
    lines = []
    for rule in app.url_map.iter_rules():
        methods = ",".join(sorted(rule.methods - {"HEAD", "OPTIONS"}))
        lines.append(f"{methods} {rule.rule} {rule.endpoint}")
    return sorted(lines)


def sample_url(rule) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: SAMPLE_VALUES.get(m.group(1), "1"),
                  rule.rule)


def guarded_rules(app, exclude_views=()):
    """Yield (method, url, endpoint) for every non-public rule (GET when it has one)."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = rule.endpoint.split(".")[0]
        if rule.endpoint in PUBLIC or view in exclude_views:
            continue
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        yield method, sample_url(rule), rule.endpoint


def test_url_map_matches_snapshot(app):
    current = rule_lines(app)
    if os.environ.get("UPDATE_URL_MAP") == "1":
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text("\n".join(current) + "\n", encoding="utf-8")
    expected = SNAPSHOT.read_text(encoding="utf-8").splitlines()
    diff = list(difflib.unified_diff(expected, current, "tests/fixtures/url_map.txt",
                                     "app.url_map", lineterm=""))
    assert not diff, ("Routes changed. If intended, run UPDATE_URL_MAP=1 (see this module's "
                      "docstring) and review:\n" + "\n".join(diff))


def test_classification_names_real_endpoints(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert PUBLIC <= endpoints, PUBLIC - endpoints


def test_anonymous_visitors_get_no_data(app, client):
    checked = 0
    for method, url, endpoint in guarded_rules(app):
        response = client.open(url, method=method)
        if url.startswith("/api/"):
            assert response.status_code in (401, 404), (url, response.status_code)
        elif response.status_code != 404:
            assert_to_login(response)
        checked += 1
    assert checked > 50


def test_citizens_are_refused_staff_and_admin_routes(app):
    _, username, client = user_client(app, "Citizen", "130203")
    token = api_token(client, username)["access_token"]
    checked = 0
    for method, url, endpoint in guarded_rules(app, exclude_views=CITIZEN):
        headers = bearer(token) if url.startswith("/api/") else {}
        response = client.open(url, method=method, headers=headers)
        assert_refused(response, endpoint)
        checked += 1
    assert checked > 50
    assert client.get("/").status_code == 200  # still logged in: the walk was not anonymous


@pytest.mark.parametrize("role", ["Reviewer", "RegionAdmin"])
def test_staff_are_refused_role_and_permission_administration(app, role):
    _, _, client = user_client(app, role, "130200")
    allowed = {"RegionAdmin": {"/users/list/", "/users/add"}}.get(role, set())
    # A RegionAdmin sets passwords of the staff they manage: with no account named, 404.
    unnamed = {"RegionAdmin": {"/resetpassword/form"}}.get(role, set())
    for url in ADMINISTRATION:
        if url not in allowed:
            assert client.get(url).status_code == (404 if url in unnamed else 403), url
    for url in ("/roles/add", "/roles/action_post", "/roles/action/copyrole/1",
                "/permissions/delete/1"):
        response = client.post(url, data={"name": "Boss", "action": "copyrole", "rowid": "1"})
        assert response.status_code == 403, url


def test_forbidden_page_is_banshis_error_page(app):
    _, _, client = user_client(app, "Reviewer", "130200")
    response = client.get("/users/list/")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    # A titled, translated page in the staff layout: the staff menu stays (审核办理 …)
    assert '<h2 id="error-title">无权访问</h2>' in html and "<title>无权访问 · " in html
    assert "navbar" in html and "banshi.css" not in html and "我要办" not in html
    assert "Forbidden" not in html and "<h1>403</h1>" not in html  # not a bare code
    assert "no-store" in response.headers["Cache-Control"]
