"""POST /api/v1/applications/<id>/urge: the applicant urges (催办) an overdue application."""
from __future__ import annotations

from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect
from marshmallow import RAISE, Schema, fields

from app.api.applications.body import read_json
from app.api.applications.errors import handles_errors
from app.api.base import ApiSchema, safe
from app.commands.applications.access import get_application
from app.commands.applications.urge import UrgeApplicationCommand


class UrgePostSchema(ApiSchema):
    """An urge takes no input: an empty body or ``{}``; any key is refused (422 naming it)."""

    class Meta:
        unknown = RAISE


class UrgedSchema(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"enum": ["submitted"]})
    urged_at = fields.DateTime()
    step = fields.String(metadata={"description": "The step key the urge was made at"})


class ApplicationUrging:
    """Urge: an endpoint of ApplicationApi (a mixin: FAB registers what ``dir()`` finds)."""

    @expose("/<int:pk>/urge", methods=["POST"])
    @protect()
    @safe
    @handles_errors
    def urge(self, pk):
        """Urge the office to decide an overdue application (催办).
        ---
        post:
          description: >-
            Only the applicant's own application waiting for the office (`submitted`) whose
            current step is overdue: its step deadline or its statutory `deadline` is before
            today. At most once per application and working day (an urge on a rest day counts
            for the next working day). The urge is in the history (`application.urged`) and
            each reviewer who may decide the current step gets an in-app notice. GET
            /applications/<id> says whether it is possible now in `may_urge`. No body, or `{}`;
            any key is refused (422 naming each).
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          responses:
            200:
              description: Urged
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/UrgedSchema'}
            400: {$ref: '#/components/responses/400'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409:
              description: >-
                Not waiting for the office (a draft, returned for correction, closed), not
                overdue yet, without a time limit, or already urged this working day
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/RefusedSchema'}
            422: {$ref: '#/components/responses/422'}
        """
        application = get_application(pk)  # another's is 404 whatever the body
        UrgePostSchema().load(read_json())
        urge = UrgeApplicationCommand(application).run()
        return self.response(200, id=application.id, status=application.status,
                             urged_at=urge.at.isoformat(), step=urge.step_key)
