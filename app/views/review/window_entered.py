"""The clerk's own submitted counter entries (我代录的已提交件) on /review/window/: those in
progress and those finished in the last :data:`RECENT_DAYS` days, newest first, with status
and current step, paged by keyset (``?entered_before=<id>``); each leads to the application's
review page, so the clerk can follow up what they filed for a walk-in citizen."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Optional

from flask import request, url_for
from sqlalchemy import and_, or_, select

from app import workflow
from app.commands.applications.context import now
from app.extensions import db
from app.models.application import Application
from app.views.review import local_time
from app.views.review.window_support import served

RECENT_DAYS = 30
PAGE = 20
IN_PROGRESS = ("submitted",)  # a returned one is the counter's to correct: among the drafts
FINISHED = ("approved", "refused", "withdrawn")


def _before() -> Optional[int]:
    value = request.args.get("entered_before", "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def entered(user, limit: Optional[int] = None) -> SimpleNamespace:
    """Return a page of ``user``'s submitted counter entries (rows) and its pager links."""
    limit, since = limit or PAGE, now() - dt.timedelta(days=RECENT_DAYS)
    query = select(Application).where(
        Application.entered_by_id == user.id, Application.channel == "window",
        Application.submitted_at.is_not(None),
        or_(Application.status.in_(IN_PROGRESS),
            and_(Application.status.in_(FINISHED), Application.closed_at >= since)))
    before = _before()
    if before is not None:
        query = query.where(Application.id < before)
    found = list(db.session.scalars(query.order_by(Application.id.desc()).limit(limit + 1)))
    rows = [SimpleNamespace(
        application=a, served=served(a), href=url_for("ReviewDetailView.show", pk=a.id),
        submitted=local_time(a.submitted_at),
        step=workflow.step_label(workflow.step_of(a.version, a.current_step))
        if a.status in IN_PROGRESS else "")
        for a in found[:limit]]
    links = {"first": url_for(".start") if before is not None else None,
             "next": url_for(".start", entered_before=found[limit - 1].id)
             if len(found) > limit else None}
    return SimpleNamespace(rows=rows, links=links, days=RECENT_DAYS)
