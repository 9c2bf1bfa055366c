"""GET /api/v1/me/ and POST /api/v1/me/identity: a token-only client takes an unverified
citizen (as the README's demo `citizen`) through 实名认证 to their first application."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.user import BanshiUser
from tests.accounts_support import DEV_SECRET
from tests.applications_support import (ALICE_ID, BOB_ID, REGION, api_create, clock,  # noqa: F401
                                        load_gd8, make_citizen, token)
from tests.support import login, make_user

ME, VERIFY = "/api/v1/me/", "/api/v1/me/identity"
WRONG_CHECK = ALICE_ID[:-1] + ("0" if ALICE_ID[-1] != "0" else "1")


def details(secret=DEV_SECRET, **changes) -> dict:
    return {"name": "林小红", "id_number": ALICE_ID, "method": "ec_password", "secret": secret,
            **changes}


@pytest.fixture
def unverified(ctx, clock):
    """GD-8 published and Alice's account as the demo's: name and ID number, not verified."""
    load_gd8()
    return make_citizen(verified=False)


def verified_at(user_id):
    db.session.expire_all()
    return db.session.get(BanshiUser, user_id).identity_verified_at


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_an_unverified_citizen_verifies_and_applies_through_the_api(unverified, client):
    alice = token(client, unverified.username)
    me = client.get(ME, headers=alice)
    assert me.status_code == 200 and me.headers["Cache-Control"] == "no-store"
    facts = me.get_json()
    assert facts["needs_identity"] is True and facts["may_apply"] is False
    assert facts["identity_verified"] is False and facts["identity_verified_at"] is None
    assert facts["citizen"] is True and facts["roles"] == [{"code": "Citizen", "name": "参保人"}]
    assert (facts["region"], facts["region_name"]) == (REGION, "天河区")
    assert facts["name"] == "林小红" and facts["id_number"] == "4401**********0021"
    assert ALICE_ID not in me.get_data(as_text=True)  # masked as on /me
    assert facts["development_identity_secret"] == DEV_SECRET  # as the web form shows it
    assert api_create(client, alice).status_code == 403  # 请先完成实名认证再申请

    verified = client.post(VERIFY, json=details(id_number=ALICE_ID.lower()), headers=alice)
    assert verified.status_code == 200, verified.get_json()
    facts = verified.get_json()
    assert facts["identity_verified"] is True and facts["identity_method"] == "ec_password"
    assert facts["needs_identity"] is False and facts["may_apply"] is True
    assert facts["identity_method_name"].startswith("医保电子凭证")
    assert facts["identity_verified_at"] and "development_identity_secret" not in facts
    assert verified_at(unverified.id) is not None
    [event] = events("identity.verify")  # recorded as the web form records it
    assert event.actor_id == unverified.id and event.detail == {
        "method": "ec_password", "id_number": "4401**********0021"}
    assert client.get(ME, headers=alice).get_json()["identity_verified"] is True

    created = api_create(client, alice)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["status"] == "draft"


def test_a_wrong_secret_is_refused_as_a_whole_and_recorded(unverified, client):
    alice = token(client, unverified.username)
    refused = client.post(f"{VERIFY}?_l_=en", json=details(secret="654321"), headers=alice)
    assert refused.status_code == 422
    assert refused.get_json() == {  # no one field is at fault: no ``errors``
        "message": "The name, ID number and password do not match our records."}
    zh = client.post(VERIFY, json=details(secret="654321"), headers=alice).get_json()
    assert zh["message"] == "姓名、身份证号码与密码核验不一致。"
    assert verified_at(unverified.id) is None
    assert [e.detail["id_number"] for e in events("identity.refused")] == [
        "4401**********0021"] * 2


@pytest.mark.parametrize("changes, field, message", [
    ({"id_number": WRONG_CHECK}, "id_number", "check digit is wrong"),
    ({"id_number": "990105199003071234"}, "id_number", "province code"),
    ({"method": "sscard"}, "card_number", "A social security card number has 6 to 20"),
    ({"name": "  "}, "name", "Enter your full name."),
])
def test_bad_details_are_refused_on_their_field(unverified, client, changes, field, message):
    alice = token(client, unverified.username)
    refused = client.post(f"{VERIFY}?_l_=en", json=details(**changes), headers=alice)
    assert refused.status_code == 422
    body = refused.get_json()
    assert list(body["errors"]) == [field] and message in body["errors"][field][0]
    assert message in body["message"] and verified_at(unverified.id) is None


def test_the_social_security_card_verifies_with_its_number(unverified, client):
    alice = token(client, unverified.username)
    response = client.post(VERIFY, json=details(method="sscard", card_number="a1234 5678"),
                           headers=alice)
    assert response.status_code == 200 and response.get_json()["identity_method"] == "sscard"


def test_a_missing_or_malformed_payload_names_every_field(unverified, client):
    alice = token(client, unverified.username)
    response = client.post(VERIFY, json={"name": 7, "secret": "x" * 65, "status": "verified"},
                           headers=alice)
    assert response.status_code == 422
    assert response.get_json() == {"message": "部分信息有误。", "errors": {
        "name": ["请输入文字。"], "id_number": ["请输入身份证号码。"],
        "method": ["请选择认证方式。"], "secret": ["内容过长：最多64个字符。"],
        "status": ["此处不接受该字段。"]}}
    english = client.post(f"{VERIFY}?_l_=en", json={}, headers=alice).get_json()
    assert english["errors"]["name"] == ["Enter your full name."]
    assert english["errors"]["secret"] == ["Enter the password."]
    too_large = client.post(VERIFY, json={"name": "x" * 20000}, headers=alice)
    assert too_large.status_code == 413 and too_large.get_json()["message"]
    assert verified_at(unverified.id) is None


def test_an_id_number_held_by_another_account_is_refused(unverified, client):
    make_user(username="bob", id_number=BOB_ID)
    unverified.id_number = None  # an account holding one may verify only that one
    db.session.commit()
    alice = token(client, unverified.username)
    refused = client.post(f"{VERIFY}?_l_=en", json=details(id_number=BOB_ID), headers=alice)
    assert refused.status_code == 422
    body = refused.get_json()
    assert "already linked to another account" in body["message"]
    assert body["errors"] == {"id_number": [body["message"]]}
    assert verified_at(unverified.id) is None


def test_whether_a_number_has_an_account_is_told_only_to_its_verified_person(unverified, client):
    make_user(username="bob", id_number=BOB_ID)
    unverified.id_number = None
    db.session.commit()
    alice = token(client, unverified.username)
    for wrong in ({"secret": "x"}, {"name": "随便", "secret": "x"}):
        refused = client.post(VERIFY, json=details(id_number=BOB_ID, **wrong), headers=alice)
        assert refused.status_code == 422
        assert refused.get_json() == {"message": "姓名、身份证号码与密码核验不一致。"}
    assert [e.detail.get("reason") for e in events("identity.refused")] == [None, None]


def test_a_verified_citizen_gets_409(ctx, clock, client):
    alice = token(client, make_citizen().username)
    response = client.post(f"{VERIFY}?_l_=en", json=details(), headers=alice)
    assert response.status_code == 409
    assert response.get_json() == {"message": "Your identity is already verified."}
    assert client.post(VERIFY, json={}, headers=alice).get_json() == {
        "message": "您已完成实名认证。"}


@pytest.mark.parametrize("role, region", [("Reviewer", "130200"), ("RegionAdmin", "130200"),
                                          ("Admin", None)])
def test_staff_read_their_account_and_cannot_verify(ctx, client, role, region):
    staff = token(client, make_user(role, region, name="王五").username)
    facts = client.get(f"{ME}?_l_=en", headers=staff).get_json()
    assert facts["citizen"] is False and facts["needs_identity"] is False
    assert facts["may_apply"] is False and facts["region"] == region
    assert facts["name"] == "王五" and facts["roles"][0]["code"] == role
    refused = client.post(f"{VERIFY}?_l_=en", json=details(), headers=staff)
    assert refused.status_code == 403
    assert refused.get_json()["message"] in (
        "You do not have permission to do this.",  # no permission (Reviewer, RegionAdmin)
        "Real-name verification is for citizens' accounts. Staff accounts are managed by "
        "their administrator.")  # Admin holds every permission
    assert not events("identity.verify") and not events("identity.refused")


def test_without_a_token_the_answer_is_401(ctx, client):
    for response in (client.get(ME), client.post(VERIFY, json=details())):
        assert response.status_code == 401
    assert not events("identity.refused")


def test_the_openapi_document_describes_the_account_api(ctx, client):
    admin = token(client, make_user("Admin").username)
    spec = client.get("/api/v1/_openapi", headers=admin).get_json()
    paths = {p.removeprefix("/api/v1"): v for p, v in spec["paths"].items()}
    assert "get" in paths["/me/"] and "post" in paths["/me/identity"]
    assert set(paths["/me/identity"]["post"]["responses"]) >= {"200", "403", "409", "422", "429"}
    payload = spec["components"]["schemas"]["IdentityPostSchema"]
    assert set(payload["required"]) == {"name", "id_number", "method", "secret"}
    assert "needs_identity" in spec["components"]["schemas"]["MeSchema"]["properties"]


# ---- the rate limit of the web form, counted with the API's ----------------------------------

def test_failed_attempts_are_limited_with_the_web_forms(limited):
    with limited.app_context():
        load_gd8()
        user_id, username = (lambda u: (u.id, u.username))(make_citizen(verified=False))
        other = make_citizen(BOB_ID, "王小明", verified=False).username
    web, api = limited.test_client(), limited.test_client()
    login(web, username)
    alice, bob = token(api, username), token(api, other)
    for _ in range(5):  # five failures through the web form …
        page = web.post("/identity/verify", data=details(secret="000000"))
        assert page.status_code == 200
    for _ in range(5):  # … and five through the API make the hour's ten
        assert api.post(VERIFY, json=details(secret="000000"), headers=alice).status_code == 422
    refused = api.post(f"{VERIFY}?_l_=en", json=details(), headers=alice)  # even the right one
    assert refused.status_code == 429 and 3500 < int(refused.headers["Retry-After"]) <= 3600
    assert refused.get_json()["message"].startswith("Too many attempts. Try again in")
    assert web.post("/identity/verify", data=details()).status_code == 429
    assert api.get(ME, headers=alice).status_code == 200  # reading the account is not limited
    with limited.app_context():
        assert verified_at(user_id) is None
    # Another account is counted apart, and a success does not count.
    ok = api.post(VERIFY, json=details(name="王小明", id_number=BOB_ID), headers=bob)
    assert ok.status_code == 200


def test_applying_unverified_says_where_to_verify_over_the_api(unverified, client):
    """The 403 names POST /api/v1/me/identity, in words and as ``action``, as documented."""
    alice = token(client, unverified.username)
    refused = api_create(client, {**alice, "Accept-Language": "en"})
    assert refused.status_code == 403
    body = refused.get_json()
    assert body["action"] == {"method": "POST", "path": VERIFY}
    assert VERIFY in body["message"] and "Verify your identity" in body["message"]
    zh = api_create(client, alice).get_json()
    assert zh["action"]["path"] == VERIFY and "实名认证" in zh["message"] and VERIFY in zh["message"]
    document = client.get("/api/v1/_openapi").get_json()
    forbidden = document["paths"]["/api/v1/applications/"]["post"]["responses"]["403"]
    assert "action" in document["components"]["schemas"]["RefusedSchema"]["properties"]
    assert forbidden["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RefusedSchema"}
