"""accounts: must_change_password, set while a password an administrator chose is unchanged

An administrator who creates a staff account on the users form, or sets a new password for one,
knows that password; the account's owner now has to choose their own at the next sign-in
(app.views.admin.password_change). Existing accounts are not marked (NULL): their passwords
may long since have been changed by their owners, and nothing recorded which were not.

Revision ID: 9997a7ecfb5f
Revises: 201292cf1fe8
Create Date: 2026-11-24 22:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9997a7ecfb5f'
down_revision = '201292cf1fe8'
branch_labels = None
depends_on = None


# Not in batch mode: SQLite adds and drops the column in place (3.35 and later). A batch copy
# of the account table would lose ix_ab_user_username_lower, an index on an expression, which
# SQLAlchemy cannot reflect.
def upgrade():
    op.add_column('ab_user', sa.Column('must_change_password', sa.Boolean(), nullable=True))


def downgrade():
    op.drop_column('ab_user', 'must_change_password')
