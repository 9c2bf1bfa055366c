"""Details of the API's replies: every JSON reply says charset=utf-8, a refusal with no field at
fault carries no ``errors``, the token refresh documents only what it answers, and ``_l_`` is
read as documented (a value that names no language is ignored)."""
import pytest

from tests.accounts_support import DEV_SECRET
from tests.applications_support import ALICE_ID, make_citizen, token
from tests.integration.test_login_limits import api_login
from tests.support import PASSWORD, make_user

JSON_UTF8 = "application/json; charset=utf-8"


@pytest.mark.parametrize("method, url, status, environ", [
    ("GET", "/api/v1/catalog/?q=a%01b", 400, {}),  # the request guard
    ("GET", "/api/v1/me/", 401, {}),
    ("GET", "/api/v1/no-such-thing", 404, {}),
    ("PUT", "/api/v1/_openapi", 405, {}),
    ("POST", "/api/v1/security/login", 413, {"CONTENT_LENGTH": str(30 * 1024 * 1024)}),
])
def test_error_replies_say_charset_utf_8(app, client, method, url, status, environ):
    response = client.open(url, method=method, environ_overrides=environ)
    assert response.status_code == status
    assert response.headers["Content-Type"] == JSON_UTF8
    assert response.get_json()["message"]


def test_the_429_says_it_too(limited):
    with limited.app_context():
        username = make_user("Citizen", "130203").username
    client = limited.test_client()
    for _ in range(5):
        assert api_login(client, username).status_code == 401
    refused = api_login(client, username, PASSWORD)
    assert refused.status_code == 429
    assert refused.headers["Content-Type"] == JSON_UTF8


def test_a_wrong_identity_secret_names_no_field(app, client, ctx):
    user = make_citizen(ALICE_ID, "林小红", verified=False)
    headers = {**token(client, user.username), "Accept-Language": "en"}
    details = {"name": "林小红", "id_number": ALICE_ID, "method": "ec_password"}
    wrong = client.post("/api/v1/me/identity", json={**details, "secret": "wrong"},
                        headers=headers)
    assert wrong.status_code == 422
    assert set(wrong.get_json()) == {"message"} and wrong.get_json()["message"]
    missing = client.post("/api/v1/me/identity", json={**details, "secret": ""},
                          headers=headers)  # a field at fault is still named
    assert missing.status_code == 422 and list(missing.get_json()["errors"]) == ["secret"]
    right = client.post("/api/v1/me/identity", json={**details, "secret": DEV_SECRET},
                        headers=headers)
    assert right.status_code == 200, right.get_json()


def test_the_refresh_documents_no_500_and_refreshes(app, client, ctx):
    spec = client.get("/api/v1/_openapi").get_json()
    responses = spec["paths"]["/api/v1/security/refresh"]["post"]["responses"]
    assert set(responses) == {"200", "400", "401"}
    assert not [(path, verb) for path, operations in spec["paths"].items()
                for verb, operation in operations.items() if "500" in operation["responses"]]
    username = make_user("Citizen", "130203").username
    tokens = client.post("/api/v1/security/login", json={
        "username": username, "password": PASSWORD, "provider": "db", "refresh": True}).get_json()
    refreshed = client.post("/api/v1/security/refresh", headers={
        "Authorization": f"Bearer {tokens['refresh_token']}"})
    assert refreshed.status_code == 200 and refreshed.get_json()["access_token"]
    assert client.post("/api/v1/security/refresh", headers={
        "Authorization": f"Bearer {tokens['access_token']}"}).status_code == 401


def test_an_unknown_language_is_ignored_as_documented(app, client, ctx):
    spec = client.get("/api/v1/_openapi").get_json()
    locales = [parameter for operations in spec["paths"].values()
               for operation in operations.values()
               for parameter in operation.get("parameters", ()) if parameter["name"] == "_l_"]
    assert len(locales) >= 5
    assert all("enum" not in p["schema"] and "ignored" in p["description"] for p in locales)
    headers = token(client, make_user("Citizen", "130203").username)
    me = client.get("/api/v1/me/?_l_=null&_l_=null", headers={**headers,
                                                               "Accept-Language": "en"})
    assert me.status_code == 200
    english = client.get("/api/v1/no-such-thing?_l_=null", headers={"Accept-Language": "en"})
    assert english.get_json() == client.get("/api/v1/no-such-thing?_l_=en").get_json()
    assert client.get("/?_l_=null").status_code in (200, 302)
