"""accounts: when the account was closed (注销) or anonymised by the retention purge

``ab_user.anonymised_at`` is set by app.commands.accounts when a citizen closes their account
or ``flask applications purge`` anonymises one unused for ``ACCOUNT_RETENTION_YEARS``; the
purge skips rows where it is set.

Revision ID: c8d0e2f4a6b8
Revises: a3c5e7f9b1d4
Create Date: 2026-11-24 11:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c8d0e2f4a6b8'
down_revision = 'a3c5e7f9b1d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
