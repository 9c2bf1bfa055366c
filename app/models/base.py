"""Column helpers shared by the models."""
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Optional

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

#: ``__table_args__`` of a table whose ids are named by value elsewhere without a foreign key
#: (history's object ids and file ids, notifications): on SQLite the table is AUTOINCREMENT,
#: so the id of a deleted row is never given to a new one (SQLite otherwise reuses the largest
#: id; PostgreSQL's sequences never do). Migration b3d3a5043784 rebuilt the tables with it; a
#: later migration that rebuilds one of them on SQLite (a batch operation that recreates the
#: table) passes ``table_kwargs=NEVER_REUSED``, as reflection does not carry it over.
NEVER_REUSED = {"sqlite_autoincrement": True}


def utcnow() -> datetime:
    """Return the real current time in UTC, timezone-aware: for security timers (captcha,
    session marks) and rows no date rule reads."""
    return datetime.now(timezone.utc)


def app_now() -> datetime:
    """Return the application's clock (app.clock.now, ``BANSHI_CLOCK`` when set): for when a
    row was created or last changed or an event happened, which pages and rules set beside
    the dates they read from that clock (a submission's day, a history's order, retention)."""
    from app.clock import now

    return now()


class UtcDateTime(TypeDecorator):
    """Store aware datetimes as UTC; SQLite hands them back naive, so re-attach UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


@dataclass(frozen=True)
class Scope:
    """How a model is scoped: the column holding its region code and/or its owner id.

    ``shared_when_null``: rows with no region (national dictionary entries) are readable by all.
    ``staff_condition``: ``f(model, user)``, which of their region's rows staff may see (none
    given: all of them); platform administrators see only those rows too.
    ``owner_condition``: ``f(model, user)``, which of their own rows an owner may see (none
    given: all of them).
    """

    region: Optional[str] = None
    owner: Optional[str] = None
    shared_when_null: bool = False
    staff_readable: bool = False  # national reference data every staff member may read
    staff_condition: Optional[Callable[[type, Any], Any]] = None
    owner_condition: Optional[Callable[[type, Any], Any]] = None
