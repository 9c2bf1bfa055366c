"""A NUL (or another C0 control character) anywhere in a request is a 400, never a 500: PostgreSQL
refuses it in any text value, so it used to reach a query as "A string literal cannot contain
NUL". One hook covers the path, query and form values; the APIs' JSON reader answers 422 at
the key, as any other invalid value."""
import pytest

from tests.applications_support import REGION, clock, load_gd8, make_citizen, token  # noqa: F401
from tests.support import login, make_user

#: (method, url, form) sent by each account, anonymous too.
ROUTES = [
    ("get", "/api/v1/catalog/?region=%00", None),
    ("get", "/api/v1/catalog/maternity_allowance?region=44%0006", None),
    ("get", "/captcha/%00.png", None),
    ("get", "/api/v1/reviews/?state=pending&item=%00", None),
    ("get", "/api/v1/formdefs/%00/versions?region=440000", None),
    ("get", "/api/v1/formdefs/x/versions?region=%00", None),
    ("post", "/api/v1/formdefs/x%00/publish?region=440000", None),
    ("get", "/auditlog/list/?_flt_0_region_code=%00", None),
    ("get", "/users/list/?_flt_0_username=%00", None),
    ("get", "/personmodelview/list/?_flt_0_name=%00", None),
    ("get", "/regionmodelview/list/?_flt_0_name=%00", None),
    ("get", "/regionmodelview/show/%00", None),
    ("get", "/apply/?region=44%0106&q=a%01b", None),
    ("get", "/api/v1/applications/?status=%00", None),
    ("post", "/users/add", {"username": "nul\x00x", "first_name": "x"}),
    ("post", "/login/", {"username": "a\x00b", "password": "x"}),
]


@pytest.fixture
def accounts(ctx, clock):
    load_gd8()
    return {"anonymous": None, "admin": make_user("Admin"),
            "reviewer": make_user("Reviewer", REGION),
            "citizen": make_citizen()}


@pytest.mark.parametrize("who", ["anonymous", "admin", "reviewer", "citizen"])
def test_control_characters_in_path_query_and_form_are_400(app, accounts, who):
    user = accounts[who]
    web, api = app.test_client(), app.test_client()
    headers = {}
    if user is not None:
        assert login(web, user.username).status_code == 302
        headers = token(api, user.username)
    for method, url, form in ROUTES:  # forms without a CSRF token: refused before its check
        client = api if url.startswith("/api/") else web
        response = getattr(client, method)(url, data=form, headers=headers)
        assert response.status_code == 400, (who, method, url, response.status_code)
        if url.startswith("/api/"):
            assert "NUL" in response.get_json()["message"]
    # A tab, line feed or carriage return is text, not refused.
    assert api.get("/api/v1/catalog/?region=440106&q=a%0Ab", headers=headers).status_code != 400


def test_a_json_body_with_nul_is_a_422_at_its_key(app, accounts):
    api = app.test_client()
    headers = token(api, accounts["citizen"].username)
    created = api.post("/api/v1/applications/", headers=headers,
                       json={"item": "maternity_allowance", "region": "4401\u000006"})
    assert created.status_code == 422 and "region" in created.get_json()["message"]
    assert list(created.get_json()["errors"]) == ["region"]
    created = api.post("/api/v1/applications/", headers=headers, json={
        "item": "maternity_allowance", "region": REGION})
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    saved = api.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                    json={"answers": {"bank_name": "中国\u0000银行", "note": "a\nb"}})
    assert saved.status_code == 422 and "answers.bank_name" in saved.get_json()["message"]
    assert saved.get_json()["errors"] == {"answers": {"bank_name": [saved.get_json()["message"]]}}
    fine = api.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                   json={"answers": {"bank_name": "中国\n银行"}})
    assert fine.status_code == 200
    english = api.put(f"/api/v1/applications/{pk}/answers?_l_=en", headers=headers,
                      json={"answers": {"x\u0001": "1"}})
    assert english.status_code == 422 and "control character" in english.get_json()["message"]
