"""SECURITY_TESTS G1: deadline-day load on a real server, PostgreSQL.

Citizens fill, upload and submit GD-8 through the API over HTTP (werkzeug's threaded server, as
in the browser tests) while reviewers of the two levels work the queue at the same time, two
per level racing for the same entries. Afterwards: no 5xx; every submission answered 2xx has
one application row, and every application one submission; the stored files are exactly the
attachment rows'; each step of each round has one decision with one history row.
"""
import json
import threading
import urllib.error
import urllib.request

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server
from werkzeug.test import encode_multipart

from app.extensions import db
from app.models.application import Application, Attachment, StepDecision
from app.models.audit import AuditEvent
from app.storage.local import LocalDiskStorage
from tests.applications_support import (CODE, GD8_ANSWERS, GD8_REQUIRED_MATERIALS, REGION,
                                        clock, file_storage, id_number, load_gd8,  # noqa: F401
                                        make_citizen, png_bytes)
from tests.support import PASSWORD, make_user

CITIZENS, APPLICATIONS_EACH = 6, 2
CITY = "440100"
PATIENCE = 90  # seconds the reviewers keep working before the test gives up on them


class Client:
    """A JSON client over HTTP that records every status code it sees."""

    def __init__(self, base: str, seen: list):
        self.base, self.seen, self.headers = base, seen, {}

    def call(self, method, path, body=None, headers=None, files=None):
        headers = {**self.headers, **(headers or {})}
        data = None
        if files is not None:
            boundary, data = encode_multipart(files)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        self.seen.append((method, path.split("?")[0], status))
        return status, (json.loads(raw) if raw else None)

    def sign_in(self, username):
        status, body = self.call("POST", "/api/v1/security/login", {
            "username": username, "password": PASSWORD, "provider": "db"})
        assert status == 200, body
        self.headers = {"Authorization": f"Bearer {body['access_token']}"}


@pytest.fixture
def served(app, db_dialect):
    if db_dialect != "postgresql":
        pytest.skip("deadline-day load is a PostgreSQL matter: SQLite serialises every writer")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def file_application(client, submitted_ids):
    status, body = client.call("POST", "/api/v1/applications/", {"item": CODE, "region": REGION})
    assert status == 201, body
    pk = body["id"]
    status, body = client.call("PUT", f"/api/v1/applications/{pk}/answers",
                               {"answers": GD8_ANSWERS})
    assert status == 200, body
    for key in GD8_REQUIRED_MATERIALS:
        status, body = client.call("POST", f"/api/v1/applications/{pk}/materials/{key}",
                                   files={"file": file_storage(png_bytes(), "scan.png")})
        assert status == 201, body
    # A double click: the same key twice at once, then a retry after both answered.
    key = {"Idempotency-Key": f"load-{pk}"}
    answers = []
    clicks = [threading.Thread(target=lambda: answers.append(client.call(
        "POST", f"/api/v1/applications/{pk}/submit", {}, key))) for _ in range(2)]
    [click.start() for click in clicks]
    [click.join() for click in clicks]
    answers.append(client.call("POST", f"/api/v1/applications/{pk}/submit", {}, key))
    assert [status for status, _ in answers] == [200, 200, 200], answers
    assert len({body["serial"] for _, body in answers}) == 1, answers
    submitted_ids.append(pk)


def citizen_work(base, seen, username, submitted_ids, failures):
    try:
        client = Client(base, seen)
        client.sign_in(username)
        for _ in range(APPLICATIONS_EACH):
            file_application(client, submitted_ids)
    except Exception as error:  # noqa: BLE001 - reported by the test, with the citizen's name
        failures.append((username, repr(error)))


def reviewer_work(base, seen, username, filing_done, decided, failures):
    """Approve whatever the queue offers until filing is over and the queue is empty."""
    import time

    try:
        client = Client(base, seen)
        client.sign_in(username)
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            status, body = client.call("GET", "/api/v1/reviews/?state=pending&limit=50")
            assert status == 200, body
            if not body["result"] and filing_done.is_set():
                return
            for entry in body["result"]:
                status, reply = client.call("POST", f"/api/v1/reviews/{entry['id']}/approve",
                                            {"version": entry["version"], "comment": "材料齐全"})
                assert status in (200, 409), (status, reply)  # 409: the other reviewer won
                if status == 200:
                    decided.append((entry["id"], entry["current_step"]))
            if not body["result"]:
                time.sleep(0.05)
    except Exception as error:  # noqa: BLE001
        failures.append((username, repr(error)))


def test_deadline_day_load(app, ctx, clock, served):
    load_gd8()
    citizens = [make_citizen(id_number(f"440106199{i}0101{i:02d}2"), f"测试{i}").username
                for i in range(CITIZENS)]
    reviewers = [make_user("Reviewer", region).username
                 for region in (REGION, REGION, CITY, CITY)]
    db.session.commit()
    storage = LocalDiskStorage.from_config(app.config)
    stored_before = set(storage.keys())
    seen, submitted_ids, decided, failures = [], [], [], []
    filing_done = threading.Event()
    filers = [threading.Thread(target=citizen_work,
                               args=(served, seen, name, submitted_ids, failures))
              for name in citizens]
    deciders = [threading.Thread(target=reviewer_work,
                                 args=(served, seen, name, filing_done, decided, failures))
                for name in reviewers]
    for thread in filers + deciders:
        thread.start()
    for thread in filers:
        thread.join()
    filing_done.set()
    for thread in deciders:
        thread.join()

    assert failures == []
    assert [hit for hit in seen if hit[2] >= 500] == []
    expected = CITIZENS * APPLICATIONS_EACH
    db.session.expire_all()
    applications = db.session.scalars(select(Application).where(
        Application.id.in_(submitted_ids))).all()
    assert len(set(submitted_ids)) == len(applications) == expected
    assert db.session.scalar(select(func.count()).select_from(Application).where(
        Application.submitted_at.is_not(None))) == expected
    # Every 2xx decision is one decision row and one history row; every application is done.
    assert sorted(decided) == sorted((pk, step) for pk in submitted_ids
                                     for step in ("accept", "review"))
    assert {a.status for a in applications} == {"approved"}
    rows = db.session.execute(select(StepDecision.application_id, StepDecision.step_key,
                                     StepDecision.round)).all()
    assert sorted(rows) == sorted((pk, step, 1) for pk in submitted_ids
                                  for step in ("accept", "review"))
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "application.approve")) == 2 * expected
    # Stored files are exactly the attachment rows' (no orphan either way).
    keys = set(db.session.scalars(select(Attachment.storage_key)))
    assert len(keys) == expected * len(GD8_REQUIRED_MATERIALS)
    assert set(storage.keys()) - stored_before == keys
