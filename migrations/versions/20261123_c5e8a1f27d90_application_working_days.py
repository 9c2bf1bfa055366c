"""application: working days paused (补正) and taken until closed, and indexes, for the dashboard

Existing rows are filled in: the pause of each return (from its ``return`` step decision to
the next ``application.resubmitted`` history event) and, for approved and refused
applications, the working days from submission to closing less those paused — counted with
the calendar tables as they are now (holidays, make-up working days, Monday to Friday
otherwise), in batches. Indexes: a region's applications by submission time, and the return
decisions per application (partial).

Revision ID: c5e8a1f27d90
Revises: b3c1d2e4f5a6
Create Date: 2026-11-23 21:00:00.000000

"""
import datetime as dt
from collections import defaultdict

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5e8a1f27d90'
down_revision = 'b3c1d2e4f5a6'
branch_labels = None
depends_on = None

BATCH = 5000
ONE_DAY = dt.timedelta(days=1)
CST = dt.timezone(dt.timedelta(hours=8))

application = sa.table(
    'application', sa.column('id', sa.Integer), sa.column('status', sa.String),
    sa.column('submitted_at', sa.DateTime(timezone=True)),
    sa.column('closed_at', sa.DateTime(timezone=True)),
    sa.column('paused_working_days', sa.Integer), sa.column('working_days_taken', sa.Integer))
audit_event = sa.table(
    'audit_event', sa.column('id', sa.Integer), sa.column('action', sa.String),
    sa.column('object_type', sa.String), sa.column('object_id', sa.String),
    sa.column('at', sa.DateTime(timezone=True)))
step_decision = sa.table(
    'step_decision', sa.column('application_id', sa.Integer), sa.column('decision', sa.String),
    sa.column('at', sa.DateTime(timezone=True)))
calendar_day = sa.table('calendar_day', sa.column('day', sa.Date), sa.column('kind', sa.String))


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paused_working_days', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('working_days_taken', sa.Integer(), nullable=True))
        batch_op.create_index('ix_application_region_submitted',
                              ['region_code', 'submitted_at'], unique=False)
    with op.batch_alter_table('step_decision', schema=None) as batch_op:
        batch_op.create_index('ix_step_decision_return', ['application_id'], unique=False,
                              postgresql_where=sa.text("decision = 'return'"),
                              sqlite_where=sa.text("decision = 'return'"))
    _backfill(op.get_bind())


def downgrade():
    with op.batch_alter_table('step_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_step_decision_return')
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_region_submitted')
        batch_op.drop_column('working_days_taken')
        batch_op.drop_column('paused_working_days')


def _utc(moment):
    if isinstance(moment, str):  # SQLite without type processing
        moment = dt.datetime.fromisoformat(moment)
    if moment.tzinfo is None:  # stored as UTC
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment


def _local_day(moment):
    return _utc(moment).astimezone(CST).date()


def _counter(connection):
    holidays, workdays = set(), set()
    for day, kind in connection.execute(sa.select(calendar_day.c.day, calendar_day.c.kind)):
        day = dt.date.fromisoformat(day) if isinstance(day, str) else day
        (holidays if kind == 'holiday' else workdays).add(day)

    def working_days(a, b):
        """Working days after ``a`` up to and including ``b`` (app.workdays' counting)."""
        count, day = 0, a
        while day < b:
            day += ONE_DAY
            count += day in workdays or (day not in holidays and day.weekday() < 5)
        return count

    return working_days


def _backfill(connection):
    working_days = _counter(connection)
    paused = defaultdict(int)
    returned_on = {}
    returns = connection.execute(
        sa.select(step_decision.c.application_id, step_decision.c.at)
        .where(step_decision.c.decision == 'return'))
    resubmissions = connection.execute(
        sa.select(audit_event.c.object_id, audit_event.c.at)
        .where(audit_event.c.object_type == 'application',
               audit_event.c.action == 'application.resubmitted'))
    timeline = sorted([(_utc(at), 0, pk) for pk, at in returns] + [
        (_utc(at), 1, int(object_id)) for object_id, at in resubmissions
        if (object_id or '').isdigit()])
    for at, resubmitted, pk in timeline:
        day = _local_day(at)
        if not resubmitted:
            returned_on[pk] = day
        elif pk in returned_on:
            start = returned_on.pop(pk)
            paused[pk] += working_days(start, day) if day > start else 0
    if paused:
        items = list(paused.items())
        for i in range(0, len(items), BATCH):
            connection.execute(
                application.update().where(application.c.id == sa.bindparam('pk'))
                .values(paused_working_days=sa.bindparam('days')),
                [{'pk': pk, 'days': days} for pk, days in items[i:i + BATCH]])
    last = 0
    while True:
        rows = connection.execute(
            sa.select(application.c.id, application.c.submitted_at, application.c.closed_at)
            .where(application.c.id > last, application.c.status.in_(['approved', 'refused']),
                   application.c.submitted_at.is_not(None), application.c.closed_at.is_not(None))
            .order_by(application.c.id).limit(BATCH)).all()
        if not rows:
            break
        last = rows[-1][0]
        updates = []
        for pk, submitted_at, closed_at in rows:
            start, end = _local_day(submitted_at), _local_day(closed_at)
            taken = working_days(start, end) - paused.get(pk, 0) if end >= start else 0
            updates.append({'pk': pk, 'days': max(taken, 0)})
        connection.execute(
            application.update().where(application.c.id == sa.bindparam('pk'))
            .values(working_days_taken=sa.bindparam('days')), updates)
