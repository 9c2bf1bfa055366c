"""reference cache generation: a number renumbered by every write to code tables, regions, versions

Worker processes cache code tables, regions and published definitions (app.reference_cache) and
read this one row per request to know whether what they hold is still current. Triggers write it
in the same transaction as the change, so no write path can forget it: a view, a command, another
worker, a migration or psql. The new value never repeats an earlier one (a PostgreSQL sequence,
which a rollback does not give back; SQLite's 64-bit ``random()``), so a value read inside a
transaction that was rolled back can never come to stand for other data.

Revision ID: e7a4c2d9b1f0
Revises: c5e8a1f27d90
Create Date: 2026-11-23 21:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7a4c2d9b1f0'
down_revision = 'c5e8a1f27d90'
branch_labels = None
depends_on = None

NAME = 'reference'
TABLES = ('dictionary', 'dictionary_entry', 'region', 'item_version')
SQLITE_EVENTS = ('insert', 'update', 'delete')


def upgrade():
    op.create_table(
        'cache_generation',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE SEQUENCE cache_generation_seq')
        op.execute("""
            CREATE FUNCTION bump_cache_generation() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO cache_generation (name, value)
                VALUES (TG_ARGV[0], nextval('cache_generation_seq'))
                ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value;
                RETURN NULL;
            END $$""")
        for table in TABLES:
            op.execute(f"""
                CREATE TRIGGER {table}_cache_generation
                AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION bump_cache_generation('{NAME}')""")
        op.execute(f"INSERT INTO cache_generation (name, value) "
                   f"VALUES ('{NAME}', nextval('cache_generation_seq'))")
    else:
        for table in TABLES:
            for event in SQLITE_EVENTS:
                op.execute(f"""
                    CREATE TRIGGER {table}_{event}_cache_generation AFTER {event.upper()} ON {table}
                    BEGIN
                        INSERT INTO cache_generation (name, value) VALUES ('{NAME}', random())
                        ON CONFLICT (name) DO UPDATE SET value = excluded.value;
                    END""")
        op.execute(f"INSERT INTO cache_generation (name, value) VALUES ('{NAME}', random())")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            op.execute(f'DROP TRIGGER {table}_cache_generation ON {table}')
        op.execute('DROP FUNCTION bump_cache_generation()')
        op.execute('DROP SEQUENCE cache_generation_seq')
    else:
        for table in TABLES:
            for event in SQLITE_EVENTS:
                op.execute(f'DROP TRIGGER {table}_{event}_cache_generation')
    op.drop_table('cache_generation')
