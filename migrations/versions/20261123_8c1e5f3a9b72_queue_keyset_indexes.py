"""review queues: keyset order for the late queues' deadline index and for 已办

``ix_application_step_deadline`` gains ``id`` (a platform administrator's overdue / due-soon
queue walks it in ``(step_deadline, id)`` order, no sort); ``ix_step_decision_actor`` becomes
``(actor_id, id)`` (a reviewer's decisions newest first, keyset on the decision id).

Revision ID: 8c1e5f3a9b72
Revises: d2f6b8a4c3e1
Create Date: 2026-11-23 22:45:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '8c1e5f3a9b72'
down_revision = 'd2f6b8a4c3e1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_step_deadline')
        batch_op.create_index('ix_application_step_deadline',
                              ['status', 'step_deadline', 'id'], unique=False)
    with op.batch_alter_table('step_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_step_decision_actor')
        batch_op.create_index('ix_step_decision_actor', ['actor_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('step_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_step_decision_actor')
        batch_op.create_index('ix_step_decision_actor', ['actor_id', 'at'], unique=False)
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_step_deadline')
        batch_op.create_index('ix_application_step_deadline', ['status', 'step_deadline'],
                              unique=False)
