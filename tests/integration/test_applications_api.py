"""The applications API end to end (CONTRACT.md §4): GD-8 through the API alone."""
import re
import threading

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.application import Application, Notification
from app.models.audit import AuditEvent
from tests.applications_support import (ALICE_ID, BOB_ID, CODE, GD8, REGION,
                                        api_create, api_fill, clock, gd8,  # noqa: F401
                                        id_number, load_gd8, make_citizen, token)
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


def test_stale_save_gets_409(gd8, client):  # E2
    alice = token(client, gd8.username)
    pk = api_create(client, alice).get_json()["id"]
    url = f"/api/v1/applications/{pk}/answers"
    version = client.put(url, headers=alice, json={"answers": {"mobile": "13800138000"}}
                         ).get_json()["version"]
    assert client.put(url, headers=alice, json={"answers": {"mobile": "13900139000"},
                                                "version": version}).status_code == 200
    stale = client.put(url, headers=alice, json={"answers": {"mobile": "13700137000"},
                                                 "version": version})
    assert stale.status_code == 409
    assert db.session.get(Application, pk).answers["mobile"] == "13900139000"


def test_idempotency_key_replays_and_refuses_another_body(gd8, client):  # E3
    alice = token(client, gd8.username)
    pk = api_create(client, alice).get_json()["id"]
    api_fill(client, alice, pk)
    first = submit(client, alice, pk, "double-click")
    again = submit(client, alice, pk, "double-click")
    assert first.status_code == again.status_code == 200
    assert first.get_json() == again.get_json()
    assert count(AuditEvent, AuditEvent.action == "application.submitted") == 1
    assert count(Notification) == 1 and count(Application) == 1
    other = submit(client, alice, pk, "double-click", body={"note": "different"})
    assert other.status_code == 409
    assert submit(client, alice, pk, "x" * 101).status_code == 400


def test_another_citizens_application_and_files_are_not_found(gd8, client):  # B1
    alice = token(client, gd8.username)
    pk = api_create(client, alice).get_json()["id"]
    api_fill(client, alice, pk)
    file_id = client.get(f"/api/v1/applications/{pk}", headers=alice
                         ).get_json()["materials"][0]["file_id"]
    bob_user = make_citizen(BOB_ID, "王大明")
    bob = token(client, bob_user.username)
    base = f"/api/v1/applications/{pk}"
    for method, url in [("GET", base), ("GET", f"{base}/form"),
                        ("PUT", f"{base}/answers"), ("POST", f"{base}/submit"),
                        ("POST", f"{base}/withdraw"), ("GET", f"{base}/files/{file_id}"),
                        ("POST", f"{base}/materials/id_document"),
                        ("DELETE", f"{base}/materials/id_document/{file_id}")]:
        response = client.open(url, method=method, json={"answers": {}},
                               headers={**bob, "Idempotency-Key": "bob"})
        assert response.status_code == 404, (method, url, response.status_code)
    assert client.get("/api/v1/applications/", headers=bob).get_json()["count"] == 0
    assert client.get(f"{base}/files/{file_id}").status_code == 401
    assert db.session.get(Application, pk).status == "draft"


def test_mass_assignment_changes_nothing(gd8, client):  # B3
    alice = token(client, gd8.username)
    bob = make_citizen(BOB_ID, "王大明")
    extra = {"status": "approved", "region_code": "110101", "current_step": "review",
             "owner": bob.id, "applicant_id": bob.id, "version": 99, "serial": "X-1",
             "lock_version": 7}
    refused = api_create(client, alice, **extra)  # refused as a whole, each key named
    assert refused.status_code == 422 and set(refused.get_json()["errors"]) == set(extra)
    assert count(Application) == 0
    pk = api_create(client, alice).get_json()["id"]
    smuggled = {k: v for k, v in extra.items() if k != "version"}
    refused = client.put(f"/api/v1/applications/{pk}/answers", headers=alice, json={
        "answers": {"mobile": "13800138000"}, "region": "110101", **smuggled})
    assert refused.status_code == 422
    assert set(refused.get_json()["errors"]) == {"region", *smuggled}
    assert db.session.get(Application, pk).answers == {}
    saved = client.put(f"/api/v1/applications/{pk}/answers", headers=alice, json={
        "answers": {"mobile": "13800138000", "status": "approved"}})
    assert saved.status_code == 200 and "status" in saved.get_json()["warnings"]
    db.session.expire_all()
    application = db.session.get(Application, pk)
    assert (application.status, application.region_code, application.current_step,
            application.applicant_id, application.serial, application.version.number) == (
        "draft", REGION, None, gd8.id, None, 1)
    assert application.answers == {"mobile": "13800138000"}


def test_staff_lists_are_scoped_and_masked(gd8, client):  # F1, B1/B2 for staff
    alice = token(client, gd8.username)
    pk = api_create(client, alice).get_json()["id"]
    api_fill(client, alice, pk)
    assert submit(client, alice, pk).status_code == 200
    reviewer = make_user("Reviewer", "440100")
    staff = token(client, reviewer.username)
    listed = client.get("/api/v1/applications/", headers=staff).get_json()
    assert listed["count"] == 1
    row = listed["result"][0]
    assert row["subject_id_number"] == "4401**********0021"
    assert row["subject_name"] == "林**" and ALICE_ID not in str(listed)
    shown = client.get(f"/api/v1/applications/{pk}", headers=staff).get_json()
    assert shown["answers"]["mobile"] == "138****8000"
    assert shown["answers"]["id_number"] == "4401**********0021"
    assert ALICE_ID not in str(shown) and "13800138000" not in str(shown)
    elsewhere = token(client, make_user("Reviewer", "130203").username)
    assert client.get("/api/v1/applications/", headers=elsewhere).get_json()["count"] == 0
    assert client.get(f"/api/v1/applications/{pk}", headers=elsewhere).status_code == 404
    assert client.put(f"/api/v1/applications/{pk}/answers", headers=staff,
                      json={"answers": {}}).status_code == 403  # in scope, not the owner


def test_a_new_version_never_changes_an_open_draft(gd8, client, tmp_path):  # E6
    alice = token(client, gd8.username)
    pk = api_create(client, alice).get_json()["id"]
    employer = "    title: {zh: 用人单位情况, en: Employer}\n    fields:\n"
    newer = GD8.read_text(encoding="utf-8").replace(
        "en: Contact mobile number}", "en: Mobile number (new)}").replace(employer, employer + (
            "      - {key: extra_proof, type: text, label: {zh: 新增问题, en: New question}, "
            "required: true}\n"))
    (tmp_path / "gd8.yaml").write_text(newer, encoding="utf-8")
    load_gd8(tmp_path / "gd8.yaml")
    latest = client.get(f"/api/v1/catalog/{CODE}?region={REGION}&_l_=en").get_json()
    assert latest["version"]["number"] == 2
    pinned = client.get(f"/api/v1/applications/{pk}/form?_l_=en", headers=alice).get_json()
    fields = {f["key"]: f for p in pinned["pages"] for f in p["fields"]}
    assert pinned["version"]["number"] == 1 and "extra_proof" not in fields
    assert fields["mobile"]["label"] == "Contact mobile number"
    api_fill(client, alice, pk)
    assert submit(client, alice, pk).status_code == 200  # no answer to the new question
    assert db.session.get(Application, pk).version.number == 1


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
    response = client.post(f"/api/v1/applications/{pk}/withdraw", headers=alice,
                           json={"reason": "不办了"})
    assert response.get_json() == {"id": pk, "status": "withdrawn"}
    again = client.post(f"/api/v1/applications/{pk}/withdraw?_l_=en", headers=alice)
    assert again.status_code == 409  # the status rules it out: a conflict, not a permission
    assert again.get_json() == {"message": "This application is already withdrawn."}


def test_ten_concurrent_submits_get_ten_serials(app, gd8, client, db_dialect):
    if db_dialect != "postgresql":
        pytest.skip("row locks are what is tested; SQLite serialises writers anyway")
    users = [gd8] + [make_citizen(id_number(f"44010619900101{n:02d}2"), f"用户{n}")
                     for n in range(1, 10)]
    ids = []
    for user in users:
        headers = token(client, user.username)
        pk = api_create(client, headers).get_json()["id"]
        api_fill(client, headers, pk)
        ids.append((pk, user.id))
    results, barrier = [], threading.Barrier(len(ids))

    def worker(pk, user_id):
        from app.commands.applications.submit import SubmitApplicationCommand
        from app.models.user import BanshiUser

        with app.app_context():
            application = db.session.get(Application, pk)
            user = db.session.get(BanshiUser, user_id)
            barrier.wait()
            try:
                results.append(SubmitApplicationCommand(application, user=user).run()
                               .body["serial"])
            except Exception as error:  # reported by the assertion below
                results.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=pair) for pair in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [f"{REGION}-20261120-{n:05d}" for n in range(1, 11)]


def test_list_arguments_are_checked(gd8, client):  # D2
    alice = token(client, gd8.username)
    api_create(client, alice)
    for query in ("page=0", "page_size=1000", "status=hacked", "page=abc"):
        response = client.get(f"/api/v1/applications/?{query}", headers=alice)
        assert response.status_code == 400, query
    drafts = client.get("/api/v1/applications/?status=draft&page_size=1", headers=alice)
    assert drafts.get_json()["count"] == 1


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
