"""code tables: reserved entries

``dictionary_entry.reserved`` marks a national code kept as a slot for local use (psn_type's
xx60 "地方扩展"): it is offered to nobody until a region names the code as its own local entry.
An existing database gets the flags of the bundled file (app/data/dictionaries.yaml) here, so
the placeholders leave the citizens' lists straight after ``db upgrade``; ``flask dictionaries
load`` keeps them current from then on.

Revision ID: a9b1c3d5e7f9
Revises: c8d0e2f4a6b8
Create Date: 2026-11-24 12:00:00.000000

"""
from pathlib import Path

from alembic import op
import sqlalchemy as sa
import yaml


# revision identifiers, used by Alembic.
revision = 'a9b1c3d5e7f9'
down_revision = 'c8d0e2f4a6b8'
branch_labels = None
depends_on = None

DICTIONARIES = Path(__file__).resolve().parents[2] / "app" / "data" / "dictionaries.yaml"


def _reserved(entries):
    for entry in entries or []:
        if entry.get("reserved") is True:
            yield str(entry["code"])
        yield from _reserved(entry.get("children"))


def upgrade():
    op.add_column('dictionary_entry', sa.Column('reserved', sa.Boolean(),
                                                server_default=sa.false(), nullable=False))
    if not DICTIONARIES.exists():
        return
    tables = yaml.safe_load(DICTIONARIES.read_text(encoding="utf-8")).get("dictionaries") or []
    bind = op.get_bind()
    for table in tables:
        for code in _reserved(table.get("entries")):
            bind.execute(sa.text(
                "UPDATE dictionary_entry SET reserved = :yes WHERE region_code IS NULL AND "
                "code = :code AND dictionary_id IN (SELECT id FROM dictionary WHERE code = :table)"),
                {"yes": True, "code": code, "table": table["code"]})


def downgrade():
    # In place (SQLite 3.35+ too): a batch copy of the table would drop its reference-cache
    # triggers (app/reference_cache.py), and the upgrade after it would not bring them back.
    op.drop_column('dictionary_entry', 'reserved')
