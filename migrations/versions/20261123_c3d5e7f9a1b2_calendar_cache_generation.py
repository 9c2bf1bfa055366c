"""calendar cache generation: writes to the working calendar renumber the reference generation

The working calendar (holidays and make-up working days) is kept per worker process with the other
reference data (app.reference_cache) instead of being checked by its own count-and-max query on
every request that computes a deadline. The same triggers as the code tables' write the
``reference`` row in the writing transaction (migration ``reference cache generation``).

Revision ID: c3d5e7f9a1b2
Revises: b9e2d4f6a8c1
Create Date: 2026-11-23 23:50:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c3d5e7f9a1b2'
down_revision = 'b9e2d4f6a8c1'
branch_labels = None
depends_on = None

NAME = 'reference'
TABLES = ('calendar_day', 'calendar_year')
SQLITE_EVENTS = ('insert', 'update', 'delete')


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:  # bump_cache_generation() comes from e7a4c2d9b1f0
            op.execute(f"""
                CREATE TRIGGER {table}_cache_generation
                AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION bump_cache_generation('{NAME}')""")
        op.execute("UPDATE cache_generation SET value = nextval('cache_generation_seq') "
                   f"WHERE name = '{NAME}'")
    else:
        for table in TABLES:
            for event in SQLITE_EVENTS:
                op.execute(f"""
                    CREATE TRIGGER {table}_{event}_cache_generation AFTER {event.upper()} ON {table}
                    BEGIN
                        INSERT INTO cache_generation (name, value) VALUES ('{NAME}', random())
                        ON CONFLICT (name) DO UPDATE SET value = excluded.value;
                    END""")
        op.execute(f"UPDATE cache_generation SET value = random() WHERE name = '{NAME}'")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            op.execute(f'DROP TRIGGER {table}_cache_generation ON {table}')
    else:
        for table in TABLES:
            for event in SQLITE_EVENTS:
                op.execute(f'DROP TRIGGER {table}_{event}_cache_generation')
