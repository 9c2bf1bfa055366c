"""SQLite (``make run``): a request waits for a lock another connection holds instead of
failing with "database is locked" (HTTP 500)."""
import sqlite3
import threading

import pytest
import sqlalchemy as sa


@pytest.fixture
def sqlite_file(app, db_dialect) -> str:
    if db_dialect != "sqlite":
        pytest.skip("SQLite only: PostgreSQL is left as it is")
    return sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database


def test_connections_wait_for_locks_in_write_ahead_log_mode(ctx, sqlite_file):
    from app.extensions import db

    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 30_000


def test_a_sign_in_waits_for_a_writer_longer_than_five_seconds(app, client, sqlite_file):
    other = sqlite3.connect(sqlite_file, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE region SET name = name WHERE code = '110000'")
    release = threading.Timer(6, lambda: (other.execute("ROLLBACK"), other.close()))
    release.start()
    try:
        response = client.post("/login/", data={"username": "nobody", "password": "wrong"})
        assert response.status_code != 500
    finally:
        release.join()
