"""The approval chain (docs/applications.md, "Workflow"): routing, moving, deadlines, queues.

    from app import workflow
    workflow.start(application)               # submit: enter the first applicable step
    workflow.resume(application)              # resubmission after a return
    workflow.can_decide(user, application, workflow.current_step(application))  # (ok, reason)
    workflow.pending(user, {"item": code}, after=cursor)   # Page(entries, after)
    workflow.get_reviewable(application_id, user)          # 404 outside what staff may see

Nothing here commits: callers own the transaction.
"""
from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import select

from app.commands.applications.errors import ApplicationNotFoundError
from app.extensions import db
from app.models.application import Application
from app.workflow.chain import advance, barred, close, pause, resume, scope_for, start
from app.workflow.deadlines import DUE_SOON_DAYS, working_days_left
from app.workflow.queue import (MAX_LIMIT, STATES, InvalidCursor, Page, QueueEntry, count,
                                counts, done, due_soon, overdue, pending, queue_page,
                                visible_condition)
from app.workflow.routing import (DEFAULT_ROLE, Verdict, ancestor_at, can_decide,
                                  handling_region, may_handle, step_label, step_of, step_role,
                                  steps)

__all__ = [
    "DEFAULT_ROLE", "DUE_SOON_DAYS", "MAX_LIMIT", "STATES", "InvalidCursor", "Page",
    "QueueEntry", "Verdict",
    "advance", "ancestor_at", "barred", "can_decide", "close", "count", "counts",
    "current_step", "done", "due_soon", "get_reviewable", "handling_region", "may_handle",
    "overdue", "pause",
    "pending", "queue_page", "resume", "scope_for", "start", "step_label", "step_of", "step_role",
    "steps", "visible_condition", "working_days_left",
]


def current_step(application: Application) -> Optional[dict]:
    """Return the definition of the application's current step, or None."""
    return step_of(application.version, application.current_step)


def get_reviewable(application_id: Any, user: Any, *, for_update: bool = False
                   ) -> Application:
    """Return the application if ``user`` may see it as staff (or owns it); else raise 404.

    Wider than ``app.scoping.scope_condition`` by exactly the applications whose current step
    is handled in the user's subtree (cross-agency steps). ``for_update`` locks the row
    (PostgreSQL) and refreshes it from the database.
    """
    try:
        pk = int(application_id)
    except (TypeError, ValueError):
        raise ApplicationNotFoundError() from None
    query = select(Application).where(Application.id == pk, visible_condition(user))
    if for_update:
        query = query.with_for_update(of=Application).execution_options(populate_existing=True)
    application = db.session.scalar(query) if user is not None else None
    if application is None:
        raise ApplicationNotFoundError()
    return application
