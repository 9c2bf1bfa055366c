"""Window entry (窗口代录) through the applications API: the same WindowEntryCommand as the counter
pages — identity checked at the counter, channel ``window``, the clerk recorded, the citizen's
account or a placeholder they claim at 实名认证 — and the clerk acting as the citizen only on
that open application."""
import pytest
from sqlalchemy import select

from app.commands.identity import VerifyIdentityCommand
from app.extensions import db
from app.models.application import Application, Attachment
from app.models.audit import AuditEvent
from app.models.user import BanshiUser
from tests.applications_support import (ALICE_ID, BOB_ID, GD8_ANSWERS, REGION, api_create,
                                        api_fill, api_upload, clock, load_gd8,  # noqa: F401
                                        make_citizen, make_person, token)
from tests.support import make_user

WALK_IN = {"name": "林小红", "id_number": ALICE_ID}
ANSWERS = {**GD8_ANSWERS, "account_holder": "林小红"}


@pytest.fixture
def counter(ctx, clock):
    """GD-8 published, Alice in the person registry (no account), a clerk at 天河区."""
    load_gd8()
    make_person(ALICE_ID, "林小红")
    return make_user("Reviewer", REGION, name="窗口张")


def fresh(pk: int) -> Application:
    db.session.expire_all()
    return db.session.get(Application, pk)


def submit(client, headers, pk, key="window-1"):
    return client.post(f"/api/v1/applications/{pk}/submit",
                       headers={**headers, "Idempotency-Key": key})


def test_a_clerk_files_submits_and_the_citizen_claims_it_later(counter, client):
    clerk = token(client, counter.username)
    unchecked = api_create(client, clerk, subject=WALK_IN)
    assert unchecked.status_code == 422 and "identity_checked" in unchecked.get_json()["errors"]
    assert db.session.scalar(select(Application.id)) is None
    created = api_create(client, clerk, subject={**WALK_IN, "id_number": ALICE_ID.lower()},
                         identity_checked=True)
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    application = fresh(pk)
    assert (application.channel, application.entered_by_id, application.subject_id_number,
            application.subject_name) == ("window", counter.id, ALICE_ID, "林小红")
    holder = db.session.get(BanshiUser, application.applicant_id)
    assert holder.id != counter.id and holder.id_number == ALICE_ID
    assert not holder.active and holder.password is None and holder.identity_method == "window"
    entry = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "application.window_entry"))
    assert entry.actor_id == counter.id and entry.detail["identity_checked"] is True
    assert entry.detail["account"] == "placeholder" and ALICE_ID not in str(entry.detail)

    api_fill(client, clerk, pk, ANSWERS)  # the clerk fills and scans as the citizen
    files = list(db.session.scalars(select(Attachment).where(Attachment.application_id == pk)))
    assert len(files) == 3 and {(f.owner_id, f.uploaded_by_id) for f in files} == {
        (holder.id, counter.id)}
    submitted = submit(client, clerk, pk)
    assert submitted.status_code == 200, submitted.get_json()
    assert submit(client, clerk, pk).get_json() == submitted.get_json()  # a retry replays
    application = fresh(pk)
    assert application.status == "submitted" and application.serial == submitted.get_json()[
        "serial"]
    assert (application.current_step, application.step_region_code) == ("accept", REGION)
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "application.submitted"))
    assert event.actor_id == counter.id  # history names the clerk
    # Submitted: the clerk reads it like any staff member, no longer changes it.
    assert client.put(f"/api/v1/applications/{pk}/answers", headers=clerk,
                      json={"answers": {"mobile": "13900000000"}}).status_code == 403
    assert client.get(f"/api/v1/applications/{pk}", headers=clerk).status_code == 200

    citizen = make_user("Citizen", None, mobile="13912345678")
    VerifyIdentityCommand(citizen, "林小红", ALICE_ID, "ec_password", "123456").run()
    listed = client.get("/api/v1/applications/", headers=token(client, citizen.username))
    assert [row["id"] for row in listed.get_json()["result"]] == [pk]


def test_an_existing_account_is_used_and_must_match_the_name(counter, client):
    bob = make_citizen(BOB_ID, "王大明")
    clerk = token(client, counter.username)
    wrong = api_create(client, clerk, subject={"name": "王小明", "id_number": BOB_ID},
                       identity_checked=True)
    assert wrong.status_code == 422 and "subject.name" in wrong.get_json()["errors"]
    right = api_create(client, clerk, subject={"name": "王大明", "id_number": BOB_ID},
                       identity_checked=True)
    assert right.status_code == 201
    application = fresh(right.get_json()["id"])
    assert (application.applicant_id, application.channel) == (bob.id, "window")
    # The counter draft is the clerk's: Bob finds it in his own list once it is submitted.
    mine = client.get("/api/v1/applications/", headers=token(client, bob.username)).get_json()
    assert [row["id"] for row in mine["result"]] == []


def test_what_a_clerk_may_not_do(counter, client):
    clerk = token(client, counter.username)
    assert api_create(client, clerk, identity_checked=True).status_code == 422  # whom for?
    bad_number = api_create(client, clerk, identity_checked=True,
                            subject={"name": "林小红", "id_number": "44010619900101002X"})
    assert bad_number.status_code == 422 and "subject.id_number" in bad_number.get_json()[
        "errors"]
    agent = api_create(client, clerk, filer="agent", subject=WALK_IN, identity_checked=True)
    assert agent.status_code == 422 and "filer" in agent.get_json()["errors"]
    outside = token(client, make_user("Reviewer", "130203").username)
    assert api_create(client, outside, subject=WALK_IN, identity_checked=True).status_code == 403
    supervisor = token(client, make_user("RegionAdmin", REGION).username)
    assert api_create(client, supervisor, subject=WALK_IN,
                      identity_checked=True).status_code == 403  # no window entry
    assert db.session.scalar(select(Application.id)) is None

    pk = api_create(client, clerk, subject=WALK_IN, identity_checked=True).get_json()["id"]
    other_county = token(client, make_user("Reviewer", "440105").username)
    assert client.put(f"/api/v1/applications/{pk}/answers", headers=other_county,
                      json={"answers": {"mobile": "13800138000"}}).status_code == 404
    assert api_upload(client, other_county, pk, "id_document").status_code == 404
    assert submit(client, other_county, pk).status_code == 404
    city = token(client, make_user("Reviewer", "440100").username)  # the subtree above files
    # ... but the draft is the clerk's who started it: nobody else sees or fills it.
    assert client.put(f"/api/v1/applications/{pk}/answers", headers=city,
                      json={"answers": {"mobile": "13800138000"}}).status_code == 404
    assert client.put(f"/api/v1/applications/{pk}/answers", headers=clerk,
                      json={"answers": {"mobile": "13800138000"}}).status_code == 200
    # A citizen's own draft is never the clerk's to change, nor to see.
    alice_web = make_citizen(BOB_ID, "王大明")
    own = api_create(client, token(client, alice_web.username)).get_json()["id"]
    assert client.put(f"/api/v1/applications/{own}/answers", headers=clerk,
                      json={"answers": {}}).status_code == 404
    assert fresh(own).channel == "api"
