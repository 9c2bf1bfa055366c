"""The reviewers' JSON API: queues and decisions (CONTRACT.md §4). Thin glue over
``app.workflow`` (queues) and ``app.commands.reviews`` (decisions).

A decision on an application outside the reviewer's region and steps answers 403, as the
contract says, and so does one on an id that does not exist, with the same body: ids are
sequential, and a different reply would let any reviewer count applications (and drafts) in
every region. (The commands, and so the reviewers' pages, answer 404 for both, as their GET.)
"""
from __future__ import annotations

from flask import g, request
from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from app import workflow
from app.api.applications.errors import error_response
from app.api.applications.body import JSON_MAX_BYTES
from app.api.base import BanshiApi, BodyNotJsonObjectError, json_object, safe
from app.api.reviews.decision_doc import decision_doc
from app.api.reviews.schema import (DecisionPostSchema, DecisionResultSchema, ReviewListSchema,
                                    ReviewQuerySchema, entry_json)
from app.commands.applications.errors import ApplicationError, ApplicationNotFoundError
from app.commands.reviews import COMMANDS
from app.errors import MESSAGES
from app.workflow.queue import counting as queues
from app.workflow.queue.access import may_read_queue
from app.workflow.queue.unstaffed import unstaffed
from app.workflow.routing import step_role

NOT_A_CURSOR = _l("This is not a cursor of this queue: send the next of the previous page.")
OUT_OF_SCOPE = _l("This application is outside your region and steps.")
#: Pending and done are the queues of what one decides (app.workflow.queue.access).
DECIDERS_ONLY = _l("The pending and done queues are for reviewers, who decide. You may read the "
                   "late queues: state=overdue or state=due_soon.")
#: 无人可办: the permission of its page (app.views.review.unstaffed), held by RegionAdmin.
UNSTAFFED_PERMISSION = "Unstaffed"
STAFF_MANAGERS_ONLY = _l("The list of applications nobody can decide (state=unstaffed) is for "
                         "regional and platform administrators, who manage the staff accounts.")


class ReviewApi(BanshiApi):
    """``/api/v1/reviews/``: ``can_read`` (the late queues), ``can_decide`` (decisions, and with
    can_read the pending and done queues). RegionAdmin holds can_read alone: supervision."""

    resource_name = "reviews"
    openapi_spec_tag = "Reviews"
    openapi_spec_component_schemas = (DecisionPostSchema, DecisionResultSchema,
                                      ReviewListSchema)

    @expose("/", methods=["GET"])
    @protect()
    @safe
    @permission_name("read")
    def get_list(self):
        """The reviewer's queue, keyset-paginated.
        ---
        get:
          summary: List applications in a review queue
          description: >-
            pending: what you may decide now; done: your decisions, newest first (decided_step,
            decision, decided_at), with the application's status now and, while it waits at a
            step, that current step (current_step, step_name, step_region, step_deadline);
            overdue and due_soon: late steps handled in your region's subtree, yours and those
            you supervise. Reviewers read every state; a regional administrator, who supervises
            and does not decide, reads overdue and due_soon, and pending and done (the default
            state is pending) are 403 for them. unstaffed (无人可办): applications waiting at a
            step handled in your region's subtree that no active account may decide now (nobody
            holds the step's role there, or those who do are excluded from this application),
            with waiting_since, step_role and unstaffed_reason; for regional and platform
            administrators (reviewers: 403). Every entry says whether its
            current step is yours to decide (yours_to_decide, by the rules approve, return and
            refuse apply).
          parameters:
          - in: query
            name: state
            schema: {type: string, enum: [pending, done, overdue, due_soon, unstaffed]}
          - {in: query, name: item, schema: {type: string, minLength: 1, maxLength: 60},
             description: item code}
          - {in: query, name: region, schema: {type: string, pattern: '^[0-9]{6}([0-9]{5})?$'},
             description: within this region}
          - {in: query, name: step, schema: {type: string, minLength: 1, maxLength: 60},
             description: current step key}
          - {in: query, name: after, schema: {type: string, minLength: 1, maxLength: 40},
             description: the previous page's next}
          - {in: query, name: limit, schema: {type: integer, minimum: 1, maximum: 200}}
          - {in: query, name: _l_, schema: {type: string, enum: [zh, en]},
             description: the language of the names}
          responses:
            200:
              description: One page of the queue and the scoped count (up to 1000)
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ReviewListSchema'}
            400: {$ref: '#/components/responses/400'}
            401: {$ref: '#/components/responses/401'}
            403: {$ref: '#/components/responses/403'}
        """
        try:
            query = ReviewQuerySchema().load(request.args.to_dict())
        except ValidationError as error:
            return self.response(400, message=str(MESSAGES[400]), errors=error.messages)
        filters = {key: query[key] for key in ("item", "region", "step") if key in query}
        state, user = query["state"], g.user
        if not may_read_queue(state, self.class_permission_name):
            return self.response(403, message=str(DECIDERS_ONLY))
        if state == "unstaffed":
            if not self.appbuilder.sm.has_access("can_read", UNSTAFFED_PERMISSION):
                return self.response(403, message=str(STAFF_MANAGERS_ONLY))
            return self._unstaffed(user, filters, query)
        try:
            page = workflow.queue_page(state, user, filters, query.get("after"), query["limit"])
        except workflow.InvalidCursor:
            return self.response(400, message=str(MESSAGES[400]),
                                 errors={"after": [str(NOT_A_CURSOR)]})
        count = workflow.count(state, user, filters)
        capped = count > queues.COUNT_CAP
        return self.response(200, count=min(count, queues.COUNT_CAP), count_exact=not capped,
                             result=[entry_json(entry) for entry in page.entries],
                             next=page.after)

    def _unstaffed(self, user, filters: dict, query: dict):
        found = unstaffed(user, filters)
        try:
            page = found.page(query.get("after"), query["limit"])
        except workflow.InvalidCursor:
            return self.response(400, message=str(MESSAGES[400]),
                                 errors={"after": [str(NOT_A_CURSOR)]})
        result = [entry_json(entry, waiting_since=entry.application.step_started_at,
                             step_role=step_role(entry.step) if entry.step else None,
                             unstaffed_reason=found.reason(entry.application))
                  for entry in page.entries]
        return self.response(200, count=min(found.count, queues.COUNT_CAP),
                             count_exact=found.count <= queues.COUNT_CAP, result=result,
                             next=page.after)

    def _decide(self, verb: str, pk: int):
        try:
            body = DecisionPostSchema().load(json_object(JSON_MAX_BYTES))
        except BodyNotJsonObjectError as error:
            return self.not_json_object(error)
        except ValidationError as error:
            return self.response(422, message=str(MESSAGES[422]), errors=error.messages)
        arguments = dict(comment=body.get("comment"), expected_version=body["version"],
                         step=body.get("step"))
        if verb == "return":
            missing = body.get("missing") or {}
            arguments["missing"] = {"fields": missing.get("fields_") or {},
                                    "materials": missing.get("materials") or {}}
        command = COMMANDS[verb](pk, g.user, **arguments)
        try:
            application = command.run()
        except ApplicationNotFoundError:  # existence is never confirmed: 403 for both
            return self.response(403, message=str(OUT_OF_SCOPE))
        except ApplicationError as error:
            return error_response(self, error)
        pending = getattr(command, "cosign_pending", None)  # 会签: signed, not passed
        return self.response(200, status=application.status,
                             current_step=application.current_step,
                             version=application.lock_version, cosign=pending)

    @expose("/<int:pk>/approve", methods=["POST"])
    @protect()
    @safe
    @permission_name("decide")
    @decision_doc("Approve the current step (会签 steps wait for enough approvals)",
                  "The application's new status, current step and version")
    def approve(self, pk: int):
        """Approve the current step."""
        return self._decide("approve", pk)

    @expose("/<int:pk>/return", methods=["POST"])
    @protect()
    @safe
    @permission_name("decide")
    @decision_doc("Return to the citizen, naming every field and material to correct",
                  'status "returned"')
    def return_(self, pk: int):
        """Return the application for correction (一次性告知)."""
        return self._decide("return", pk)

    @expose("/<int:pk>/refuse", methods=["POST"])
    @protect()
    @safe
    @permission_name("decide")
    @decision_doc("Refuse; the comment (the reason) is required", 'status "refused"')
    def refuse(self, pk: int):
        """Refuse the application (closes it)."""
        return self._decide("refuse", pk)
