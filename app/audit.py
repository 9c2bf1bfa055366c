"""Record history events in the caller's transaction (append-only, SECURITY_TESTS.md E5).

No event is ever deleted; :func:`redact_history` takes the personal texts out of an
application's events when the application is purged (F2) or deleted as a draft.
"""
import uuid
from typing import Any, Optional

from flask import g, has_request_context, request

from sqlalchemy import func, select

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


def application_events(application_id: int) -> tuple:
    """Return the conditions selecting an application's own history events, for a ``where``.

    Its events are those under its id from its ``application.created`` on (every application
    is created by app.commands.applications.create, which records it first). Events under the
    same id before that belong to an earlier row that had the id (a draft deleted on SQLite
    before revision b3d3a5043784, when a new row could take a deleted row's id): another
    person's history, never shown as this application's. Without a creation event (a row
    written outside the commands), every event under the id.
    """
    object_id = str(application_id)
    created = select(func.max(AuditEvent.id)).where(
        AuditEvent.object_type == "application", AuditEvent.object_id == object_id,
        AuditEvent.action == "application.created").scalar_subquery()
    return (AuditEvent.object_type == "application", AuditEvent.object_id == object_id,
            AuditEvent.id >= func.coalesce(created, 0))


#: History detail keys that may hold personal data: free text written by a reviewer, the
#: applicant or a clerk (comments, reasons), the agent's address and relationship, and the
#: subject's (masked) ID number and mobile. Everything else in history details is codes, keys
#: and numbers.
PERSONAL_DETAIL = ("comment", "reason", "agent", "subject", "mobile")


#: The same for an account's events (registration, verification, a window placeholder, a
#: claim, a change by an administrator): the masked mobile, ID number and name.
PERSONAL_ACCOUNT_DETAIL = ("mobile", "id_number", "full_name")


def redact_history(application_id: int) -> int:
    """Take the personal texts out of an application's history events; return how many changed.

    The rows themselves — action, who, when, region, request id, step, decision — stay.
    """
    return _redact("application", application_id, PERSONAL_DETAIL)


def redact_account_history(user_id: int) -> int:
    """Take the masked mobile and ID number out of an account's history events (it is closed
    or anonymised); return how many changed."""
    return _redact("user", user_id, PERSONAL_ACCOUNT_DETAIL)


def _redact(object_type: str, object_id: int, keys: tuple[str, ...]) -> int:
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id)))
    changed = 0
    for event in events:
        detail = event.detail or {}
        personal = sorted(key for key in keys if key in detail)
        if personal:
            kept = {key: value for key, value in detail.items() if key not in keys}
            event.detail = {**kept, "redacted": personal}  # a new dict: JSON columns see it
            changed += 1
    return changed
