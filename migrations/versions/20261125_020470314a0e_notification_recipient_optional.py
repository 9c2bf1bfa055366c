"""notifications: a notification may have no recipient account

The notice to the person an agent filed for goes to the mobile the person registry holds for
them, who may have no account (app.commands.applications.subject_notice): its row has no
recipient_id. Every existing row keeps its recipient.

Revision ID: 020470314a0e
Revises: 9997a7ecfb5f
Create Date: 2026-11-25 00:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '020470314a0e'
down_revision = '9997a7ecfb5f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.alter_column('recipient_id', existing_type=sa.Integer(), nullable=True)


def downgrade():
    op.execute("DELETE FROM notification WHERE recipient_id IS NULL")
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.alter_column('recipient_id', existing_type=sa.Integer(), nullable=False)
