"""Ids are never given twice: a deleted draft's id, and its files' ids, do not come back on
another citizen's new application (SECURITY_TESTS.md B1, E5). History and files name these rows
by value (audit_event.object_id, detail.file_id): SQLite, which otherwise gives a new row the
largest id again, keeps these tables AUTOINCREMENT; PostgreSQL's sequences never reuse. A
database that gave an id twice before shows each application only its own history."""
import pytest
import sqlalchemy as sa

from flask_appbuilder import Model

from app.extensions import db
from app.commands.applications.timeline import timeline
from app.models.application import Application, Attachment
from app.models.audit import AuditEvent
from tests.applications_support import (BOB_ID, api_create, api_upload, clock,  # noqa: F401
                                        load_gd8, make_citizen, token)

BEFORE = "9d067fb9e86a"  # the revision before the SQLite tables became AUTOINCREMENT
MATERIAL = "id_document"
TABLES = ("application", "attachment", "step_decision", "notification", "item")


def _autoincrement() -> set[str]:
    """Return the migrated SQLite database's AUTOINCREMENT tables."""
    with db.engine.connect() as connection:
        tables = connection.execute(sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all()
    return {name for name, schema in tables if "AUTOINCREMENT" in schema}


def _deleted_draft(client, headers) -> tuple[int, int]:
    """Start a draft with one file and delete it: return the ids it had."""
    pk = api_create(client, headers).get_json()["id"]
    uploaded = api_upload(client, headers, pk, MATERIAL)
    assert uploaded.status_code == 201, uploaded.get_json()
    deleted = client.delete(f"/api/v1/applications/{pk}", headers=headers)
    assert deleted.status_code == 200, deleted.get_json()
    return pk, uploaded.get_json()["file_id"]


def _assert_fresh(client, headers, old_pk: int, old_file: int) -> None:
    """Another citizen's new application gets new ids and only its own history."""
    created = api_create(client, headers)
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    assert pk > old_pk
    history = client.get(f"/api/v1/applications/{pk}", headers=headers).get_json()["history"]
    assert [(row["action"], row["by"]) for row in history] == [
        ("application.created", "applicant")]
    uploaded = api_upload(client, headers, pk, MATERIAL)
    assert uploaded.status_code == 201, uploaded.get_json()
    assert uploaded.get_json()["file_id"] > old_file


def test_a_deleted_drafts_ids_are_not_given_to_another_citizen(ctx, clock, client):
    load_gd8()
    alice = token(client, make_citizen().username)
    old_pk, old_file = _deleted_draft(client, alice)
    bob = token(client, make_citizen(BOB_ID, "陈大文").username)
    _assert_fresh(client, bob, old_pk, old_file)


def test_the_migrated_tables_are_autoincrement_as_the_models_say(ctx, db_dialect):
    """Also after a later migration rebuilt one of them (batch mode does not carry it over)."""
    if db_dialect != "sqlite":
        pytest.skip("PostgreSQL's sequences never reuse a value")
    declared = {table.name for table in Model.metadata.tables.values()
                if table.dialect_options["sqlite"]["autoincrement"]}
    assert declared == set(TABLES)
    assert _autoincrement() == declared


def test_an_earlier_rows_history_under_the_same_id_is_not_shown(ctx, clock, client):
    load_gd8()
    alice = token(client, make_citizen().username)
    old_pk, _ = _deleted_draft(client, alice)
    bob = token(client, make_citizen(BOB_ID, "陈大文").username)
    pk = api_create(client, bob).get_json()["id"]
    # As a database left it that gave the deleted draft's id to Bob's application
    # (SQLite before revision b3d3a5043784): Alice's events are under Bob's id.
    db.session.execute(sa.update(AuditEvent).where(
        AuditEvent.object_type == "application", AuditEvent.object_id == str(old_pk))
        .values(object_id=str(pk)))
    db.session.commit()
    history = client.get(f"/api/v1/applications/{pk}", headers=bob).get_json()["history"]
    assert [(row["action"], row["by"]) for row in history] == [
        ("application.created", "applicant")]
    assert [entry.action for entry in timeline(db.session.get(Application, pk))] == ["created"]


def test_migration_keeps_rows_and_skips_ids_the_history_names(ctx, clock, client, db_dialect):
    if db_dialect != "sqlite":
        pytest.skip("the revision rebuilds SQLite tables only")
    from flask_migrate import downgrade, upgrade

    load_gd8()
    alice = token(client, make_citizen().username)
    kept = api_create(client, alice).get_json()["id"]
    assert api_upload(client, alice, kept, MATERIAL).status_code == 201
    old_pk, old_file = _deleted_draft(client, alice)  # the newest rows, as before the fix
    rows = {model: [tuple(row) for row in db.session.execute(sa.select(model.__table__))]
            for model in (Application, Attachment)}
    db.session.remove()  # no open transaction holds a lock the migration waits for
    downgrade(revision=BEFORE)
    try:
        with db.engine.connect() as connection:  # no sequence: SQLite would reuse old_pk
            assert not connection.scalar(sa.text(
                "SELECT COUNT(*) FROM sqlite_sequence WHERE name = 'application'"))
    finally:
        db.session.remove()
        upgrade()
    assert rows == {model: [tuple(row) for row in db.session.execute(sa.select(model.__table__))]
                    for model in (Application, Attachment)}
    assert _autoincrement() == set(TABLES)
    bob = token(client, make_citizen(BOB_ID, "陈大文").username)
    _assert_fresh(client, bob, old_pk, old_file)
