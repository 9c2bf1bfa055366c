"""application: the agent's relationship and address as columns

Until now an agent's (代办) relationship to the subject and address lived only in the
``application.filer_set`` history events; they are filled in from the latest such event of
each agent application.

Revision ID: d2f6b8a4c3e1
Revises: e7a4c2d9b1f0
Create Date: 2026-11-23 22:30:00.000000

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2f6b8a4c3e1'
down_revision = 'e7a4c2d9b1f0'
branch_labels = None
depends_on = None

BATCH = 1000

application = sa.table(
    'application', sa.column('id', sa.Integer), sa.column('filer', sa.String),
    sa.column('agent_relationship', sa.String), sa.column('agent_address', sa.String))
audit_event = sa.table(
    'audit_event', sa.column('id', sa.Integer), sa.column('action', sa.String),
    sa.column('object_type', sa.String), sa.column('object_id', sa.String),
    sa.column('detail', sa.JSON))


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agent_relationship', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('agent_address', sa.String(length=200), nullable=True))
    _backfill(op.get_bind())


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('agent_address')
        batch_op.drop_column('agent_relationship')


def _backfill(connection):
    latest = {}
    events = connection.execute(
        sa.select(audit_event.c.object_id, audit_event.c.detail)
        .where(audit_event.c.object_type == 'application',
               audit_event.c.action == 'application.filer_set')
        .order_by(audit_event.c.id))
    for object_id, detail in events:
        if isinstance(detail, str):
            detail = json.loads(detail)
        if (object_id or '').isdigit():
            latest[int(object_id)] = (detail or {}).get('agent') or {}
    rows = [{'pk': pk, 'relationship': (agent.get('relationship') or None),
             'address': (agent.get('address') or None)} for pk, agent in latest.items()]
    for i in range(0, len(rows), BATCH):
        connection.execute(
            application.update().where(application.c.id == sa.bindparam('pk'),
                                       application.c.filer == 'agent')
            .values(agent_relationship=sa.bindparam('relationship'),
                    agent_address=sa.bindparam('address')),
            rows[i:i + BATCH])
