"""application: when the retention purge anonymised it

``application.anonymised_at`` is set by ``flask applications purge`` (app.commands.retention)
when it takes the personal content out of a closed application whose retention period has
passed; the purge skips rows where it is set, so running it again changes nothing.

Revision ID: a3c5e7f9b1d4
Revises: f2a4c6e8b0d1
Create Date: 2026-11-24 09:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c5e7f9b1d4'
down_revision = 'f2a4c6e8b0d1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
