"""Error pages: a translated title and explanation, when to try again, the visitor's layout."""
import re

from tests.accounts_support import english_client, send_code
from tests.security_support import user_client


def heading(html: str) -> str:
    match = re.search(r'id="error-title">([^<]+)<', html)
    assert match, "no error heading"
    return match.group(1)


def test_a_missing_page_has_a_translated_title_not_a_bare_code(app, client):
    response = client.get("/no/such/page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and heading(html) == "页面不存在"
    assert "<title>页面不存在 · 办事</title>" in html and "错误代码：404" in html
    english = english_client(app).get("/no/such/page").get_data(as_text=True)
    assert heading(english) == "Page not found" and "Error code: 404" in english
    assert "<title>Page not found · banshi</title>" in english  # the brand in the page's language


def test_a_get_on_a_post_only_url_is_explained(app):
    html = english_client(app).get("/account/sms-code").get_data(as_text=True)
    assert heading(html) == "Not possible here" and "not allowed here" in html


def test_too_many_attempts_says_when_to_try_again(limited):
    client = english_client(limited)
    for n in range(10):
        send_code(client, f"1380013{n:04d}")
    refused = client.post("/account/sms-code", data={"mobile": "13800139999",
                                                    "send_code": "register"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429 and heading(html) == "Too many attempts"
    wait = int(refused.headers["Retry-After"])
    assert 3500 < wait <= 3600  # "10 per hour": the hour's window, less the seconds gone
    assert re.search(r"Too many attempts\. Try again in \d+ minutes\.", html)
    as_json = client.post("/account/sms-code", data={"mobile": "13800139998",
                                                    "send_code": "register"},
                          headers={"Accept": "application/json"})
    assert "Try again in" in as_json.get_json()["message"]


def test_staff_errors_keep_the_staff_layout_and_citizens_the_citizen_one(app):
    _, _, staff = user_client(app, "Reviewer", "130200")
    html = staff.get("/review/applications/999999").get_data(as_text=True)
    assert "navbar" in html and "banshi.css" not in html and heading(html)
    missing = staff.get("/no/such/page")
    assert missing.status_code == 404 and "navbar" in missing.get_data(as_text=True)
    _, _, citizen = user_client(app, "Citizen", "130203")
    html = citizen.get("/no/such/page").get_data(as_text=True)
    assert "banshi.css" in html and "navbar" not in html and heading(html) == "页面不存在"
