"""The web login form and the token API share one allowance (SECURITY_TESTS.md A2): attempts
through either count toward the same per-account-and-address, per-account and per-address
limits, so the API is no way to get more tries than the form gives, nor the reverse."""
from tests.integration.test_login_limits import (ELSEWHERE, OFFICE, api_login, too_many,
                                                 web_login)
from tests.support import PASSWORD, make_user


def refused_page(app, response) -> bool:
    """Whether ``response`` is the web form's 429 page, saying when to try again."""
    said, page = too_many(app, response), response.get_data(as_text=True)  # a 429
    return not response.is_json and any(text in page for text in said)


def refused_json(app, response) -> bool:
    """Whether ``response`` is the API's 429 answer: JSON whose ``message`` says when."""
    said = too_many(app, response)  # a 429
    return response.is_json and response.get_json().get("message") in said


def accounts(app, count: int = 2) -> list[str]:
    with app.app_context():
        return [make_user("Citizen", "130203").username for _ in range(count)]


def test_wrong_passwords_on_the_form_use_up_the_apis_tries(limited):
    username, other = accounts(limited)
    client = limited.test_client()
    for _ in range(3):
        assert web_login(client, username).status_code == 302  # back to the form
    for _ in range(2):
        assert api_login(client, username).status_code == 401
    assert refused_json(limited, api_login(client, username, PASSWORD))  # five in all
    assert refused_page(limited, web_login(client, username, PASSWORD))
    # Another account from the same address has its own five.
    assert api_login(client, other, PASSWORD).status_code == 200
    assert web_login(client, other, PASSWORD).status_code == 302


def test_wrong_passwords_on_the_api_use_up_the_forms_tries(limited):
    username, other = accounts(limited)
    client = limited.test_client()
    for _ in range(3):
        assert api_login(client, username).status_code == 401
    for _ in range(2):
        assert web_login(client, username).status_code == 302
    assert refused_page(limited, web_login(client, username, PASSWORD))
    assert refused_json(limited, api_login(client, username, PASSWORD))
    # The owner elsewhere is not locked out; another account here is not either.
    assert api_login(client, username, PASSWORD, ELSEWHERE).status_code == 200
    assert web_login(limited.test_client(), other, PASSWORD).status_code == 302


def test_the_accounts_total_counts_both_ways_in(limited):
    limited.config["LOGIN_ACCOUNT_TOTAL_RATE_LIMIT"] = "8 per hour"  # 100 in the configuration
    username, other = accounts(limited)
    client = limited.test_client()
    for n in range(4):  # each address well under its own five
        assert web_login(client, username, environ={"REMOTE_ADDR": f"10.9.0.{n + 1}"}
                         ).status_code == 302
        assert api_login(client, username, environ={"REMOTE_ADDR": f"10.9.1.{n + 1}"}
                         ).status_code == 401
    fresh = {"REMOTE_ADDR": "10.9.2.1"}
    assert refused_json(limited, api_login(client, username, PASSWORD, fresh))
    assert refused_page(limited, web_login(client, username, PASSWORD, fresh))
    assert api_login(client, other, PASSWORD, fresh).status_code == 200


def test_one_address_has_one_allowance_for_form_and_api(limited):
    limited.config["AUTH_RATE_LIMIT"] = "6 per minute"  # 30 in the configuration
    client = limited.test_client()
    for n in range(3):  # different names: only the address's count grows
        assert web_login(client, f"clerk-{n}").status_code == 302
        assert api_login(client, f"app-user-{n}").status_code == 401
    assert refused_json(limited, api_login(client, "app-user-3"))
    assert refused_page(limited, web_login(client, "clerk-3"))
    assert api_login(client, "app-user-3", environ=ELSEWHERE).status_code == 401
    assert web_login(client, "clerk-3", environ=ELSEWHERE).status_code == 302


def test_the_address_allowance_used_up_on_the_api_refuses_the_form(limited):
    limited.config["AUTH_RATE_LIMIT"] = "6 per minute"
    client = limited.test_client()
    for n in range(6):
        assert api_login(client, f"app-user-{n}", environ=OFFICE).status_code == 401
    assert refused_page(limited, web_login(client, "clerk-0"))
    assert web_login(client, "clerk-0", environ=ELSEWHERE).status_code == 302
