"""accounts: an empty ID number or mobile is stored as NULL

The staff account form stored '' for an ID number or mobile left empty; the unique indexes on
both columns then refused every later account without one. Existing '' values become NULL
(the form now stores NULL).

Revision ID: e1f3a5c7b9d2
Revises: b7c9e1a3d5f2
Create Date: 2026-11-24 12:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e1f3a5c7b9d2'
down_revision = 'b7c9e1a3d5f2'
branch_labels = None
depends_on = None


def upgrade():
    for column in ('id_number', 'mobile'):
        op.execute(f"UPDATE ab_user SET {column} = NULL WHERE {column} = ''")


def downgrade():
    pass  # NULL is what an empty value always meant
