"""captcha_challenge: the web login form's picture challenges, kept on the server

Revision ID: b7c9e1a3d5f2
Revises: d4e6f8a0b2c3
Create Date: 2026-11-24 04:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.models.base


# revision identifiers, used by Alembic.
revision = 'b7c9e1a3d5f2'
down_revision = 'd4e6f8a0b2c3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('captcha_challenge',
    sa.Column('key', sa.String(length=43), nullable=False),
    sa.Column('answer', sa.String(length=8), nullable=False),
    sa.Column('expires_at', app.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('captcha_challenge', schema=None) as batch_op:
        batch_op.create_index('ix_captcha_challenge_expires_at', ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('captcha_challenge', schema=None) as batch_op:
        batch_op.drop_index('ix_captcha_challenge_expires_at')
    op.drop_table('captcha_challenge')
