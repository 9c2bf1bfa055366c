"""The per-account sign-in limits count failed tries only (SECURITY_TESTS.md A2): a clerk who
signs in correctly many times an hour, by the web form and the token API, is never locked out,
while wrong passwords are still stopped after five, and the per-address allowance still counts
every try."""
from tests.integration.test_login_limits import OFFICE, api_login, too_many, web_login
from tests.support import PASSWORD, make_user


def clerk(app) -> str:
    with app.app_context():
        return make_user("Reviewer", "130203").username


def test_correct_sign_ins_never_use_up_the_accounts_tries(limited):
    limited.config["LOGIN_ACCOUNT_TOTAL_RATE_LIMIT"] = "20 per hour"  # 100 in the configuration
    username = clerk(limited)
    for n in range(24):  # more than the hour's 20 (and the minute's 5) for one account
        if n % 2:
            assert api_login(limited.test_client(), username, PASSWORD).status_code == 200, n
        else:
            signed_in = web_login(limited.test_client(), username, PASSWORD)
            assert signed_in.status_code == 302 and "/login" not in signed_in.location, n
    # Guessing is still stopped: five wrong passwords, then even the right one waits.
    client = limited.test_client()
    for _ in range(5):
        assert api_login(client, username).status_code == 401
    refused = api_login(client, username, PASSWORD)
    assert refused.get_json()["message"] in too_many(limited, refused)
    assert web_login(client, username, PASSWORD).status_code == 429


def test_failed_tries_count_even_between_correct_ones(limited):
    username = clerk(limited)
    for _ in range(2):
        assert web_login(limited.test_client(), username).status_code == 302  # wrong
        assert api_login(limited.test_client(), username, PASSWORD).status_code == 200
    for _ in range(3):
        assert api_login(limited.test_client(), username).status_code == 401
    assert api_login(limited.test_client(), username, PASSWORD).status_code == 429  # 5 wrong


def test_the_address_allowance_still_counts_correct_sign_ins(limited):
    limited.config["AUTH_RATE_LIMIT"] = "6 per minute"  # 30 in the configuration
    names = [clerk(limited) for _ in range(7)]
    for name in names[:6]:
        assert api_login(limited.test_client(), name, PASSWORD, OFFICE).status_code == 200
    assert api_login(limited.test_client(), names[6], PASSWORD, OFFICE).status_code == 429
