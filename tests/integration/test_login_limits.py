"""Signing in is limited per account and per client IP, on the web form and the token API
(SECURITY_TESTS.md A2): an account's mobile, ID number and username share one count, the
clerks of one office (one address) can all sign in, and a refusal is a translated 429."""
from tests.browser.helpers import say
from tests.support import PASSWORD, login, make_user

TOO_MANY = "Too many attempts. Please wait a moment and try again."

OFFICE = {"REMOTE_ADDR": "10.1.0.1"}
ELSEWHERE = {"REMOTE_ADDR": "10.2.0.1"}


def web_login(client, name, password="wrong-password-1", environ=OFFICE):
    return login(client, name, password, environ_base=environ)  # the captcha answered


def api_login(client, name, password="wrong-password-1", environ=OFFICE):
    return client.post("/api/v1/security/login", json={
        "username": name, "password": password, "provider": "db"}, environ_base=environ)


def test_five_wrong_passwords_stop_the_account_however_it_is_named(limited):
    with limited.app_context():
        username = make_user("Citizen", "130203", mobile="13800138123").username
    client = limited.test_client()
    for name in (username, "13800138123", "+86 138 0013 8123", username, username):
        assert web_login(client, name).status_code == 302  # back to the form: wrong password
    refused = web_login(client, username, PASSWORD)  # even the right one, for a minute
    assert refused.status_code == 429
    assert say(limited, TOO_MANY) in refused.get_data(as_text=True)
    assert web_login(client, "13800138123", PASSWORD, ELSEWHERE).status_code == 429  # any address
    # Another account from the same office signs in.
    with limited.app_context():
        colleague = make_user("Reviewer", "130203").username
    assert web_login(client, colleague, PASSWORD).status_code == 302
    assert client.get("/review/pending").status_code == 200


def test_the_token_api_is_limited_as_the_form_is(limited):
    with limited.app_context():
        username = make_user("Citizen", "130203").username
    client = limited.test_client()
    for _ in range(5):
        assert api_login(client, username).status_code == 401
    refused = api_login(client, username, PASSWORD)
    assert refused.status_code == 429 and refused.is_json
    assert refused.get_json()["message"] == say(limited, TOO_MANY)
    assert api_login(client, "someone-else").status_code == 401  # another account: counted apart


def test_one_office_address_is_limited_only_well_above_one_person(limited):
    client = limited.test_client()
    for n in range(30):  # thirty clerks' first attempts through one NAT address
        assert web_login(client, f"clerk-{n}").status_code == 302
    assert web_login(client, "clerk-30").status_code == 429
    assert web_login(client, "clerk-30", environ=ELSEWHERE).status_code == 302
    for n in range(30):
        assert api_login(client, f"app-user-{n}").status_code == 401
    assert api_login(client, "app-user-30").status_code == 429
