"""Material files: checked uploads, limits, removal, downloads, returned applications, orphans."""
import hashlib
import io
from urllib.parse import quote

import pytest
from sqlalchemy import select

import app.commands.applications.materials as materials
from app.commands.applications.materials import AttachMaterialCommand, reconcile_storage
from app.extensions import db
from app.models.application import Application, Attachment
from app.models.audit import AuditEvent
from app.storage import get_storage
from tests.applications_support import (BOB_ID, api_create, api_upload, clock,  # noqa: F401
                                        file_storage, gd8, make_citizen, pdf_bytes, png_bytes,
                                        token)
from tests.support import make_user


@pytest.fixture
def draft(gd8, client):
    """Alice's GD-8 draft: (headers, application id)."""
    headers = token(client, gd8.username)
    return headers, api_create(client, headers).get_json()["id"]


def rows(pk):
    db.session.expire_all()
    return db.session.scalars(select(Attachment).where(Attachment.application_id == pk)).all()


def test_an_upload_is_checked_stored_and_scoped(draft, client, gd8):
    headers, pk = draft
    response = api_upload(client, headers, pk, "id_document", name="身份证 正面.png")
    assert response.status_code == 201
    body = response.get_json()
    [row] = rows(pk)
    assert body == {"file_id": row.id, "sha256": row.sha256}
    assert (row.region_code, row.owner_id, row.content_type) == ("440106", gd8.id, "image/png")
    assert row.original_name == "身份证 正面.png"
    stored = get_storage().open(row.storage_key).read()
    assert hashlib.sha256(stored).hexdigest() == row.sha256
    download = client.get(f"/api/v1/applications/{pk}/files/{row.id}", headers=headers)
    assert download.status_code == 200 and download.data == stored
    assert download.headers["Content-Type"] == "image/png"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert f"filename*=UTF-8''{quote('身份证 正面.png', safe='')}" in disposition


@pytest.mark.parametrize("data, name, status", [
    (b"MZ\x90\x00 not an image", "scan.png", 422),   # content is not PNG
    (png_bytes(), "scan.exe", 422),                 # extension not accepted
    (png_bytes(), "scan.docx", 422),                # accepted elsewhere, not for id_document
    (b"", "empty.pdf", 422),
    (b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 10), "big.pdf", 413),  # id_document: 5 MB
])
def test_refused_uploads_store_nothing(draft, client, data, name, status):
    headers, pk = draft
    before = set(get_storage().keys())
    response = api_upload(client, headers, pk, "id_document", data=data, name=name)
    assert response.status_code == status, response.get_json()
    assert list(response.get_json()["errors"]) == ["materials.id_document"]
    assert rows(pk) == [] and set(get_storage().keys()) == before


def test_limits_per_material_and_unknown_materials(draft, client):
    headers, pk = draft
    for _ in range(2):
        assert api_upload(client, headers, pk, "id_document").status_code == 201
    third = api_upload(client, headers, pk, "id_document", data=pdf_bytes(), name="c.pdf")
    assert third.status_code == 422 and "materials.id_document" in third.get_json()["errors"]
    assert api_upload(client, headers, pk, "no_such").status_code == 422
    missing = client.post(f"/api/v1/applications/{pk}/materials/id_document", headers=headers,
                          data={}, content_type="multipart/form-data")
    assert missing.status_code == 422


def test_removing_a_draft_file_deletes_it(draft, client):
    headers, pk = draft
    file_id = api_upload(client, headers, pk, "id_document").get_json()["file_id"]
    key = rows(pk)[0].storage_key
    wrong_key = client.delete(f"/api/v1/applications/{pk}/materials/diagnosis/{file_id}",
                              headers=headers)
    assert wrong_key.status_code == 404
    response = client.delete(f"/api/v1/applications/{pk}/materials/id_document/{file_id}",
                             headers=headers)
    assert response.status_code == 200
    assert rows(pk) == [] and not get_storage().exists(key)
    assert client.get(f"/api/v1/applications/{pk}/files/{file_id}",
                      headers=headers).status_code == 404


def test_a_returned_application_changes_only_flagged_materials(draft, client):
    headers, pk = draft
    file_id = api_upload(client, headers, pk, "id_document").get_json()["file_id"]
    application = db.session.get(Application, pk)
    application.status, application.submitted_at = "returned", application.created_at
    application.return_request = {"fields": {}, "materials": {"id_document": "看不清"}}
    db.session.commit()
    refused = api_upload(client, headers, pk, "employer_status_proof")
    assert refused.status_code == 422  # as a question not flagged: named by its label
    assert list(refused.get_json()["errors"]) == ["materials.employer_status_proof"]
    assert "用人单位被吊销、关闭、撤销的证明" in refused.get_json()["message"]
    assert len(rows(pk)) == 1
    assert client.delete(f"/api/v1/applications/{pk}/materials/id_document/{file_id}",
                         headers=headers).status_code == 200
    [kept] = rows(pk)  # seen by a reviewer: kept as history, marked removed
    assert kept.removed_at is not None and get_storage().exists(kept.storage_key)
    assert api_upload(client, headers, pk, "id_document").status_code == 201


def test_staff_downloads_are_scoped_and_recorded(draft, client):
    headers, pk = draft
    file_id = api_upload(client, headers, pk, "id_document").get_json()["file_id"]
    url = f"/api/v1/applications/{pk}/files/{file_id}"
    staff = token(client, make_user("Reviewer", "440106").username)
    assert client.get(url, headers=staff).status_code == 404  # a draft is the citizen's
    db.session.get(Application, pk).status = "submitted"
    db.session.commit()
    assert client.get(url, headers=staff).status_code == 200
    [event] = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "application.file_viewed")).all()
    assert event.detail == {"file_id": file_id, "material": "id_document"}
    elsewhere = token(client, make_user("Reviewer", "440300").username)
    assert client.get(url, headers=elsewhere).status_code == 404
    bob = token(client, make_citizen(BOB_ID, "王大明").username)
    assert client.get(url, headers=bob).status_code == 404


def test_a_failed_transaction_leaves_no_file(draft, gd8, monkeypatch):  # E4
    _, pk = draft
    before = set(get_storage().keys())

    def broken(*args, **kwargs):
        raise RuntimeError("the worker died before the commit")

    monkeypatch.setattr(materials, "record", broken)
    application = db.session.get(Application, pk)
    with pytest.raises(RuntimeError):
        AttachMaterialCommand(application, "id_document", file_storage(png_bytes()),
                              user=gd8).run()
    assert rows(pk) == [] and set(get_storage().keys()) == before


def test_reconcile_lists_files_without_rows_and_rows_without_files(draft, client, runner):
    headers, pk = draft
    for _ in range(2):
        api_upload(client, headers, pk, "id_document")
    storage = get_storage()
    for key in set(storage.keys()) - set(db.session.scalars(select(Attachment.storage_key))):
        storage.delete(key)  # files other tests' rows left behind (rows are emptied per test)
    assert reconcile_storage().clean
    orphan = storage.save(b"left by a worker killed before its commit")
    gone = rows(pk)[0]
    storage.delete(gone.storage_key)
    report = reconcile_storage()
    assert report.files_without_rows == [orphan] and report.rows_without_files == [gone.id]
    result = runner.invoke(args=["applications", "reconcile", "--delete-orphans"])
    assert result.exit_code == 1
    assert f"file without row: {orphan} (deleted)" in result.output
    assert f"row without file: attachment {gone.id}" in result.output
    assert not storage.exists(orphan)


def test_upload_needs_a_login(draft, client):
    _, pk = draft
    response = client.post(f"/api/v1/applications/{pk}/materials/id_document",
                           data={"file": (io.BytesIO(png_bytes()), "a.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 401
