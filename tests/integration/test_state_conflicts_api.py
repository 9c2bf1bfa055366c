"""An action the application's status rules out is 409 Conflict with the reason, not 403.

403 stays for what the caller may never do (not the owner, outside the reviewer's steps).
"""
from tests.applications_support import (api_create, api_fill, api_upload, clock, gd8,  # noqa: F401
                                        token)

ALREADY = "This application has already been submitted."
NOT_EDITABLE = "This application can no longer be changed."


def submitted(client, headers) -> int:
    pk = api_create(client, headers).get_json()["id"]
    api_fill(client, headers, pk)
    response = client.post(f"/api/v1/applications/{pk}/submit",
                           headers={**headers, "Idempotency-Key": f"first-{pk}"})
    assert response.status_code == 200, response.get_json()
    return pk


def test_a_second_submission_with_a_new_key_is_a_conflict(gd8, client):
    alice = token(client, gd8.username)
    pk = submitted(client, alice)
    again = client.post(f"/api/v1/applications/{pk}/submit?_l_=en",
                        headers={**alice, "Idempotency-Key": "second"})
    assert (again.status_code, again.get_json()) == (409, {"message": ALREADY})


def test_changing_a_submitted_application_is_a_conflict(gd8, client):
    alice = token(client, gd8.username)
    pk = submitted(client, alice)
    answers = client.put(f"/api/v1/applications/{pk}/answers?_l_=en", headers=alice,
                         json={"answers": {"mobile": "13800138000"}})
    assert (answers.status_code, answers.get_json()["message"]) == (409, NOT_EDITABLE)
    upload = api_upload(client, alice, pk, "birth_certificate")
    assert upload.status_code == 409


def test_another_citizen_is_still_refused_not_told_of_a_conflict(gd8, client):
    from tests.applications_support import BOB_ID, make_citizen

    alice = token(client, gd8.username)
    pk = submitted(client, alice)
    bob = token(client, make_citizen(BOB_ID, "王小明").username)
    response = client.post(f"/api/v1/applications/{pk}/submit",
                           headers={**bob, "Idempotency-Key": "bob"})
    assert response.status_code in (403, 404)  # never 409: that would confirm its state
