"""The reviewers' side (审核办理) in FAB's layout: queues, detail, decisions, reveal, window entry.

Modules: ``queue`` (待办 / 已办 / 临期·超时, keyset pages), ``detail`` (one application and its
files), ``decide`` (approve / return / refuse), ``reveal`` (the full ID number, permissioned
and logged), ``window`` (窗口代录), ``display`` (answers with the pinned version's labels).

Views are thin glue: scope comes from ``app.workflow`` (``visible_condition`` /
``get_reviewable``: 404 outside, existence never confirmed), rules from the commands in
``app.commands.reviews`` and ``app.commands.applications``; nothing here is a FAB ``@action``
(FAB loads action rows without ``base_filters``).

Permissions (app.roles): ``ReviewDesk`` — ``can_read`` (queues, detail, files) and
``can_decide`` (decisions); ``IdentityReveal`` — ``can_reveal``; ``WindowEntry`` —
``can_enter``.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from flask import abort, g
from flask_appbuilder import BaseView
from flask_babel import lazy_gettext as _l

from app import workflow
from app.commands.applications.errors import ApplicationNotFoundError
from app.engine.cel_functions import CST
from app.models.application import Application
from app.workflow.deadlines import is_due_soon

DESK = "ReviewDesk"
STATUS_LABELS = {
    "draft": _l("Draft"), "submitted": _l("Under review"),
    "returned": _l("Returned for correction"), "approved": _l("Approved"),
    # The status in general (dashboard, filters, audit): neither 不予受理 (at the acceptance)
    # nor 不予批准 (later) — app.views.review.refusal has the words of each place.
    "refused": _l("Not granted"), "withdrawn": _l("Withdrawn"),
}
DECISION_LABELS = {"approve": _l("Approved"), "return": _l("Returned for correction"),
                   "refuse": _l("Refused")}


def local_time(moment: Optional[dt.datetime], fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Return an aware datetime as Asia/Shanghai text ("" for None)."""
    return moment.astimezone(CST).strftime(fmt) if moment is not None else ""


def deadline_state(day: Optional[dt.date], today: dt.date, cutoff: dt.date,
                   starts: Optional[dt.date] = None) -> Optional[str]:
    """Return "overdue" (red), "due_soon" (yellow) or None for a deadline; ``starts``: a step's
    ``step_due_soon_from`` (app.workflow.deadlines.is_due_soon, as the due-soon queue)."""
    if day is None:
        return None
    if day < today:
        return "overdue"
    return "due_soon" if is_due_soon(day, starts, today, cutoff) else None


class ReviewBaseView(BaseView):
    """What the review views share: the permission view, scoped loading, page rendering."""

    class_permission_name = DESK
    method_permission_name: dict = {}

    def reviewable(self, pk: Any, **kwargs) -> Application:
        """Return the application if the user may see it as staff; 404 otherwise."""
        try:
            return workflow.get_reviewable(pk, g.user, **kwargs)
        except ApplicationNotFoundError:
            abort(404)

    def page(self, template: str, status: int = 200, **context):
        from app.views.review.queue import queue_links

        context.setdefault("status_labels", STATUS_LABELS)
        context.setdefault("decision_labels", DECISION_LABELS)
        context.setdefault("queue_links", queue_links)  # the tabs, the ways back: called there
        return self.render_template(f"review/{template}", **context), status

    def message(self, message: Any, status: int, application: Optional[Application] = None,
                title: Any = None, links: Optional[list] = None):
        """A page that says why nothing happened, with a way back (403, 409): ``links`` (state,
        URL, title) or the user's first queue."""
        return self.page("message.html", status, message=message, application=application,
                         title=title or _l("Nothing was changed"), links=links)
