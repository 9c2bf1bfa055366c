"""SQLite: ids of applications, files, decisions, notifications and items are never reused

Without AUTOINCREMENT, SQLite gives a new row the largest id in the table plus one, so after
the newest row is deleted (a citizen's draft, its files, an item draft) the next row takes the
deleted one's id. History names these rows by value, without a foreign key
(audit_event.object_id, detail.file_id), as do the outbox sender's walk and log (notification
ids): a citizen's new application showed the history of another person's deleted draft. AUTOINCREMENT keeps the largest id ever issued
(sqlite_sequence) and never gives it again, as PostgreSQL's sequences do.

SQLite cannot add AUTOINCREMENT to a table: each table is rebuilt with its rows, indexes and
constraints (batch mode, recreate="always"). Ids already lost to a delete before this revision
are taken out of use too: the sequence starts after the largest id the history names (an
application or item deleted as the newest row, a file removed with it). The app never turns
SQLite's foreign_keys pragma on, so dropping the old table cascades nothing.

Not rebuilt: audit_event (rows are never deleted, so SQLite never reuses one of its ids),
application_urge and idempotency_record (their ids are named nowhere), and item_version with
the other reference tables (a version is never deleted, and a rebuild would drop the triggers
that count their changes, app.reference_cache).

PostgreSQL's sequences never reuse a value: nothing changes there.

Revision ID: b3d3a5043784
Revises: 9d067fb9e86a
Create Date: 2026-11-25 03:45:00.000000

"""
import warnings

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3d3a5043784'
down_revision = '9d067fb9e86a'
branch_labels = None
depends_on = None

#: The tables rebuilt, and for each the largest id the history has named (SQLite SQL).
TABLES = {
    'application': "SELECT MAX(CAST(object_id AS INTEGER)) FROM audit_event "
                   "WHERE object_type = 'application'",
    'attachment': "SELECT MAX(CAST(json_extract(detail, '$.file_id') AS INTEGER)) "
                  "FROM audit_event WHERE object_type = 'application'",
    'item': "SELECT MAX(CAST(object_id AS INTEGER)) FROM audit_event "
            "WHERE object_type = 'item'",
    'step_decision': None,
    'notification': None,
}


def _rebuild(autoincrement):
    with warnings.catch_warnings():
        # Reflecting a table reflects ab_user (a foreign key's target), whose lower(username)
        # index SQLAlchemy does not reflect; ab_user is not rebuilt, so nothing is lost.
        warnings.filterwarnings('ignore', 'Skipped unsupported reflection of expression-based',
                                sa.exc.SAWarning)
        for table in TABLES:
            with op.batch_alter_table(table, recreate='always',
                                      table_kwargs={'sqlite_autoincrement': autoincrement}):
                pass


def upgrade():
    connection = op.get_bind()
    if connection.dialect.name != 'sqlite':
        return
    _rebuild(True)
    for table, named in TABLES.items():
        used = [connection.scalar(sa.text(f'SELECT MAX(id) FROM "{table}"'))]
        if named is not None:
            used.append(connection.scalar(sa.text(named)))
        largest = max((value for value in used if value is not None), default=None)
        if largest is None:
            continue
        connection.execute(sa.text('DELETE FROM sqlite_sequence WHERE name = :table'),
                           {'table': table})
        connection.execute(sa.text('INSERT INTO sqlite_sequence (name, seq) '
                                   'VALUES (:table, :seq)'), {'table': table, 'seq': largest})


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        _rebuild(False)
