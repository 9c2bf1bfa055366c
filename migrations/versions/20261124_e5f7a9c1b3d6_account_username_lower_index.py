"""accounts: an index on lower(username) for case-insensitive sign-in

Sign-in looks a username up by its exact spelling first and, when none matches, by
``lower(username)`` (app/sign_in_names.py); without an index every failed sign-in read the
whole account table. PostgreSQL and SQLite both index the expression, and the query's
``lower(username) = :name`` uses it on both.

The index is not unique: databases made before usernames were unique in any case may hold
names that differ only in case (sign-in then finds neither), and a unique index would make
this upgrade fail on them.

Revision ID: e5f7a9c1b3d6
Revises: a9b1c3d5e7f9
Create Date: 2026-11-24 15:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5f7a9c1b3d6'
down_revision = 'a9b1c3d5e7f9'
branch_labels = None
depends_on = None


def upgrade():
    # Not in batch mode: SQLite creates the index in place, no copy of the account table.
    op.create_index('ix_ab_user_username_lower', 'ab_user', [sa.text('lower(username)')],
                    unique=False)


def downgrade():
    op.drop_index('ix_ab_user_username_lower', table_name='ab_user')
