"""regions: English name

``region.name_en`` holds the English name of a division (app/data/regions.csv, built by
scripts/build_regions.py); pages in English show it, and the Chinese name where it is empty.
An existing database gets the bundled names here, so English pages have them straight after
``db upgrade``; ``flask regions load`` keeps them current from then on. Nodes an administrator
added have none until one is given.

Revision ID: f2a4c6e8b0d1
Revises: e1f3a5c7b9d2
Create Date: 2026-11-24 18:00:00.000000

"""
import csv
from pathlib import Path

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2a4c6e8b0d1'
down_revision = 'e1f3a5c7b9d2'
branch_labels = None
depends_on = None

REGIONS = Path(__file__).resolve().parents[2] / "app" / "data" / "regions.csv"


def upgrade():
    # A plain ADD COLUMN (no batch copy): the region table carries the reference-cache triggers.
    op.add_column('region', sa.Column('name_en', sa.String(length=200), nullable=True))
    bind = op.get_bind()
    if not REGIONS.exists() or not bind.execute(sa.text("SELECT 1 FROM region LIMIT 1")).first():
        return  # an empty database: `regions load` brings names with the rows
    with open(REGIONS, encoding="utf-8", newline="") as handle:
        names = [{"code": row["code"], "name_en": row["name_en"]}
                 for row in csv.DictReader(handle) if row.get("name_en")]
    # One UPDATE from a scratch table, not one per row (each would fire the cache trigger).
    scratch = sa.table('region_name_en_load', sa.column('code', sa.String),
                       sa.column('name_en', sa.String))
    op.create_table('region_name_en_load', sa.Column('code', sa.String(12), primary_key=True),
                    sa.Column('name_en', sa.String(200)))
    op.bulk_insert(scratch, names)
    op.execute("""
        UPDATE region SET name_en = (SELECT l.name_en FROM region_name_en_load l
                                     WHERE l.code = region.code)
        WHERE kind = 'gb2260' AND code IN (SELECT code FROM region_name_en_load)""")
    op.drop_table('region_name_en_load')


def downgrade():
    op.drop_column('region', 'name_en')  # SQLite 3.35+ drops a column in place, triggers kept
