"""application_urge: an applicant's urges (催办) of overdue applications

One row per urge; the unique (application_id, day) keeps it to one per application and working
day, also when two urges arrive at once (app.commands.applications.urge).

Revision ID: 9d067fb9e86a
Revises: 7c2e9a4b1d36
Create Date: 2026-11-25 03:45:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '9d067fb9e86a'
down_revision = '7c2e9a4b1d36'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'application_urge',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('step_key', sa.String(length=60), nullable=True),
        sa.Column('round', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('at', app.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['ab_user.id'], ),
        sa.ForeignKeyConstraint(['application_id'], ['application.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('application_id', 'day', name='uq_application_urge_day'),
    )


def downgrade():
    op.drop_table('application_urge')
