"""无人可办 (``/review/unstaffed``): waiting applications whose current step no active account may
decide now, for regional administrators (their subtree) and platform administrators.

The list is app.workflow.queue.unstaffed's (can_decide's rule, app.workflow.staffing); each row
links to the application (read only, masked, as the late queues) and to the staff accounts of
its handling region, where an administrator adds or reactivates someone.
"""
from __future__ import annotations

from typing import Optional

from flask import g, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_appbuilder.security.sqla.models import Role
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from marshmallow import RAISE, Schema, ValidationError, fields, validate
from sqlalchemy import select

from app import workflow
from app.engine.fields import EngineContext
from app.extensions import db
from app.models.region import with_code
from app.region_tree import region_tree
from app.roles import ROLE_NAMES
from app.validators import mask_name
from app.views.review import ReviewBaseView, deadline_state, local_time
from app.views.review.queue import BAD_LINK, CURSOR, FILTER_LABELS, NOT_A_FILTER, NOT_LISTED
from app.workflow import deadlines
from app.workflow.queue.unstaffed import EXCLUDED, unstaffed
from app.workflow.routing import step_role

#: The permission of this page and of ``GET /api/v1/reviews/?state=unstaffed``.
PERMISSION = "Unstaffed"
TITLE = _l("Nobody can decide")
REASONS = {
    "nobody": _l("No active account holds this role in the handling region."),
    EXCLUDED: _l("Those who hold the role there may not decide this application (its "
                 "applicant or subject, the clerk who entered it, or they decided it or an "
                 "earlier step already)."),
}
PAGE_SIZE = 50


class UnstaffedArgs(Schema):
    class Meta:
        unknown = RAISE

    error_messages = {"unknown": NOT_A_FILTER}
    item = fields.String(validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,59}$", error=NOT_LISTED))
    after = fields.String(validate=validate.Regexp(CURSOR, error=BAD_LINK))


def staff_link(region: str, role_id: Optional[int]) -> str:
    """Return the accounts page filtered to ``region`` and to the step's role (FAB's relation
    filters 0): only the accounts that could staff the step, not the region's citizens."""
    return url_for("StaffUserModelView.list", _flt_0_region=region, _flt_0_roles=role_id)


def role_ids() -> dict[str, int]:
    """Return the roles' ids by name (one query for a page of rows)."""
    return dict(db.session.execute(select(Role.name, Role.id)).all())


class UnstaffedView(ReviewBaseView):
    """The list; ``UnstaffedView.index`` is in the Review menu."""

    route_base = "/review/unstaffed"
    class_permission_name = PERMISSION
    default_view = "index"
    method_permission_name = {"index": "read"}

    @expose("/")
    @has_access
    def index(self):
        try:
            args = UnstaffedArgs().load({k: v for k, v in request.args.items() if k != "_l_"})
        except ValidationError as error:
            return self.page("unstaffed.html", 400, title=TITLE, rows=[], count=0, args={},
                             problems=error.messages, filter_labels=FILTER_LABELS, links={})
        filters = {"item": args["item"]} if args.get("item") else {}
        found = unstaffed(g.user, filters)
        try:
            page = found.page(args.get("after"), PAGE_SIZE)
        except workflow.InvalidCursor:
            return self.page("unstaffed.html", 400, title=TITLE, rows=[], count=0, args={},
                             problems={"after": [BAD_LINK]}, filter_labels=FILTER_LABELS,
                             links={})
        links = {"first": url_for("UnstaffedView.index", **filters) if args.get("after")
                 else None,
                 "next": url_for("UnstaffedView.index", after=page.after, **filters)
                 if page.after else None}
        return self.page("unstaffed.html", title=TITLE, rows=self._rows(page.entries, found),
                         count=found.count, args=args, links=links)

    @staticmethod
    def _rows(entries, found) -> list[dict]:
        ctx, nodes = EngineContext(locale=str(get_locale() or "zh")), region_tree().nodes
        today = deadlines.today()
        cutoff = deadlines.due_soon_cutoff(today)
        rows, ids = [], role_ids()
        for entry in entries:
            application, step = entry.application, entry.step
            handler = application.step_region_code
            role = step_role(step) if step else None
            rows.append({
                "id": application.id, "serial": application.serial or "—",
                "item": ctx.text(entry.item.name) or entry.item.code,
                "name": mask_name(application.subject_name or application.applicant_name)
                or "—",
                "step": workflow.step_label(step) if step else application.current_step,
                "role": ROLE_NAMES.get(role, role) if role else "—",
                "handler": with_code(nodes[handler].name_for(), handler)
                if handler in nodes else handler,
                "staff": staff_link(handler, ids.get(role or "Reviewer")) if handler else None,
                "waiting_since": local_time(application.step_started_at),
                "step_deadline": application.step_deadline,
                "step_deadline_provisional": deadlines.step_deadline_provisional(application),
                "deadline_state": deadline_state(application.step_deadline, today, cutoff,
                                                 application.step_due_soon_from),
                "deadline": application.deadline,
                "reason": REASONS[found.reason(application)],
            })
        return rows
