"""review: the handling region of the current step

Revision ID: b3c1d2e4f5a6
Revises: f43471667eea
Create Date: 2026-11-23 18:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3c1d2e4f5a6'
down_revision = 'f43471667eea'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('step_region_code', sa.String(length=12), nullable=True))
        batch_op.create_index('ix_application_step_region',
                              ['step_region_code', 'status', 'step_deadline', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_step_region')
        batch_op.drop_column('step_region_code')
