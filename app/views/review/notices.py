"""通知 (``/review/notices``): the signed-in staff member's in-app notices (催办), newest first.

Each notice is the outbox row ``queue_in_app`` wrote (channel ``inapp``): its words come from
app.commands.notifications.STAFF_TEMPLATES with the parameters stored (already redacted: a
serial number whole, any ID-like number masked), so the list shows nothing personal in full.
A notice is read (``sent_at``) once its reader opens it here or opens its application's review
page (app.commands.applications.urge.mark_read). The staff navigation shows the unread count
(:func:`unread_count`: one capped count per page).
"""
from __future__ import annotations

from typing import Any, Optional

from flask import abort, g, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from app.commands.applications.context import now
from app.commands.notifications import FALLBACK, IN_APP, STAFF_TEMPLATES
from app.extensions import db
from app.models.application import Notification
from app.scoping import is_staff
from app.views.review import ReviewBaseView, local_time

PAGE_SIZE = 20
#: The nav badge counts at most this many (then "99+"): the count never scans far.
UNREAD_CAP = 99
TITLE = _l("Notices")
BAD_PAGE = _l("This page link is not valid; start again from the first page.")


def _mine(user: Any):
    return (Notification.recipient_id == user.id, Notification.channel == IN_APP)


def unread_count() -> Optional[str]:
    """Return the signed-in staff member's unread in-app notices as the nav shows them ("3",
    "99+", "" for none), or None where the nav shows no inbox: nobody signed in, or an account
    that is not staff (app.scoping.is_staff: no role that reads or works the review desk)."""
    user = getattr(g, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not is_staff(user):  # the inbox's readers: whoever works the review desk
        return None
    capped = (select(Notification.id).where(*_mine(user), Notification.sent_at.is_(None))
              .limit(UNREAD_CAP + 1).subquery())
    try:
        count = db.session.scalar(select(func.count()).select_from(capped)) or 0
    except SQLAlchemyError:  # a staff error page after a failed statement: no badge, no 500
        db.session.rollback()
        return None
    return "" if not count else f"{UNREAD_CAP}+" if count > UNREAD_CAP else str(count)


def notice_text(notice: Notification) -> str:
    """Return the notice's words in the reader's language."""
    words = STAFF_TEMPLATES.get(notice.template, FALLBACK)
    try:
        return str(words) % {"serial": "", "item": "", "step": "", **(notice.params or {})}
    except (KeyError, TypeError, ValueError):
        return str(FALLBACK) % {"serial": (notice.params or {}).get("serial", "")}


class NoticeInboxView(ReviewBaseView):
    """``/review/notices`` (the list) and ``/review/notices/<id>`` (open: read, then the
    application)."""

    route_base = "/review/notices"
    default_view = "index"
    method_permission_name = {"index": "read", "open": "read"}

    @expose("/")
    @has_access
    def index(self):
        before = request.args.get("before")
        if before is not None and not before.isdigit():
            return self.message(BAD_PAGE, 400, title=TITLE)
        query = select(Notification).where(*_mine(g.user))
        if before:
            query = query.where(Notification.id < int(before))
        notices = list(db.session.scalars(query.order_by(Notification.id.desc())
                                          .limit(PAGE_SIZE + 1)))
        more = len(notices) > PAGE_SIZE
        notices = notices[:PAGE_SIZE]
        rows = [{"id": n.id, "text": notice_text(n), "at": local_time(n.created_at),
                 "unread": n.sent_at is None, "serial": (n.params or {}).get("serial") or "—",
                 "url": url_for("NoticeInboxView.open", pk=n.id)} for n in notices]
        links = {"first": url_for("NoticeInboxView.index") if before else None,
                 "next": url_for("NoticeInboxView.index", before=notices[-1].id)
                 if more else None}
        return self.page("notices.html", title=TITLE, rows=rows, links=links)

    @expose("/<int:pk>")
    @has_access
    def open(self, pk: int):
        notice = db.session.scalar(select(Notification).where(Notification.id == pk,
                                                                *_mine(g.user)))
        if notice is None:
            abort(404)
        if notice.sent_at is None:
            notice.sent_at = now()
            db.session.commit()
        if notice.application_id is None:
            return redirect(url_for("NoticeInboxView.index"))
        return redirect(url_for("ReviewDetailView.show", pk=notice.application_id))
