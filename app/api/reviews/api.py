"""The reviewers' JSON API: queues and decisions (CONTRACT.md §4). Thin glue over
``app.workflow`` (queues) and ``app.commands.reviews`` (decisions)."""
from __future__ import annotations

from flask import g, request
from flask_appbuilder.api import BaseApi, expose, safe
from flask_appbuilder.security.decorators import permission_name, protect
from marshmallow import ValidationError

from app import workflow
from app.api.reviews.schema import (DecisionPostSchema, DecisionResultSchema, ReviewListSchema,
                                    ReviewQuerySchema, entry_json)
from app.api.applications.errors import EXTRA_RESPONSES, error_response
from app.commands.applications.errors import ApplicationError
from app.commands.reviews import COMMANDS
from app.workflow.queue import counting as queues


class ReviewApi(BaseApi):
    """``/api/v1/reviews/``: permissions ``can_read`` (queues) and ``can_decide`` (decisions)."""

    resource_name = "reviews"
    openapi_spec_tag = "Reviews"
    openapi_spec_component_schemas = (DecisionPostSchema, DecisionResultSchema,
                                      ReviewListSchema)
    responses = {**BaseApi.responses, **EXTRA_RESPONSES}

    @expose("/", methods=["GET"])
    @protect()
    @safe
    @permission_name("read")
    def get_list(self):
        """The reviewer's queue, keyset-paginated.
        ---
        get:
          summary: List applications in a review queue
          parameters:
          - in: query
            name: state
            schema: {type: string, enum: [pending, done, overdue, due_soon]}
          - {in: query, name: item, schema: {type: string}, description: item code}
          - {in: query, name: region, schema: {type: string}, description: within this region}
          - {in: query, name: step, schema: {type: string}, description: current step key}
          - {in: query, name: after, schema: {type: string}, description: the previous page's next}
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
            return self.response(400, message="Arguments are not correct", errors=error.messages)
        filters = {key: query[key] for key in ("item", "region", "step") if key in query}
        state, user = query["state"], g.user
        try:
            page = workflow.queue_page(state, user, filters, query.get("after"), query["limit"])
        except workflow.InvalidCursor:
            return self.response(400, message="Arguments are not correct",
                                 errors={"after": ["not a cursor of this queue"]})
        count = workflow.count(state, user, filters)
        capped = count > queues.COUNT_CAP
        return self.response(200, count=min(count, queues.COUNT_CAP), count_exact=not capped,
                             result=[entry_json(entry) for entry in page.entries],
                             next=page.after)

    def _decide(self, verb: str, pk: int):
        try:
            body = DecisionPostSchema().load(request.get_json(silent=True) or {})
        except ValidationError as error:
            return self.response(422, message="The request is not valid", errors=error.messages)
        arguments = dict(comment=body.get("comment"), expected_version=body["version"],
                         step=body.get("step"))
        if verb == "return":
            missing = body.get("missing") or {}
            arguments["missing"] = {"fields": missing.get("fields_") or {},
                                    "materials": missing.get("materials") or {}}
        try:
            application = COMMANDS[verb](pk, g.user, **arguments).run()
        except ApplicationError as error:
            return error_response(self, error)
        return self.response(200, status=application.status,
                             current_step=application.current_step,
                             version=application.lock_version)

    @expose("/<int:pk>/approve", methods=["POST"])
    @protect()
    @safe
    @permission_name("decide")
    def approve(self, pk: int):
        """Approve the current step.
        ---
        post:
          summary: Approve the current step (会签 steps wait for enough approvals)
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: '#/components/schemas/DecisionPostSchema'}
          responses:
            200:
              description: The application's new status, current step and version
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/DecisionResultSchema'}
            403: {description: In scope but not yours to decide (role, level, own, not current)}
            404: {description: No such application in your scope}
            409: {$ref: '#/components/responses/409'}
            422: {description: The body is not valid}
        """
        return self._decide("approve", pk)

    @expose("/<int:pk>/return", methods=["POST"])
    @protect()
    @safe
    @permission_name("decide")
    def return_(self, pk: int):
        """Return the application for correction (一次性告知).
        ---
        post:
          summary: Return to the citizen, naming every field and material to correct
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: '#/components/schemas/DecisionPostSchema'}
          responses:
            200:
              description: status "returned"
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/DecisionResultSchema'}
            403: {description: Not yours to decide}
            404: {description: No such application in your scope}
            409: {$ref: '#/components/responses/409'}
            422: {description: "missing is empty or names unknown keys"}
        """
        return self._decide("return", pk)

    @expose("/<int:pk>/refuse", methods=["POST"])
    @protect()
    @safe
    @permission_name("decide")
    def refuse(self, pk: int):
        """Refuse the application (closes it).
        ---
        post:
          summary: Refuse; the comment (the reason) is required
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: '#/components/schemas/DecisionPostSchema'}
          responses:
            200:
              description: status "refused"
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/DecisionResultSchema'}
            403: {description: Not yours to decide}
            404: {description: No such application in your scope}
            409: {$ref: '#/components/responses/409'}
            422: {description: No reason given}
        """
        return self._decide("refuse", pk)
