"""application: the first day the current step is due soon, relative to its own time limit

``step_due_soon_from`` (app.workflow.deadlines.due_soon_from): a step of L working days is due
soon during the last third of them (rounded up, the deadline day included), at most the
deadline day and the 2 working days before it. Stored when the step (re)starts so the due-soon
queue reads it from its indexes: ``ix_application_step_region`` and
``ix_application_step_deadline`` include it on PostgreSQL (walks stay index-only).

Applications waiting at a step with a deadline are filled in from their pinned version's step
limit and the calendar tables as they are now (holidays, make-up working days, Monday to Friday
otherwise), in batches; one whose step has no limit in its definition keeps NULL, which the
queues read as the former rule (due within 2 working days).

Revision ID: 7c2e9a4b1d36
Revises: 020470314a0e
Create Date: 2026-11-25 03:40:00.000000

"""
import datetime as dt
import json
import math

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c2e9a4b1d36'
down_revision = '020470314a0e'
branch_labels = None
depends_on = None

BATCH = 5000
ONE_DAY = dt.timedelta(days=1)
DUE_SOON_DAYS = 2  # app.workflow.deadlines.DUE_SOON_DAYS when this was written
STEP_REGION = ['step_region_code', 'status', 'step_deadline', 'id']
STEP_DEADLINE = ['status', 'step_deadline', 'id']

application = sa.table(
    'application', sa.column('id', sa.Integer), sa.column('status', sa.String),
    sa.column('version_id', sa.Integer), sa.column('current_step', sa.String),
    sa.column('step_deadline', sa.Date), sa.column('step_due_soon_from', sa.Date))
item_version = sa.table('item_version', sa.column('id', sa.Integer),
                        sa.column('definition', sa.JSON))
calendar_day = sa.table('calendar_day', sa.column('day', sa.Date), sa.column('kind', sa.String))


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('step_due_soon_from', sa.Date(), nullable=True))
    _backfill(op.get_bind())
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_step_region')
        batch_op.create_index('ix_application_step_region', STEP_REGION, unique=False,
                              postgresql_include=['step_due_soon_from'])
        batch_op.drop_index('ix_application_step_deadline')
        batch_op.create_index('ix_application_step_deadline', STEP_DEADLINE, unique=False,
                              postgresql_include=['step_region_code', 'step_due_soon_from'])


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_step_deadline')
        batch_op.create_index('ix_application_step_deadline', STEP_DEADLINE, unique=False,
                              postgresql_include=['step_region_code'])
        batch_op.drop_index('ix_application_step_region')
        batch_op.create_index('ix_application_step_region', STEP_REGION, unique=False)
        batch_op.drop_column('step_due_soon_from')


def _working_day(connection):
    holidays, workdays = set(), set()
    for day, kind in connection.execute(sa.select(calendar_day.c.day, calendar_day.c.kind)):
        day = dt.date.fromisoformat(day) if isinstance(day, str) else day
        (holidays if kind == 'holiday' else workdays).add(day)
    return lambda day: day in workdays or (day not in holidays and day.weekday() < 5)


def _limits(connection, versions):
    """Return {(version id, step key): time_limit_days} of ``versions``' definitions."""
    limits = {}
    for pk, definition in connection.execute(
            sa.select(item_version.c.id, item_version.c.definition)
            .where(item_version.c.id.in_(sorted(versions)))):
        if isinstance(definition, str):
            definition = json.loads(definition)
        for step in (definition or {}).get('approval') or ():
            if isinstance(step, dict) and step.get('key'):
                limits.setdefault((pk, step['key']), step.get('time_limit_days'))
    return limits


def _due_soon_from(deadline, limit, working_day):
    days = max(0, min(DUE_SOON_DAYS, math.ceil(int(limit) / 3) - 1))
    day = deadline
    for _ in range(days):
        day -= ONE_DAY
        while not working_day(day):
            day -= ONE_DAY
    return day


def _backfill(connection):
    working_day = _working_day(connection)
    last = 0
    while True:
        rows = connection.execute(
            sa.select(application.c.id, application.c.version_id, application.c.current_step,
                      application.c.step_deadline)
            .where(application.c.id > last, application.c.status == 'submitted',
                   application.c.step_deadline.is_not(None))
            .order_by(application.c.id).limit(BATCH)).all()
        if not rows:
            break
        last = rows[-1][0]
        limits = _limits(connection, {version for _pk, version, _step, _day in rows})
        updates = []
        for pk, version, step, deadline in rows:
            limit = limits.get((version, step))
            if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
                continue
            if isinstance(deadline, str):
                deadline = dt.date.fromisoformat(deadline)
            updates.append({'pk': pk, 'day': _due_soon_from(deadline, limit, working_day)})
        if updates:
            connection.execute(
                application.update().where(application.c.id == sa.bindparam('pk'))
                .values(step_due_soon_from=sa.bindparam('day')), updates)
