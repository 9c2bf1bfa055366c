"""A draft is its citizen's until it is submitted (Application.__scope__) — for the platform
administrator too: Admin sees every region, not citizens' unsubmitted drafts and their files,
nor a clerk's counter draft (app.scoping)."""
from sqlalchemy import select

from app.extensions import db
from app.models.application import Attachment
from tests.applications_support import (BOB_ID, REGION, api_create, api_fill, clock,  # noqa: F401
                                        load_gd8, make_citizen, token)
from tests.support import login, make_user


def test_admin_does_not_see_drafts_until_they_are_submitted(app, ctx, clock):
    load_gd8()
    citizen_user = make_citizen()
    clerk_user = make_user("Reviewer", REGION, name="窗口张")
    admin_user = make_user("Admin")
    api = app.test_client()
    citizen, clerk = token(api, citizen_user.username), token(api, clerk_user.username)
    admin = token(api, admin_user.username)
    pk = api_create(api, citizen).get_json()["id"]
    api_fill(api, citizen, pk)
    file_id = db.session.scalar(select(Attachment.id).where(Attachment.application_id == pk))
    counter = api_create(api, clerk, subject={"name": "王大明", "id_number": BOB_ID},
                         identity_checked=True)
    assert counter.status_code == 201, counter.get_json()
    counter_pk = counter.get_json()["id"]
    web = app.test_client()
    assert login(web, admin_user.username).status_code == 302

    for url in (f"/api/v1/applications/{pk}", f"/api/v1/applications/{pk}/files/{file_id}",
                f"/api/v1/applications/{counter_pk}"):
        assert api.get(url, headers=admin).status_code == 404, url
    listed = api.get("/api/v1/applications/", headers=admin).get_json()["result"]
    assert {pk, counter_pk}.isdisjoint(row["id"] for row in listed)
    for url in (f"/review/applications/{pk}", f"/review/applications/{pk}/files/{file_id}",
                f"/review/applications/{counter_pk}"):
        assert web.get(url).status_code == 404, url
    assert api.get(f"/api/v1/applications/{counter_pk}", headers=clerk).status_code == 200

    submitted = api.post(f"/api/v1/applications/{pk}/submit",
                         headers={**citizen, "Idempotency-Key": "admin-scope"})
    assert submitted.status_code == 200, submitted.get_json()
    assert api.get(f"/api/v1/applications/{pk}", headers=admin).status_code == 200
    assert web.get(f"/review/applications/{pk}").status_code == 200
    assert web.get(f"/review/applications/{pk}/files/{file_id}").status_code == 200
