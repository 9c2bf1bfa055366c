"""The reviews API: queues, decisions, status codes, scope, history with request ids, and one
journey end to end through the citizen API and the submit command."""
import uuid

from app.extensions import db
from app.models.application import Application
from app.validators import mask_name
from tests.applications_support import (ALICE_ID, api_create, api_fill, clock,  # noqa: F401
                                        gd8, token)
from tests.review_support import (HB1, LUBEI, LUNAN, SHIJIAZHUANG, TANGSHAN, fresh, hb1,  # noqa
                                  history, reviewer, submitted, workday_clock)
from tests.support import make_user

API = "/api/v1/reviews/"


def headers_for(client, user, **extra):
    return {**token(client, user.username), **extra}


def act(client, headers, application, verb, version=None, **body):
    version = fresh(application).lock_version if version is None else version
    return client.post(f"{API}{application.id}/{verb}", headers=headers,
                       json={"version": version, **body})


def test_queue_lists_masked_entries_with_a_keyset_cursor(hb1, client):
    first, second = submitted(HB1), submitted(HB1)
    county = headers_for(client, reviewer(LUBEI))
    response = client.get(f"{API}?state=pending&limit=1", headers=county)
    assert response.status_code == 200
    body = response.get_json()
    assert body["count"] == 2 and len(body["result"]) == 1 and body["next"]
    entry = body["result"][0]
    assert entry["id"] == first.id and entry["current_step"] == "accept"
    assert entry["step_name"] == "受理" and entry["step_region"] == LUBEI
    assert entry["version"] == fresh(first).lock_version and entry["item"] == HB1
    assert entry["subject"] == mask_name("测试人") and entry["step_deadline"] == "2026-03-05"
    following = client.get(f"{API}?state=pending&limit=1&after={body['next']}", headers=county)
    assert [e["id"] for e in following.get_json()["result"]] == [second.id]
    assert following.get_json()["next"] is None
    for query in ("state=everything", "after=nonsense", "limit=0", "colour=red"):
        assert client.get(f"{API}?{query}", headers=county).status_code == 400, query


def test_decisions_answer_200_409_403_422(hb1, client):
    application = submitted(HB1)
    county = headers_for(client, reviewer(LUBEI))
    stale = act(client, county, application, "approve", version=application.lock_version - 1)
    assert stale.status_code == 409 and stale.get_json()["message"]
    assert act(client, county, application, "refuse", comment="").status_code == 422
    response = act(client, county, application, "return", comment="请补正")
    assert response.status_code == 422 and "missing" in response.get_json()["errors"]
    assert client.post(f"{API}{application.id}/approve", headers=county,
                       json={"comment": "x"}).status_code == 422  # no version
    # A city reviewer sees the application (his subtree) but it is not his step.
    city = headers_for(client, reviewer(TANGSHAN))
    assert act(client, city, application, "approve").status_code == 403
    for region in (SHIJIAZHUANG, LUNAN):
        outsider = headers_for(client, reviewer(region))
        for verb in ("approve", "return", "refuse"):
            assert act(client, outsider, application, verb, comment="x",
                       missing={"fields": {"mobile": "x"}}).status_code == 403
        listed = client.get(f"{API}?state=pending", headers=outsider).get_json()
        assert listed == {"count": 0, "count_exact": True, "result": [], "next": None}
    assert act(client, county, application, "approve", version=10 ** 6).status_code == 409
    ok = act(client, county, application, "approve", comment="材料齐全")
    assert ok.status_code == 200
    assert ok.get_json() == {"status": "submitted", "current_step": "assess",
                             "version": fresh(application).lock_version, "cosign": None}
    done = client.get(f"{API}?state=done", headers=county).get_json()
    assert [e["id"] for e in done["result"]] == [application.id] and done["count"] == 1
    assert done["result"][0]["decision"] == "approve"
    assert client.post(f"{API}{10 ** 9}/approve", headers=county,
                       json={"version": 1}).status_code == 403  # as outside


def test_only_reviewers_may_use_it(hb1, client):
    application = submitted(HB1)
    assert client.get(API).status_code == 401
    for role, region in (("Citizen", LUBEI), ("RegionAdmin", LUBEI)):
        headers = headers_for(client, make_user(role, region))
        assert client.get(API, headers=headers).status_code == 403
        assert act(client, headers, application, "approve").status_code == 403


def test_history_rows_carry_who_when_region_step_and_request_id(hb1, client):
    application = submitted(HB1, subject_id_number=ALICE_ID)
    county = reviewer(LUBEI)
    request_id = uuid.uuid4().hex
    response = act(client, headers_for(client, county, **{"X-Request-ID": request_id}),
                   application, "return", comment=f"身份证{ALICE_ID}模糊",
                   missing={"fields": {"mobile": "号码无法接通"}})
    assert response.status_code == 200 and response.get_json()["status"] == "returned"
    [event] = history(application)
    assert (event.action, event.actor_id, event.region_code) == (
        "application.return", county.id, LUBEI)
    assert event.request_id == request_id and event.at is not None
    assert event.detail["step"] == "accept" and ALICE_ID not in str(event.detail)


def test_openapi_documents_the_reviews_api(hb1, client):
    admin = make_user("Admin")
    spec = client.get("/api/v1/_openapi", headers=headers_for(client, admin)).get_json()
    for path in ("/api/v1/reviews/", "/api/v1/reviews/{pk}/approve",
                 "/api/v1/reviews/{pk}/return", "/api/v1/reviews/{pk}/refuse"):
        assert path in spec["paths"], sorted(spec["paths"])
    assert "DecisionPostSchema" in spec["components"]["schemas"]


def test_journey_submit_return_resubmit_approve(gd8, client):
    """Citizen API → SubmitApplicationCommand → workflow.start → reviews → resume → 办结."""
    alice = token(client, gd8.username)
    created = api_create(client, alice)
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    api_fill(client, alice, pk)
    submit = lambda: client.post(f"/api/v1/applications/{pk}/submit",  # noqa: E731
                                 headers={**alice, "Idempotency-Key": uuid.uuid4().hex})
    assert submit().status_code == 200
    application = db.session.get(Application, pk)
    assert (application.current_step, application.step_region_code) == ("accept", "440106")
    county = headers_for(client, reviewer("440106"))
    city, city_2 = (headers_for(client, reviewer("440100")) for _ in range(2))
    assert [e["id"] for e in client.get(API, headers=county).get_json()["result"]] == [pk]
    returned = act(client, county, application, "return",
                   missing={"fields": {"mobile": "号码无法接通"}})
    assert returned.get_json()["status"] == "returned"
    fixed = client.put(f"/api/v1/applications/{pk}/answers", headers=alice,
                       json={"answers": {"mobile": "13900139000"}})
    assert fixed.status_code == 200, fixed.get_json()
    assert submit().status_code == 200
    application = fresh(application)
    assert (application.status, application.current_step, application.round) == (
        "submitted", "accept", 2)
    assert act(client, county, application, "approve").get_json()["current_step"] == "review"
    assert act(client, city, application, "approve").get_json() == {
        "status": "approved", "current_step": None, "version": fresh(application).lock_version,
        "cosign": None}
    assert act(client, city_2, application, "approve").status_code == 409  # closed
