"""Coming back to the right page: after 大字版 or the language, "send code", verification."""
from urllib.parse import unquote

import pytest

from app.extensions import db
from app.models.user import BanshiUser
from tests.accounts_support import DEV_SECRET, english_client, valid_id
from tests.support import login
from tests.wizard_support import HB1, HB1_CODE, TANGSHAN, citizen, publish

MOBILE = "13800138000"


@pytest.mark.parametrize("referrer, back", [
    ("/account/sms-code", "/"),  # POST only, no parent page (it redirects to its form itself)
    ("/applications/3/materials/diagnosis", "/applications/3/materials"),
    ("/applications/3/materials/diagnosis/7/remove", "/applications/3/materials"),
    ("/applications/3/pages/kind/fields", "/applications/3/pages/kind"),
    ("/my/applications/5/withdraw", "/my/applications/5/withdraw"),  # its confirmation page
    ("/apply/x?region=130203", "/apply/x?region=130203"),  # answers GET: kept, query too
    ("http://localhost/me/", "/me/"),
    ("https://evil.example/me/", "/"),
    ("/no/such/page", "/"),
    (None, "/"),
])
@pytest.mark.parametrize("switch", ["/prefs/large-font", "/prefs/lang/en"])
def test_switching_returns_to_a_page_that_answers_get(client, switch, referrer, back):
    headers = {"Referer": referrer} if referrer else {}
    response = client.get(switch, headers=headers)
    assert response.status_code == 302
    location = response.headers["Location"].removeprefix("http://localhost")
    assert location == back
    assert client.get(location).status_code != 405


def test_send_code_redirects_to_its_form_keeping_what_was_typed(app):
    client = english_client(app)
    response = client.post("/account/sms-code", data={
        "mobile": MOBILE, "send_code": "register", "agreement": "y", "password": "secret123"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/account/register")
    page = client.get("/account/register").get_data(as_text=True)
    assert "we sent a text message to 138****8000" in page
    assert f'value="{MOBILE}"' in page and "checked" in page and "secret123" not in page
    # 大字版 on the form's page (now a GET) comes back to it, nothing typed lost
    switched = client.get("/prefs/large-font", headers={"Referer": "/account/register"},
                          follow_redirects=True)
    assert switched.request.path == "/account/register" and f'value="{MOBILE}"' in (
        switched.get_data(as_text=True))
    reset = client.get("/account/reset").get_data(as_text=True)  # another form: not refilled
    assert f'value="{MOBILE}"' not in reset


def test_a_refused_mobile_is_shown_once_with_its_message(app):
    client = english_client(app)
    client.post("/account/sms-code", data={"mobile": "1380013", "send_code": "reset"})
    page = client.get("/account/reset").get_data(as_text=True)
    assert 'value="1380013"' in page and "11 digits" in page
    again = client.get("/account/reset").get_data(as_text=True)
    assert 'value="1380013"' in again and "11 digits" not in again


def test_verifying_from_start_returns_to_the_item(app):
    with app.app_context():
        publish(HB1)
        user = citizen(verified=False)
        db.session.get(BanshiUser, user.id).first_name = ""
        db.session.commit()
        username = user.username
    client = english_client(app)
    login(client, username)
    item = f"/apply/{HB1_CODE}?region={TANGSHAN}"
    bare = client.post(f"/apply/{HB1_CODE}/start", data={"region": TANGSHAN})  # no Referer
    assert unquote(bare.headers["Location"]).endswith(f"next=/apply/{HB1_CODE}")
    response = client.post(f"/apply/{HB1_CODE}/start", data={"region": TANGSHAN},
                           headers={"Referer": f"http://localhost{item}"})
    verify = response.headers["Location"]
    assert verify.startswith("/identity/verify?next=") and unquote(verify).endswith(item)
    verified = client.post(verify, data={
        "name": "王建国", "id_number": valid_id("13020319800101001"), "method": "ec_password",
        "secret": DEV_SECRET})
    assert verified.status_code == 302 and verified.headers["Location"] == item
    assert client.get(item).status_code == 200
