"""The queues: 待办 (pending), 已办 (done), 临期 / 超时 (due soon / overdue).

Scoping and paging are ``app.workflow.queue``'s: every row and every count is what the user
may see; pages are keyset pages (``after`` is the queue's own cursor, never an OFFSET). The
"previous page" link carries the cursors already passed in ``trail`` (at most
:data:`TRAIL_MAX`; further back there is "first page"). A page costs a fixed number of
queries whatever its size (tests/integration/test_review_queries.py); the count stops at
``COUNT_CAP`` ("1000+").
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from flask import abort, g, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from marshmallow import RAISE, Schema, ValidationError, fields, validate
from sqlalchemy import func, or_, select

from app import workflow
from app.engine.fields import EngineContext
from app.extensions import db
from app.models.application import STATUSES
from app.models.item import Item, ItemVersion
from app.models.region import Region, with_code
from app.scoping import is_platform_admin
from app.validators import mask_id_number, mask_name
from app.views.review import DESK, ReviewBaseView, deadline_state, local_time
from app.views.review.refusal import decision_label, refused_words
from app.workflow import deadlines
from app.workflow.queue import count_text
from app.workflow.queue.access import may_read_queue, readable_queues
from app.workflow.queue.rows import item_infos
from app.workflow.queue.search import MAX_LENGTH

PAGE_SIZE = 50
#: The most rows a queue's CSV holds (app.views.review.queue_export).
EXPORT_MAX_ROWS = 5000
TRAIL_MAX = 30
#: The query-string keys that filter a queue (its page and its CSV alike).
FILTERS = ("q", "item", "status", "submitted_from", "submitted_to", "urged")
TITLES = {"pending": _l("To do"), "done": _l("Done"), "overdue": _l("Overdue"),
          "due_soon": _l("Due soon")}
CURSOR = r"^[0-9_-]{1,40}$"
#: The statuses an application can have in each queue: 待办 and 临期/超时 hold only what waits
#: at a step (a status filter there would offer nothing to choose), 已办 every outcome.
QUEUE_STATUSES = {"pending": (), "overdue": (), "due_soon": (),
                  "done": tuple(s for s in STATUSES if s != "draft")}
#: What a filter is called on the page, for its messages.
FILTER_LABELS = {"q": _l("Search"), "item": _l("Item"), "status": _l("Status"), "submitted_from": _l("Submitted from"),
                 "submitted_to": _l("Submitted until"), "after": _l("Page link"),
                 "trail": _l("Page link"), "limit": _l("Page size"), "state": _l("Queue"),
                 "urged": _l("Urged only")}
NOT_A_FILTER = _l("This is not one of this page's filters.")
NOT_A_DATE = _l("Enter a date as YYYY-MM-DD.")
NOT_LISTED = _l("Choose one of the listed values.")
TOO_LONG = _l("Enter at most %(max)s characters.", max=MAX_LENGTH)
BACKWARDS = _l("The end of the period is before its start.")
BAD_LINK = _l("This page link is not valid; start again from the first page.")
#: A direct visit to 待办 or 已办 by someone who may not decide (a regional administrator).
DECIDERS_ONLY = _l("The To do and Done queues are for reviewers, who decide applications. You "
                   "supervise: you may read the late queues, due soon and overdue.")


class QueueArgs(Schema):
    """The query string of a queue page; anything else is a 400 (SECURITY_TESTS D2) but FAB's
    one-request locale switch ``_l_``, which the view drops before loading."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": NOT_A_FILTER}
    q = fields.String(validate=validate.Length(max=MAX_LENGTH, error=TOO_LONG))
    item = fields.String(validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,59}$", error=NOT_LISTED))
    status = fields.String(validate=validate.OneOf(STATUSES, error=NOT_LISTED))
    submitted_from = fields.Date(error_messages={"invalid": [NOT_A_DATE]})
    submitted_to = fields.Date(error_messages={"invalid": [NOT_A_DATE]})
    after = fields.String(validate=validate.Regexp(CURSOR, error=BAD_LINK))
    trail = fields.String(validate=validate.Regexp(r"^[0-9_,-]{0,1300}$", error=BAD_LINK))
    limit = fields.Integer(validate=validate.Range(1, workflow.MAX_LIMIT, error=BAD_LINK),
                           error_messages={"invalid": [BAD_LINK]})
    state = fields.String(validate=validate.OneOf(("overdue", "due_soon"), error=NOT_LISTED))
    #: 只看已催办: the form's checkbox sends 1.
    urged = fields.String(validate=validate.OneOf(("1",), error=NOT_LISTED))


def given_args() -> dict:
    """Return the query string without FAB's ``_l_`` and the fields left empty: the filter
    form sends every field, and an empty one filters nothing."""
    return {k: v for k, v in request.args.items() if k != "_l_" and v.strip()}


def _link(state: str) -> tuple[str, Any]:
    if state in ("overdue", "due_soon"):
        return url_for("ReviewQueueView.late", state=state), TITLES[state]
    if state == "done":
        return url_for("ReviewQueueView.done"), TITLES["done"]
    return url_for("ReviewQueueView.pending"), TITLES["pending"]


def queue_link(state: Optional[str]) -> tuple[str, Any]:
    """Return the URL and title of queue ``state`` (待办 for anything else; for someone who may
    not decide, 超时 instead of a queue of decisions): the way back."""
    if state == "unstaffed":
        return url_for("UnstaffedView.index"), _l("Nobody can decide")
    readable = readable_queues(DESK)
    if state not in readable:
        state = "pending" if "pending" in readable else "overdue"
    return _link(state)


def queue_links() -> list[tuple[str, str, Any]]:
    """Return ``(state, URL, title)`` of each queue the signed-in user may read, in tab order."""
    return [(state, *_link(state)) for state in readable_queues(DESK)]


def items_in_scope(user, ctx: Optional[EngineContext] = None) -> list[tuple[str, str]]:
    """Return ``(code, name)`` of the items the user's queues can hold, named in ``ctx``'s language.

    Items owned on the user's path up to the root (in effect for the region) or within the
    user's subtree (its own variants and items). A name comes from the item's latest published
    version, read as queue rows read theirs (from the reference cache); an item never
    published has only its Chinese name, as has every item when ``ctx`` is None (codes wanted).
    """
    latest = (select(ItemVersion.item_id, func.max(ItemVersion.id).label("version_id"))
              .group_by(ItemVersion.item_id).subquery())
    query = (select(Item.code, Item.name_zh, latest.c.version_id)
             .outerjoin(latest, latest.c.item_id == Item.id)
             .order_by(Item.code, Item.id))
    if not is_platform_admin(user):
        path = user.region.path if user.region is not None else None  # loaded with the user
        if not path:
            return []
        below = select(Region.code).where(Region.path.startswith(path, autoescape=True))
        query = query.where(or_(Item.region_code.in_(path.strip("/").split("/")),
                                Item.region_code.in_(below)))
    found: dict[str, tuple] = {}
    for code, name, version in db.session.execute(query):
        found.setdefault(code, (name, version))
    versions = {version for _, version in found.values() if version}
    infos = item_infos(versions) if ctx is not None else {}
    return sorted(((code, (ctx.text(infos[version].name) if version in infos else "")
                    or name or code) for code, (name, version) in found.items()),
                  key=lambda pair: pair[0])


class ReviewQueueView(ReviewBaseView):
    """``/review/pending``, ``/review/done``, ``/review/late?state=overdue|due_soon``."""

    route_base = "/review"
    default_view = "pending"
    method_permission_name = {"pending": "read", "done": "read", "late": "read",
                              "export": "read"}

    @expose("/pending")
    @has_access
    def pending(self):
        return self._queue("pending", "ReviewQueueView.pending")

    @expose("/done")
    @has_access
    def done(self):
        return self._queue("done", "ReviewQueueView.done")

    @expose("/late")
    @has_access
    def late(self):
        return self._queue(request.args.get("state") or "overdue", "ReviewQueueView.late")

    @expose("/export.csv")
    @has_access
    def export(self):
        """The queue ``state`` with the page's filters as CSV (app.views.review.queue_export)."""
        from app.views.review.queue_export import export_queue

        return export_queue(self)

    def _queue(self, state: str, endpoint: str):
        if state in TITLES and not may_read_queue(state, DESK):
            return self.message(DECIDERS_ONLY, 403, title=TITLES[state], links=queue_links())
        try:
            args = QueueArgs().load(given_args())
        except ValidationError as error:
            return self._problems(state, error.messages)
        if state not in TITLES:
            abort(400)
        if args.get("status") and args["status"] not in QUEUE_STATUSES[state]:
            return self._problems(state, {"status": [NOT_LISTED]})
        if args.get("submitted_from") and args.get("submitted_to") and (
                args["submitted_to"] < args["submitted_from"]):
            return self._problems(state, {"submitted_to": [BACKWARDS]}, args)
        filters = {k: args[k] for k in FILTERS
                   if args.get(k) and (k != "q" or args[k].strip())}
        after = args.get("after")
        user = g.user
        try:
            page = workflow.queue_page(state, user, filters, after,
                                       args.get("limit") or PAGE_SIZE)
        except workflow.InvalidCursor:
            abort(400)
        count = workflow.count(state, user, filters)
        ctx = EngineContext(locale=str(get_locale() or "zh"))
        return self.page("queue.html", state=state, title=TITLES[state],
                         rows=self._rows(page.entries, ctx), count=count_text(count),
                         args=args, items=items_in_scope(user, ctx),
                         statuses=QUEUE_STATUSES[state], export_max=EXPORT_MAX_ROWS,
                         export_url=url_for("ReviewQueueView.export", state=state, **{
                             k: (v.isoformat() if isinstance(v, dt.date) else v)
                             for k, v in filters.items()}),
                         links=self._links(endpoint, state, args, after, page.after))

    def _problems(self, state: str, messages: dict, args: Optional[dict] = None):
        """The queue page with what is wrong in its query string (400), each filter by name;
        ``args``: the filters as given, when they could be read (kept in the form)."""
        ctx = EngineContext(locale=str(get_locale() or "zh"))
        return self.page("queue.html", 400, state=state, title=TITLES.get(state),
                         problems=messages, filter_labels=FILTER_LABELS, rows=[],
                         items=items_in_scope(g.user, ctx) if args else [], args=args or {},
                         count=0, links={}, statuses=QUEUE_STATUSES.get(state, ()))

    @staticmethod
    def _rows(entries, ctx: EngineContext) -> list[dict]:
        """Return what each row shows. ``step`` and its deadline are the step the application
        waits at now (none once returned or closed), in 已办 too, where the step the user
        decided is ``decided_step``; ``yours``: the user may decide that step now."""
        today = deadlines.today()
        cutoff = deadlines.due_soon_cutoff(today) if entries else today
        rows = []
        for entry in entries:
            application, item, decision = entry.application, entry.item, entry.decision
            waiting = application.status == "submitted"
            rows.append({
                "id": application.id, "serial": application.serial or "—",
                "item": ctx.text(item.name) or item.code,
                "name": mask_name(application.subject_name or application.applicant_name)
                or "—",
                "id_number": mask_id_number(application.subject_id_number) or "—",
                "region": with_code(entry.region_name, application.region_code, ctx.locale)
                if entry.region_name else application.region_code,
                "step": workflow.step_label(entry.step) if waiting else None,
                "urged_at": local_time(application.step_urged_at)
                if waiting and application.step_urged_at else None,
                "yours": entry.yours_to_decide,
                "cosign": entry.cosign if waiting else None,
                "submitted_at": local_time(application.submitted_at),
                "step_deadline": application.step_deadline if waiting else None,
                "step_deadline_provisional": waiting
                and deadlines.step_deadline_provisional(application),
                "deadline_state": deadline_state(application.step_deadline, today, cutoff,
                                                 application.step_due_soon_from)
                if waiting else None,
                "status": application.status,
                "status_name": ctx.text(item.outcomes.get(application.status))
                if item.outcomes and item.outcomes.get(application.status)
                else refused_words(application, item),
                "decided_step": (workflow.step_label(decision.step) or decision.step_key)
                if decision is not None else None,
                "decision": decision.decision if decision is not None else None,
                "decision_label": decision_label(decision, item),
                "decided_at": local_time(decision.at) if decision is not None else None,
            })
        return rows

    @staticmethod
    def _links(endpoint: str, state: str, args: dict, after, next_after) -> dict:
        """Return the URLs of the next, previous and first pages (filters kept)."""
        keep = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in args.items()
                if k not in ("after", "trail") and v not in (None, "")}
        if endpoint.endswith(".late"):
            keep["state"] = state
        trail = [c for c in (args.get("trail") or "").split(",")] if args.get("trail") else []
        links = {"first": url_for(endpoint, **keep) if after else None, "next": None,
                 "previous": None}
        if next_after:
            passed = (trail + [after or "0"])[-TRAIL_MAX:]
            links["next"] = url_for(endpoint, after=next_after, trail=",".join(passed), **keep)
        if after and trail:
            back = trail[-1]
            extra = {"trail": ",".join(trail[:-1])} if len(trail) > 1 else {}
            links["previous"] = url_for(endpoint, **keep, **extra,
                                        **({"after": back} if back != "0" else {}))
        return links
