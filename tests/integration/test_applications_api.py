"""The applications API end to end (CONTRACT.md §4): GD-8 through the API alone. Its safeguards
(stale saves, idempotency, scoping, mass assignment, pinned versions, concurrent submits, list
arguments) are in test_applications_api_guards.py."""
import re

from sqlalchemy import func, select

from app.extensions import db
from app.models.application import Application
from tests.applications_support import (ALICE_ID, BOB_ID, CODE, REGION, api_create,  # noqa: F401
                                        api_fill, clock, gd8, make_citizen, token)
from tests.support import counted_queries, make_user


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def submit(client, headers, pk, key="k-1", body=None):
    return client.post(f"/api/v1/applications/{pk}/submit", json=body,
                       headers={**headers, "Idempotency-Key": key})


def test_gd8_from_login_to_submitted_through_the_api(gd8, client):
    alice = token(client, gd8.username)
    catalog = client.get(f"/api/v1/catalog/{CODE}?region={REGION}").get_json()
    created = api_create(client, alice)
    assert created.status_code == 201
    body = created.get_json()
    assert body["status"] == "draft" and body["serial"] is None
    pk = body["id"]
    first = client.put(f"/api/v1/applications/{pk}/answers", headers=alice,
                       json={"answers": {"mobile": "13800138000"}, "page": "insured"})
    assert first.status_code == 200 and first.get_json()["errors"] == {}
    api_fill(client, alice, pk)
    submitted = submit(client, alice, pk)
    assert submitted.status_code == 200, submitted.get_json()
    assert submitted.get_json() == {"id": pk, "status": "submitted",
                                    "serial": f"{REGION}-20261120-00001"}
    shown = client.get(f"/api/v1/applications/{pk}?_l_=en", headers=alice).get_json()
    assert shown["status"] == "submitted" and shown["current_step"] == "accept"
    assert shown["step_name"] == "Acceptance" and shown["deadline"] == "2026-12-04"
    assert shown["version"] == catalog["version"]
    assert shown["answers"]["id_number"] == ALICE_ID  # the owner sees her own data
    actions = [h["action"] for h in shown["history"]]
    assert actions[0] == "application.created" and actions[-1] == "application.submitted"
    assert len(shown["materials"]) == 3
    download = client.get(shown["materials"][0]["url"], headers=alice)
    assert download.status_code == 200 and download.data[:4] == b"\x89PNG"
    listed = client.get("/api/v1/applications/", headers=alice).get_json()
    assert listed["count"] == 1 and listed["result"][0]["serial"] == shown["serial"]


def test_submit_reads_no_role_permission_or_calendar_table(gd8, client):
    """The public role is answered from app.roles, the calendar from the process cache."""
    alice = token(client, gd8.username)
    first, second = (api_create(client, alice).get_json()["id"] for _ in range(2))
    for pk in (first, second):
        api_fill(client, alice, pk)
    assert submit(client, alice, first).status_code == 200  # the calendar is read once
    with counted_queries() as statements:
        assert submit(client, alice, second, key="k-2").status_code == 200
    read = re.compile(r"\bFROM (ab_role|ab_permission\w*|ab_view_menu|calendar_\w+)\b")
    assert not [s for s in statements if read.search(s)]
    assert len(statements) <= 9, statements


def test_submit_422_names_each_field_and_material(gd8, client):
    alice = token(client, gd8.username)
    pk = api_create(client, alice).get_json()["id"]
    client.put(f"/api/v1/applications/{pk}/answers", headers=alice,
               json={"answers": {"mobile": "123", "leave_type": "maternity"}})
    response = client.post(f"/api/v1/applications/{pk}/submit?_l_=en",
                           headers={**alice, "Idempotency-Key": "k-422"})
    assert response.status_code == 422
    body = response.get_json()
    assert body["message"] == "Some of the information is not valid."
    assert body["errors"]["employer_name"] == ["Answer this question."]
    assert body["errors"]["materials.birth_certificate"] == ["Upload this material."]
    assert "mobile" in body["errors"] and "_notice" in body["errors"]


def test_a_clerk_enters_an_application_for_a_walk_in_citizen(gd8, client):
    # More in test_applications_api_window.py: the API goes through WindowEntryCommand.
    clerk = make_user("Reviewer", REGION)
    headers = token(client, clerk.username)
    walk_in = {"name": "林小红", "id_number": ALICE_ID}
    created = api_create(client, headers, subject=walk_in, identity_checked=True)
    assert created.status_code == 201, created.get_json()
    application = db.session.get(Application, created.get_json()["id"])
    assert (application.channel, application.entered_by_id, application.applicant_id) == (
        "window", clerk.id, gd8.id)  # Alice's own account, not the clerk's
    assert application.subject_id_number == ALICE_ID and application.subject_verified_at
    assert api_create(client, headers, identity_checked=True).status_code == 422  # whom for?
    assert api_create(client, headers, subject=walk_in).status_code == 422  # card not checked
    outside = token(client, make_user("Reviewer", "130203").username)
    assert api_create(client, outside, subject=walk_in, identity_checked=True).status_code == 403


def test_withdraw_through_the_api(gd8, client):
    alice = token(client, gd8.username)
    pk = api_create(client, alice).get_json()["id"]
    api_fill(client, alice, pk)  # a draft is deleted instead (test_api_draft_withdraw_and_filer)
    assert submit(client, alice, pk).status_code == 200
    response = client.post(f"/api/v1/applications/{pk}/withdraw", headers=alice,
                           json={"reason": "不办了"})
    assert response.get_json() == {"id": pk, "status": "withdrawn"}
    again = client.post(f"/api/v1/applications/{pk}/withdraw?_l_=en", headers=alice)
    assert again.status_code == 409  # the status rules it out: a conflict, not a permission
    assert again.get_json() == {"message": "This application is already withdrawn."}


def test_a_draft_is_deleted_through_the_api_by_its_owner_only(gd8, client):
    from app.models.application import Attachment
    from app.storage import get_storage

    alice = token(client, gd8.username)
    pk = api_create(client, alice).get_json()["id"]
    api_fill(client, alice, pk)
    keys = set(db.session.scalars(select(Attachment.storage_key).where(
        Attachment.application_id == pk)))
    bob = token(client, make_citizen(BOB_ID, "王大明").username)
    assert client.delete(f"/api/v1/applications/{pk}", headers=bob).status_code == 404  # B1
    response = client.delete(f"/api/v1/applications/{pk}", headers=alice)
    assert response.status_code == 200 and response.get_json() == {"id": pk, "status": "deleted"}
    assert client.get(f"/api/v1/applications/{pk}", headers=alice).status_code == 404
    assert keys and not keys & set(get_storage().keys())
    submitted = api_create(client, alice).get_json()["id"]
    api_fill(client, alice, submitted)
    assert client.post(f"/api/v1/applications/{submitted}/submit", headers={
        **alice, "Idempotency-Key": "del"}).status_code == 200
    refused = client.delete(f"/api/v1/applications/{submitted}", headers=alice)
    assert refused.status_code == 409 and refused.is_json
