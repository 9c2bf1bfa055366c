"""The applications API's safeguards (CONTRACT.md §4): a stale save (E2), a replayed or reused
Idempotency-Key (E3), another citizen's application (B1), mass assignment (B3), staff scoping and
masking (F1), a new version under an open draft (E6), concurrent submits, list arguments (D2)."""
import threading

import pytest

from app.extensions import db
from app.models.application import Application, Notification
from app.models.audit import AuditEvent
from tests.applications_support import (ALICE_ID, BOB_ID, CODE, GD8, REGION,
                                        api_create, api_fill, clock, gd8,  # noqa: F401
                                        id_number, load_gd8, make_citizen, token)
from tests.integration.test_applications_api import count, submit
from tests.support import make_user


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
