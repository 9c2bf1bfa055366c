"""Upload names stored before control characters became one space: their migration rewrites the
escaped form (病历 "a"%0D%0AX-Inj: 1.jpg) as a name stored today would be, and leaves a name
whose percent sign stands for no control character alone."""
import sqlalchemy as sa

from app.extensions import db
from app.models.application import Attachment
from app.uploads.sniff import display_name
from tests.applications_support import (api_create, api_fill, clock, load_gd8,  # noqa: F401
                                        make_citizen, token)

BEFORE = "c9e1a3b5d7f0"  # the revision before the rewrite
OLD = {'病历 "a"%0D%0AX-Inj: 1.jpg': '病历 "a" X-Inj: 1.jpg',
       "a%09%09b%0d%0Ac%1F%00.png": "a b c .png",
       "折扣%20%50.png": "折扣%20%50.png"}


def test_migration_rewrites_escaped_control_characters_as_one_space(ctx, clock, client):
    from flask_migrate import downgrade, upgrade

    load_gd8()
    headers = token(client, make_citizen().username)
    pk = api_create(client, headers).get_json()["id"]
    api_fill(client, headers, pk)  # one upload per required material, named as today
    ids = list(db.session.scalars(sa.select(Attachment.id).where(
        Attachment.application_id == pk).order_by(Attachment.id)))
    assert len(ids) == len(OLD)
    db.session.remove()  # no open transaction holds a lock the migration waits for
    downgrade(revision=BEFORE)
    try:
        for pk_, old in zip(ids, OLD):  # what the upload stored before
            db.session.execute(sa.update(Attachment).where(Attachment.id == pk_)
                               .values(original_name=old))
        db.session.commit()
    finally:
        db.session.remove()
        upgrade()
    stored = dict(db.session.execute(sa.select(Attachment.id, Attachment.original_name)
                                     .where(Attachment.id.in_(ids))).all())
    assert [stored[i] for i in ids] == list(OLD.values())
    # as an upload of the same name is stored today
    assert [stored[i] for i in ids] == [display_name(old) for old in OLD]
