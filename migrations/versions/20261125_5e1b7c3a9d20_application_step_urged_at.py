"""application.step_urged_at: when the current step was last urged (催办); a reader's notices

The index ix_notification_recipient (recipient_id, id) serves a staff member's in-app notices,
newest first, and the navigation's unread count (app.views.review.notices).

The review queues mark a row 已催办 from this column of the row they already read, without a
join to application_urge. Set by the urge command, cleared when the step (re)starts or pauses.
Filled here from the urges of each waiting application's current step and round.

Revision ID: 5e1b7c3a9d20
Revises: b3d3a5043784
Create Date: 2026-11-25 04:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.models.base


# revision identifiers, used by Alembic.
revision = '5e1b7c3a9d20'
down_revision = 'b3d3a5043784'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('application') as batch_op:
        batch_op.add_column(sa.Column('step_urged_at', app.models.base.UtcDateTime(timezone=True),
                                      nullable=True))
    op.execute(
        "UPDATE application SET step_urged_at = ("
        " SELECT max(u.at) FROM application_urge u WHERE u.application_id = application.id"
        " AND u.step_key = application.current_step AND u.round = application.round)"
        " WHERE status = 'submitted' AND EXISTS (SELECT 1 FROM application_urge u"
        " WHERE u.application_id = application.id AND u.step_key = application.current_step"
        " AND u.round = application.round)")
    op.create_index('ix_notification_recipient', 'notification', ['recipient_id', 'id'])


def downgrade():
    op.drop_index('ix_notification_recipient', table_name='notification')
    with op.batch_alter_table('application') as batch_op:
        batch_op.drop_column('step_urged_at')
