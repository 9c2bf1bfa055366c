"""item: the day a published item goes out of service (停止办理 scheduled)

``item.retires_on`` is the first day the item is no longer in service: from that day it leaves
the catalogue and no application can be started, as when an administrator takes it out of
service at once (``status = 'retired'``). None: no end is scheduled.

Revision ID: c9e1a3b5d7f0
Revises: b7d9f1a3c5e8
Create Date: 2026-11-24 18:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c9e1a3b5d7f0'
down_revision = 'b7d9f1a3c5e8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retires_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_column('retires_on')
