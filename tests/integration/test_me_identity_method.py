"""POST /api/v1/me/identity names an unknown ``method`` among the payload's other problems:
it was told only once every other field was right (the command's check), and not at all
beside a shape error (app.api.me.schema)."""
from tests.accounts_support import DEV_SECRET
from tests.applications_support import ALICE_ID, clock, make_citizen, token  # noqa: F401

VERIFY = "/api/v1/me/identity"


def test_an_unknown_method_is_named_with_the_other_problems(ctx, clock, client):
    alice = token(client, make_citizen(verified=False).username)
    refused = client.post(f"{VERIFY}?_l_=en", json={"method": "x"}, headers=alice)
    assert refused.status_code == 422
    errors = refused.get_json()["errors"]
    assert errors["method"] == ["Choose how to verify your identity."]
    assert {"name", "id_number", "secret"} <= set(errors)
    chinese = client.post(VERIFY, json={"method": "x", "name": 7}, headers=alice).get_json()
    assert chinese["errors"]["method"] == ["请选择认证方式。"]
    assert chinese["errors"]["name"] == ["请输入文字。"]


def test_an_unknown_method_alone_is_named(ctx, clock, client):
    alice = token(client, make_citizen(verified=False).username)
    refused = client.post(f"{VERIFY}?_l_=en", headers=alice, json={
        "name": "林小红", "id_number": ALICE_ID, "method": "face", "secret": DEV_SECRET})
    assert refused.status_code == 422
    assert refused.get_json() == {"message": "Some of the information is not valid.",
                                  "errors": {"method": ["Choose how to verify your identity."]}}
