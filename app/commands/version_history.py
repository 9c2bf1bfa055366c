"""Who published each version of an item: the version's own record, else its audit event."""
from __future__ import annotations

from typing import Optional

from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.item import Item
from app.models.user import BanshiUser

PUBLISH_ACTION = "definition.publish"


def publishers(item: Item) -> dict[int, Optional[str]]:
    """Return, per version number, the username of the account that published it (None: the
    command line or a version published before accounts were recorded)."""
    actors = {v.number: v.published_by_id for v in item.versions}
    if any(actor is None for actor in actors.values()):
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == PUBLISH_ACTION, AuditEvent.object_type == "item",
            AuditEvent.object_id == str(item.id), AuditEvent.actor_id.is_not(None)))
        for event in events:
            number = (event.detail or {}).get("version")
            if actors.get(number, 0) is None:
                actors[number] = event.actor_id
    ids = sorted({actor for actor in actors.values() if actor is not None})
    names = dict(db.session.execute(select(BanshiUser.id, BanshiUser.username).where(
        BanshiUser.id.in_(ids))).all()) if ids else {}
    return {number: names.get(actor) for number, actor in actors.items()}
