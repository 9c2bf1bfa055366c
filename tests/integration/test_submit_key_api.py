"""POST /applications/<id>/submit needs its Idempotency-Key (CONTRACT.md §4, SECURITY_TESTS E3):
without one it is 428 with a message naming the header and nothing is submitted."""
from app.extensions import db
from app.models.application import Application
from tests.applications_support import api_create, api_fill, clock, gd8, token  # noqa: F401

MISSING_EN = ("A submission needs an Idempotency-Key header: a key of your own of up to 100 "
              "printable ASCII characters, sent again unchanged when you retry the same "
              "submission.")


def test_a_submission_without_the_header_is_428_and_submits_nothing(gd8, client):
    alice = token(client, gd8.username)
    pk = api_create(client, alice).get_json()["id"]
    api_fill(client, alice, pk)
    refused = client.post(f"/api/v1/applications/{pk}/submit?_l_=en", headers=alice)
    assert (refused.status_code, refused.get_json()) == (428, {"message": MISSING_EN})
    chinese = client.post(f"/api/v1/applications/{pk}/submit", headers=alice)
    assert chinese.status_code == 428 and "Idempotency-Key" in chinese.get_json()["message"]
    assert "请求头" in chinese.get_json()["message"]
    db.session.expire_all()
    assert db.session.get(Application, pk).status == "draft"
    empty = client.post(f"/api/v1/applications/{pk}/submit?_l_=en",
                        headers={**alice, "Idempotency-Key": ""})
    assert (empty.status_code, empty.get_json()) == (
        400, {"message": "The Idempotency-Key header is not valid."})
    done = client.post(f"/api/v1/applications/{pk}/submit",
                       headers={**alice, "Idempotency-Key": f"k-{pk}"})
    assert done.status_code == 200 and done.get_json()["status"] == "submitted", done.get_json()


def test_another_citizens_application_tells_nothing_more_without_the_header(gd8, client):
    alice = token(client, gd8.username)
    pk = api_create(client, alice).get_json()["id"]
    missing = client.post(f"/api/v1/applications/{pk + 1000}/submit", headers=alice)
    assert missing.status_code == 428  # the header is checked before any application is read


def test_the_openapi_document_says_the_header_is_required(client):
    document = client.get("/api/v1/_openapi").get_json()
    submit = document["paths"]["/api/v1/applications/{pk}/submit"]["post"]
    header = next(p for p in submit["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and header["required"] is True
    assert header["schema"]["minLength"] == 1 and header["schema"]["maxLength"] == 100
    assert submit["responses"]["428"] == {"$ref": "#/components/responses/428"}
    assert "428" in document["components"]["responses"]
