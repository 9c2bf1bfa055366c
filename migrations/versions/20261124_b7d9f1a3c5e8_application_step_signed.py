"""application: who has signed the current step this round (会签 progress)

``application.step_signed`` holds the names of this round's approvers of the current step, in
the order they signed, joined by U+001F (app.workflow.cosign), kept by the workflow as
``step_barred`` is: a queue page shows a co-signed step's progress from its own rows, with no
statement of its own. Filled here for applications already waiting at such a step.

Revision ID: b7d9f1a3c5e8
Revises: e5f7a9c1b3d6
Create Date: 2026-11-24 17:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d9f1a3c5e8'
down_revision = 'e5f7a9c1b3d6'
branch_labels = None
depends_on = None

_SIGNED = ("FROM step_decision d JOIN ab_user u ON u.id = d.actor_id "
           "WHERE d.application_id = application.id AND d.step_key = application.current_step "
           "AND d.round = application.round AND d.decision = 'approve'")


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('step_signed', sa.Text(), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':
        names = (f"SELECT string_agg(coalesce(u.first_name, ''), chr(31) ORDER BY d.id) "
                 f"{_SIGNED}")
    else:  # SQLite before 3.44 has no ORDER BY in an aggregate: it keeps a subquery's order
        names = ("SELECT group_concat(name, char(31)) FROM (SELECT coalesce(u.first_name, '') "
                 f"AS name {_SIGNED} ORDER BY d.id)")
    op.execute(f"UPDATE application SET step_signed = ({names}) "
               "WHERE status = 'submitted' AND step_barred IS NOT NULL")


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('step_signed')
