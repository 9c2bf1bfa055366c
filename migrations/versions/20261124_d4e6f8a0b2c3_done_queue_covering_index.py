"""已办 queue: ``ix_step_decision_actor`` carries the decision's columns (PostgreSQL)

A reviewer's decisions newest first were read from the index and then each decision row from
the table; with ``application_id, step_key, decision, at`` included (PostgreSQL's INCLUDE) the
walk is index-only. Elsewhere the index stays ``(actor_id, id)``.

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


def upgrade():
    with op.batch_alter_table('step_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_step_decision_actor')
        batch_op.create_index('ix_step_decision_actor', ['actor_id', 'id'], unique=False,
                              postgresql_include=INCLUDED)


def downgrade():
    with op.batch_alter_table('step_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_step_decision_actor')
        batch_op.create_index('ix_step_decision_actor', ['actor_id', 'id'], unique=False)
