"""Signing in is limited per account and per client IP, on the web form and the token API
(SECURITY_TESTS.md A2): an account's mobile, ID number and username share one count, the
clerks of one office (one address) can all sign in, and a refusal is a translated 429."""
from flask_babel import force_locale

from app.errors import wait_message
from tests.support import PASSWORD, login, make_user

OFFICE = {"REMOTE_ADDR": "10.1.0.1"}
ELSEWHERE = {"REMOTE_ADDR": "10.2.0.1"}


def too_many(app, response) -> tuple[str, str]:
    """The refusal's message in Chinese: when to try again, the Retry-After header's seconds
    (or one more, when a second ticked between the page and its header)."""
    assert response.status_code == 429
    wait = int(response.headers["Retry-After"])
    with app.test_request_context("/"), force_locale("zh"):
        return wait_message(wait), wait_message(wait + 1)


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
    page = refused.get_data(as_text=True)
    assert any(message in page for message in too_many(limited, refused))
    # Wrong passwords from one address do not lock the owner out elsewhere.
    owner = limited.test_client()
    assert web_login(owner, "13800138123", PASSWORD, ELSEWHERE).status_code == 302
    assert owner.get("/my/applications/").status_code == 200
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
    assert refused.is_json and refused.get_json()["message"] in too_many(limited, refused)
    assert api_login(client, "someone-else").status_code == 401  # another account: counted apart


def test_one_office_address_is_limited_only_well_above_one_person(limited):
    client = limited.test_client()
    for n in range(30):  # thirty clerks' first attempts through one NAT address
        assert web_login(client, f"clerk-{n}").status_code == 302
    assert web_login(client, "clerk-30").status_code == 429
    assert web_login(client, "clerk-30", environ=ELSEWHERE).status_code == 302
    assert api_login(client, "app-user-0").status_code == 429  # one allowance for both


def test_guessing_from_many_addresses_stops_at_the_accounts_total(limited):
    limited.config["LOGIN_ACCOUNT_TOTAL_RATE_LIMIT"] = "8 per hour"  # 100 in the configuration
    with limited.app_context():
        username = make_user("Citizen", "130203").username
    client = limited.test_client()
    for n in range(8):  # each address well under its own five
        address = {"REMOTE_ADDR": f"10.9.0.{n + 1}"}
        assert api_login(client, username, environ=address).status_code == 401
    refused = api_login(client, username, PASSWORD, environ={"REMOTE_ADDR": "10.9.1.1"})
    assert refused.status_code == 429
    assert api_login(client, "someone-else").status_code == 401  # another account: counted apart


def test_views_of_the_login_form_are_limited_per_address(limited):
    """Each view stores a captcha challenge: a flood of views from one address stops."""
    limited.config["LOGIN_PAGE_RATE_LIMIT"] = "3 per minute"  # 120 in the configuration
    client = limited.test_client()
    for _ in range(3):
        assert client.get("/login/", environ_base=OFFICE).status_code == 200
    assert client.get("/login/", environ_base=OFFICE).status_code == 429
    assert client.get("/login/", environ_base=ELSEWHERE).status_code == 200
