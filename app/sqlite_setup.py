"""SQLite (the development set-up): wait for a lock rather than fail with "database is locked".

A few browser sessions on ``make run`` at once got HTTP 500s (the sign-in, even static files)
whenever one request wrote while another read. Each connection waits up to
:data:`BUSY_TIMEOUT_MS` for a lock, and the database keeps a write-ahead log, in which readers
and the one writer do not block each other. PostgreSQL is left as it is.
"""
from sqlalchemy import event

BUSY_TIMEOUT_MS = 30_000


def register(app, db) -> None:
    """Set every new connection of the app's SQLite engine up; nothing for other databases."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        event.listen(db.engine, "connect", _set_up)


def _set_up(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()
