"""application: who may not decide the current step (step_barred), for the pending queue

``step_barred`` holds the accounts that may not decide the current step now, as ",12,34,":
those who decided it in this round (会签 needs different people) and, for a step marked
``distinct`` in the pinned version's definition, those who decided another step in any round.
The pending queue filters on it instead of looking up each row's decisions. Existing submitted
applications are filled in from their step decisions, in batches.

Revision ID: a7d3e9f1c2b4
Revises: 8c1e5f3a9b72
Create Date: 2026-11-23 23:50:00.000000

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d3e9f1c2b4'
down_revision = '8c1e5f3a9b72'
branch_labels = None
depends_on = None

BATCH = 5000

application = sa.table(
    'application', sa.column('id', sa.Integer), sa.column('version_id', sa.Integer),
    sa.column('status', sa.String), sa.column('current_step', sa.String),
    sa.column('round', sa.Integer), sa.column('step_barred', sa.Text))
step_decision = sa.table(
    'step_decision', sa.column('application_id', sa.Integer), sa.column('step_key', sa.String),
    sa.column('round', sa.Integer), sa.column('actor_id', sa.Integer))
item_version = sa.table('item_version', sa.column('id', sa.Integer),
                        sa.column('definition', sa.JSON))


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('step_barred', sa.Text(), nullable=True))
    _backfill(op.get_bind())


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('step_barred')


def _distinct_steps(connection):
    """Return the ``(version_id, step key)`` pairs of steps marked ``distinct``."""
    pairs = set()
    for version, definition in connection.execute(
            sa.select(item_version.c.id, item_version.c.definition)):
        if isinstance(definition, str):
            definition = json.loads(definition)
        for step in (definition or {}).get('approval') or ():
            if isinstance(step, dict) and step.get('distinct'):
                pairs.add((version, step.get('key')))
    return pairs


def _backfill(connection):
    distinct = _distinct_steps(connection)
    last = 0
    while True:
        rows = connection.execute(
            sa.select(application.c.id, application.c.version_id, application.c.current_step,
                      application.c.round)
            .where(application.c.id > last, application.c.status == 'submitted')
            .order_by(application.c.id).limit(BATCH)).all()
        if not rows:
            break
        first, last = last, rows[-1][0]
        barred = {pk: set() for pk, *_rest in rows}
        shown = {pk: (step, round_, (version, step) in distinct)
                 for pk, version, step, round_ in rows}
        decisions = connection.execute(
            sa.select(step_decision.c.application_id, step_decision.c.step_key,
                      step_decision.c.round, step_decision.c.actor_id)
            .join(application, application.c.id == step_decision.c.application_id)
            .where(application.c.id > first, application.c.id <= last,
                   application.c.status == 'submitted', step_decision.c.actor_id.is_not(None)))
        for pk, key, round_, actor in decisions:
            step, current_round, is_distinct = shown[pk]
            if (key == step and round_ == current_round) or (is_distinct and key != step):
                barred[pk].add(actor)
        updates = [{'pk': pk, 'barred': ',' + ','.join(map(str, sorted(actors))) + ','}
                   for pk, actors in barred.items() if actors]
        if updates:
            connection.execute(
                application.update().where(application.c.id == sa.bindparam('pk'))
                .values(step_barred=sa.bindparam('barred')), updates)
