"""Record history events in the caller's transaction (append-only, SECURITY_TESTS.md E5)."""
import uuid
from typing import Any, Optional

from flask import g, has_request_context, request

from app.extensions import db
from app.models.audit import AuditEvent
from app.scoping import current_user


def request_id() -> Optional[str]:
    """Return this request's id (from X-Request-ID when sane, else generated once)."""
    if not has_request_context():
        return None
    if "request_id" not in g:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if given.isascii() and given.isprintable() and 0 < len(given) <= 40 \
            else uuid.uuid4().hex
    return g.request_id


def record(action: str, object_type: str, object_id: Any = None,
           region_code: Optional[str] = None, actor_id: Optional[int] = None, **detail) -> AuditEvent:
    """Add an event to the session; it commits (or rolls back) with the change it records."""
    user = current_user()
    event = AuditEvent(
        action=action, object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        region_code=region_code, request_id=request_id(),
        actor_id=actor_id if actor_id is not None else (user.id if user is not None else None),
        detail=detail,
    )
    db.session.add(event)
    return event
