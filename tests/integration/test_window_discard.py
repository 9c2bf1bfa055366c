"""A counter draft (窗口代录) is discarded by the clerk who entered it — through the API's DELETE
and the counter pages' confirmed action — with its files, recorded with the clerk as actor;
nobody else may. Until then it keeps the citizen from closing their account; afterwards they
can. The counter pages also say whom each draft is for (masked) and when it was started."""
import io

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.application import Application, Attachment
from app.models.audit import AuditEvent
from app.storage import get_storage
from tests.applications_support import (BOB_ID, REGION, api_create, api_upload,  # noqa: F401
                                        clock, load_gd8, make_citizen, png_bytes, token)
from tests.support import PASSWORD, login, make_user

MASKED_ID = BOB_ID[:4] + "*" * 10 + BOB_ID[-4:]

BOB = {"name": "王大明", "id_number": BOB_ID}


@pytest.fixture
def counter(ctx, clock):
    """GD-8 published, Bob a verified citizen, a clerk at 天河区."""
    load_gd8()
    return make_citizen(BOB_ID, "王大明"), make_user("Reviewer", REGION, name="窗口张")


def scanned_draft(client, clerk) -> tuple[int, str]:
    """A counter draft for Bob with one scanned file; its id and the file's storage key."""
    created = api_create(client, clerk, subject=BOB, identity_checked=True)
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    assert api_upload(client, clerk, pk, "id_document").status_code == 201
    return pk, db.session.scalar(select(Attachment.storage_key).where(
        Attachment.application_id == pk))


def gone(pk: int, key: str) -> bool:
    db.session.expire_all()
    return db.session.get(Application, pk) is None and not get_storage().exists(key)


def test_the_clerk_deletes_a_counter_draft_through_the_api(counter, client):
    bob, clerk_user = counter
    clerk, citizen = token(client, clerk_user.username), token(client, bob.username)
    pk, key = scanned_draft(client, clerk)
    close = client.post("/api/v1/me/close", headers=citizen, json={"password": PASSWORD})
    assert close.status_code == 409  # the counter is entering one for Bob
    # Nobody but the clerk who entered it: the citizen and a colleague do not even see it.
    colleague = token(client, make_user("Reviewer", REGION).username)
    assert client.delete(f"/api/v1/applications/{pk}", headers=citizen).status_code == 404
    assert client.delete(f"/api/v1/applications/{pk}", headers=colleague).status_code == 404
    deleted = client.delete(f"/api/v1/applications/{pk}", headers=clerk)
    assert deleted.status_code == 200, deleted.get_json()
    assert deleted.get_json() == {"id": pk, "status": "deleted"}
    assert gone(pk, key)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "application.deleted"))
    assert event.actor_id == clerk_user.id and event.object_id == str(pk)
    closed = client.post("/api/v1/me/close", headers=citizen, json={"password": PASSWORD})
    assert closed.status_code == 200, closed.get_json()


def test_a_submitted_counter_application_is_not_deleted(counter, client):
    _, clerk_user = counter
    clerk = token(client, clerk_user.username)
    pk, _ = scanned_draft(client, clerk)
    db.session.get(Application, pk).submitted_at = db.session.get(Application, pk).created_at
    db.session.commit()  # sent once, returned since: no longer a draft to discard
    refused = client.delete(f"/api/v1/applications/{pk}", headers=clerk)
    assert refused.status_code == 409 and "撤回" in refused.get_json()["message"]  # withdraw


def test_the_counter_pages_discard_a_draft_after_confirming(counter, app, client):
    bob, clerk_user = counter
    pk, key = scanned_draft(client, token(client, clerk_user.username))
    web = app.test_client()
    assert login(web, clerk_user.username).status_code == 302
    listed = web.get("/review/window/").get_data(as_text=True)
    assert "王**" in listed and MASKED_ID in listed and BOB_ID not in listed
    assert f"/review/window/{pk}/discard" in listed
    materials = web.get(f"/review/window/{pk}/materials").get_data(as_text=True)
    assert "王**" in materials and f"/review/window/{pk}/discard" in materials
    asked = web.get(f"/review/window/{pk}/discard")
    assert asked.status_code == 200 and "王**" in asked.get_data(as_text=True)
    assert web.post(f"/review/window/{pk}/discard").status_code == 200  # unconfirmed: asks
    assert db.session.get(Application, pk) is not None
    other = app.test_client()
    assert login(other, make_user("Reviewer", REGION).username).status_code == 302
    assert other.post(f"/review/window/{pk}/discard", data={"confirmed": "1"}).status_code == 404
    done = web.post(f"/review/window/{pk}/discard", data={"confirmed": "1"})
    assert done.status_code == 303 and done.location.endswith("/review/window/")
    assert gone(pk, key)
    assert "王**" in web.get("/review/window/").get_data(as_text=True)  # the flash names Bob
    assert f"#{pk} " not in web.get("/review/window/").get_data(as_text=True)


def test_the_single_county_field_has_no_label_for_a_missing_control(counter, app):
    web = app.test_client()
    assert login(web, make_user("Reviewer", REGION).username).status_code == 302
    page = web.get("/review/window/").get_data(as_text=True)
    assert 'name="region"' in page
    assert 'for="w-region"' not in page or 'id="w-region"' in page
