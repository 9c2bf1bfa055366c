"""queues: covering indexes for 已办 and for a large subtree's late queues (PostgreSQL)

A reviewer's decisions newest first were read from the index and then each decision row from
the table; with ``application_id, step_key, decision, at`` included (PostgreSQL's INCLUDE)
``ix_step_decision_actor`` is walked index-only. ``ix_application_step_deadline`` includes
``step_region_code``: a province's overdue and due-soon queues walk it in deadline order and
pass over other regions' rows without reading the table. Elsewhere the indexes stay as they
were.

Revision ID: d4e6f8a0b2c3
Revises: c3d5e7f9a1b2
Create Date: 2026-11-24 09:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd4e6f8a0b2c3'
down_revision = 'c3d5e7f9a1b2'
branch_labels = None
depends_on = None

INCLUDED = ['application_id', 'step_key', 'decision', 'at']
DEADLINE = ['status', 'step_deadline', 'id']


def upgrade():
    with op.batch_alter_table('step_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_step_decision_actor')
        batch_op.create_index('ix_step_decision_actor', ['actor_id', 'id'], unique=False,
                              postgresql_include=INCLUDED)
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_step_deadline')
        batch_op.create_index('ix_application_step_deadline', DEADLINE, unique=False,
                              postgresql_include=['step_region_code'])


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_step_deadline')
        batch_op.create_index('ix_application_step_deadline', DEADLINE, unique=False)
    with op.batch_alter_table('step_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_step_decision_actor')
        batch_op.create_index('ix_step_decision_actor', ['actor_id', 'id'], unique=False)
