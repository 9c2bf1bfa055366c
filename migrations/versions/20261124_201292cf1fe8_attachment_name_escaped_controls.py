"""attachments: an escaped control character in a stored file name becomes one space

Before fd10755 a file name whose multipart header carried a control character as ``%0D``,
``%0A``, ``%09`` (browsers) or any ``%00``-``%1F`` (urllib3) was stored with the escapes
themselves: 病历 "a"%0D%0AX-Inj: 1.jpg. Names stored since have each run of control characters
as one space (``app.uploads.sniff.display_name``). This rewrites the older names the same way,
so reviewers, citizens and downloads see one form. The rule is copied here as it stood at this
revision, so that a later change to the upload code cannot change what this migration did.

The downgrade leaves the names as they are: the escaped form was never what the file was called.

Revision ID: 201292cf1fe8
Revises: c9e1a3b5d7f0
Create Date: 2026-11-24 21:30:00.000000

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '201292cf1fe8'
down_revision = 'c9e1a3b5d7f0'
branch_labels = None
depends_on = None

MAX_NAME_CHARS = 200
ESCAPED_CONTROL = re.compile(r"%[01][0-9A-Fa-f]")
REMOVED = frozenset({"Cf", "Cs"})
SPACED = frozenset({"Cc", "Zl", "Zp"})
attachment = sa.table('attachment', sa.column('id', sa.Integer),
                      sa.column('original_name', sa.String(300)))


def display_name(filename):
    """Return the name as app.uploads.sniff.display_name gives it at this revision."""
    text = []
    decoded = ESCAPED_CONTROL.sub(lambda m: chr(int(m.group()[1:], 16)), filename)
    for char in unicodedata.normalize("NFC", decoded):
        category = unicodedata.category(char)
        if category in SPACED:
            if text and text[-1] != " ":
                text.append(" ")
        elif category not in REMOVED:
            text.append(char)
    name = "".join(text).strip()
    if len(name) > MAX_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        if dot and stem and len(ext) <= 10:
            name = stem[:MAX_NAME_CHARS - len(ext) - 1].rstrip() + "." + ext
        else:
            name = name[:MAX_NAME_CHARS]
    return name


def upgrade():
    connection = op.get_bind()
    rows = connection.execute(sa.select(attachment.c.id, attachment.c.original_name).where(
        attachment.c.original_name.like('%\\%%', escape='\\'))).all()
    for pk, name in rows:
        if not ESCAPED_CONTROL.search(name):
            continue  # a percent sign that stands for no control character is part of the name
        connection.execute(sa.update(attachment).where(attachment.c.id == pk)
                           .values(original_name=display_name(name)))


def downgrade():
    pass  # the escaped form was never the file's name
