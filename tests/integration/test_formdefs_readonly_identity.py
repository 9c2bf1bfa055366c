"""Read-only identity fields (``prefill: person.…`` + ``readonly``) never take what was typed.

With no registry record, the name and ID number are the ones verified for the application (the
account's own for a self filer); with none verified either, they stay empty and submission says
where they come from — a request cannot put someone else's name and ID number before a reviewer.
"""
from app.extensions import db
from app.models.application import Application
from app.models.base import utcnow
from tests.applications_support import (ALICE_ID, BOB_ID, FORMDEFS, GD8_ANSWERS,  # noqa: F401
                                        GD8_REQUIRED_MATERIALS, REGION, api_create, api_upload,
                                        clock, load_gd8, make_citizen, token)
from tests.support import make_user

SOMEONE_ELSE = {"name": "别人", "id_number": "11010519491231002X"}
NOT_KNOWN = ("This is filled in from the insured-person registry or your verified identity, and "
             "neither gives it: verify your identity or ask the agency.")


def submit(client, headers, pk):
    return client.post(f"/api/v1/applications/{pk}/submit?_l_=en", json=None,
                       headers={**headers, "Idempotency-Key": f"k-{pk}"})


def test_a_citizen_not_in_the_registry_cannot_type_another_identity(ctx, clock, client):
    load_gd8()
    alice = make_user("Citizen", REGION, name="林小红", id_number=ALICE_ID)  # no registry record
    alice.identity_verified_at = utcnow()
    db.session.commit()
    headers = token(client, alice.username)
    pk = api_create(client, headers).get_json()["id"]
    saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                       json={"answers": {**GD8_ANSWERS, **SOMEONE_ELSE}})
    assert saved.status_code == 200, saved.get_json()
    for key in GD8_REQUIRED_MATERIALS:
        assert api_upload(client, headers, pk, key).status_code == 201
    assert submit(client, headers, pk).status_code == 200
    stored = db.session.get(Application, pk).answers
    assert (stored["name"], stored["id_number"]) == ("林小红", ALICE_ID)  # her verified identity


def test_with_no_record_and_no_verified_subject_submission_says_what_is_missing(ctx, clock,
                                                                                client):
    load_gd8(FORMDEFS / "440000-guangdong" / "resident_info_change.yaml")  # self or agent
    alice = make_citizen()
    headers = token(client, alice.username)
    created = api_create(client, headers, item="resident_info_change", filer="agent",
                         subject={"name": "王大明", "id_number": BOB_ID},  # not in the registry
                         agent={"relationship": "04", "address": "广州市天河区天河路1号"})
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    saved = client.put(f"/api/v1/applications/{pk}/answers?_l_=en", headers=headers,
                       json={"answers": {"cert_type": "01", **SOMEONE_ELSE}})
    assert saved.status_code == 200
    assert saved.get_json()["errors"]["name"] == [NOT_KNOWN]
    response = submit(client, headers, pk)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["name"] == [NOT_KNOWN] and errors["cert_type"] == [NOT_KNOWN]
    db.session.expire_all()
    assert db.session.get(Application, pk).status == "draft"  # nothing reached a reviewer
