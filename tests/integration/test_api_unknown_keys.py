"""Unknown top-level keys of the applications API's and /me/identity's JSON bodies are refused
(422, each key named in the request's language); the reviews API's decision body ignores them."""
from sqlalchemy import func, select

from app.extensions import db
from app.models.application import Application
from tests.accounts_support import DEV_SECRET
from tests.applications_support import (ALICE_ID, BOB_ID, CODE, REGION, api_create,
                                        clock, gd8, make_citizen, token)  # noqa: F401

NOT_TAKEN = {"zh": "此处不接受该字段。", "en": "This field is not accepted here."}


def applications() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Application))


def test_a_new_application_with_an_unknown_key_is_refused_naming_it(gd8, client):
    alice = token(client, gd8.username)
    typo = api_create(client, alice, filler="agent", answers={"mobile": "13800138000"})
    assert typo.status_code == 422
    assert typo.get_json() == {"message": "部分信息有误。", "errors": {
        "filler": [NOT_TAKEN["zh"]], "answers": [NOT_TAKEN["zh"]]}}
    english = client.post("/api/v1/applications/?_l_=en", headers=alice, json={
        "item": CODE, "region": REGION, "bogus": 1})
    assert english.status_code == 422
    assert english.get_json()["errors"] == {"bogus": [NOT_TAKEN["en"]]}
    assert applications() == 0
    # FAB's locale argument is still taken in a body, and a body otherwise malformed is a 422
    # (a wrong type is a validation error too) with the unknown key among its problems.
    assert api_create(client, alice, _l_="en").status_code == 201
    malformed = api_create(client, alice, filer=5, filler="agent")
    assert malformed.status_code == 422
    assert set(malformed.get_json()["errors"]) == {"filer", "filler"}
    assert applications() == 1


def test_saving_answers_refuses_unknown_top_level_keys_only(gd8, client):
    alice = token(client, gd8.username)
    pk = api_create(client, alice).get_json()["id"]
    url = f"/api/v1/applications/{pk}/answers"
    refused = client.put(f"{url}?_l_=en", headers=alice, json={
        "answers": {"mobile": "13800138000"}, "anwsers": {"mobile": "13900139000"}})
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"anwsers": [NOT_TAKEN["en"]]}
    db.session.expire_all()
    assert db.session.get(Application, pk).answers == {}
    # Inside answers an unknown key stays informative: saved around, named in warnings.
    saved = client.put(url, headers=alice, json={"answers": {"mobile": "13800138000",
                                                             "nickname": "x"}})
    assert saved.status_code == 200 and "nickname" in saved.get_json()["warnings"]
    assert db.session.get(Application, pk).answers == {"mobile": "13800138000"}


def test_withdrawing_refuses_an_unknown_key_and_another_citizens_is_still_404(gd8, client):
    alice = token(client, gd8.username)
    pk = api_create(client, alice).get_json()["id"]
    url = f"/api/v1/applications/{pk}/withdraw"
    bob = token(client, make_citizen(BOB_ID, "王大明").username)
    assert client.post(url, headers=bob, json={"resaon": "x"}).status_code == 404
    refused = client.post(url, headers=alice, json={"resaon": "不办了"})
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"resaon": [NOT_TAKEN["zh"]]}
    db.session.expire_all()
    application = db.session.get(Application, pk)
    assert application.status == "draft"
    application.status, application.submitted_at = "submitted", application.created_at
    db.session.commit()  # a draft is deleted, not withdrawn (test_api_draft_withdraw_and_filer)
    assert client.post(url, headers=alice, json={"reason": "不办了"}).status_code == 200


def test_the_openapi_document_says_which_bodies_refuse_unknown_keys(gd8, client):
    spec = client.get("/api/v1/_openapi").get_json()
    schemas = spec["components"]["schemas"]
    for name in ("ApplicationPostSchema", "AnswersPutSchema", "WithdrawPostSchema",
                 "IdentityPostSchema"):
        assert schemas[name]["additionalProperties"] is False, name
    assert "additionalProperties" not in schemas["DecisionPostSchema"]
    assert "ignored" in schemas["DecisionPostSchema"]["description"]
    paths = spec["paths"]
    create = paths["/api/v1/applications/"]["post"]["description"]
    assert "Unknown keys" in create and "422" in create
    for step in ("approve", "return", "refuse"):
        body = paths[f"/api/v1/reviews/{{pk}}/{step}"]["post"]["requestBody"]
        assert "ignored" in body["description"], step


def test_identity_verification_refuses_an_unknown_key(ctx, clock, client):
    alice = make_citizen(verified=False)
    headers = token(client, alice.username)
    details = {"name": "林小红", "id_number": ALICE_ID, "method": "ec_password",
               "secret": DEV_SECRET}
    refused = client.post("/api/v1/me/identity?_l_=en", headers=headers,
                          json={**details, "identity_verified_at": "2020-01-01"})
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"identity_verified_at": [NOT_TAKEN["en"]]}
    db.session.expire_all()
    assert db.session.get(type(alice), alice.id).identity_verified_at is None
    assert client.post("/api/v1/me/identity", headers=headers, json=details).status_code == 200
