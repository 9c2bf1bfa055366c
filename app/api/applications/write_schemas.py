"""The replies of the applications API's writing endpoints, and its refusals, as the OpenAPI
document describes them (components of ApplicationApi)."""
from __future__ import annotations

from marshmallow import Schema, fields

from app.models.application import STATUSES


class CreatedSchema(Schema):
    id = fields.Integer()
    serial = fields.String(allow_none=True)
    status = fields.String()


class SaveResponseSchema(Schema):
    errors = fields.Dict(metadata={"description": "{key: [message, …]}, informative: what "
                                                  "submitting would refuse in the answers now "
                                                  "(_notice included; materials not)"})
    warnings = fields.Dict(metadata={"description": "{key: [message, …]}: unknown keys "
                                                    "ignored, answers worth a second look"})
    version = fields.Integer(metadata={"description": "the lock_version saved (the ETag)"})
    pages = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "{key: page key} for each key of errors and warnings that is a field "
                       "of a page (a repeating group's row keys, members[2].birth, included)"})


class SubmitWarningSchema(Schema):
    key = fields.String(metadata={"description": "a returned question's key, or materials.<key>"})
    message = fields.String(metadata={"description": "as the web confirmation page says it"})


class SubmittedSchema(Schema):
    """What a submission answers, and what a retry with the same Idempotency-Key gets back."""

    id = fields.Integer()
    status = fields.String(metadata={"enum": list(STATUSES), "description": (
        "submitted (at its first step), or the decision when rules (auto steps) decide it at "
        "once")})
    serial = fields.String(metadata={"description": "the application's serial number (受理号)"})
    warnings = fields.List(fields.Nested(SubmitWarningSchema), metadata={"description": (
        "on a resubmission only: each question or material the return asked to correct but "
        "sent again as returned (not an error; the reviewer is shown them too)")})


class UploadedSchema(Schema):
    file_id = fields.Integer(metadata={"description": "for DELETE …/materials/<key>/<file_id> "
                                                      "and GET …/files/<file_id>"})
    sha256 = fields.String(metadata={"description": "the stored file's SHA-256, hexadecimal"})


class WithdrawnSchema(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"enum": ["withdrawn"]})


class DeletedSchema(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"enum": ["deleted"]})


class RemovedSchema(Schema):
    message = fields.String(metadata={"description": "for people, in the request's language"})


#: The replies of the writing endpoints, registered as OpenAPI components.
WRITE_SCHEMAS = (SubmittedSchema, UploadedSchema, WithdrawnSchema, DeletedSchema, RemovedSchema)


class ErrorSchema(Schema):
    message = fields.String()
    errors = fields.Dict()


class ActionSchema(Schema):
    method = fields.String(metadata={"enum": ["POST", "DELETE"]})
    path = fields.String(metadata={"description": "the endpoint to call first, or instead, "
                                                  "such as /api/v1/me/identity"})


class RefusedSchema(Schema):
    """A 403 (or the 409 of a draft's withdrawal): the message, per-key messages when keys are
    refused, and what to do first or instead."""

    message = fields.String(required=True, metadata={
        "description": "For people, in the request's language"})
    errors = fields.Dict(metadata={"description": "Messages per payload key, when keys are "
                                                  "refused"})
    action = fields.Nested(ActionSchema, metadata={
        "description": "present when a call elsewhere removes the refusal (identity not "
                       "verified: POST /api/v1/me/identity) or replaces the request (a draft "
                       "never submitted is deleted, not withdrawn: DELETE /api/v1/applications/"
                       "<id>)"})
