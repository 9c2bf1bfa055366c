"""What /api/v1/formdefs/ answers, for the OpenAPI document (its body is lint's: CONTRACT.md §3).

The body is not loaded with a schema here: it is a definition file, and ``formdefs load``'s lint
(shape by :mod:`app.engine.schema`, then meaning) checks it and names every problem by line.
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate

RESULTS = ("created", "updated", "unchanged")


class _Reply(Schema):
    class Meta:
        ordered = True


class ProblemSchema(_Reply):
    line = fields.Integer(metadata={"description": "the line of the body (import) or of the "
                                                   "stored draft (publish)"})
    message = fields.String()


class ScheduledVersionSchema(_Reply):
    version = fields.Integer()
    effective_from = fields.Date()


class FormdefErrorSchema(_Reply):
    message = fields.String(metadata={"description": "what happened, in the request locale"})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), metadata={
        "description": "`definition`: every lint problem as `NAME:LINE: message`, NAME being "
                       "`<body>` for an import and `code@region` for the draft a publish "
                       "checks; `draft`: why there is nothing to publish; `region`: a region "
                       "outside the caller's (403), not given (400) or unknown (404)"})
    problems = fields.List(fields.Nested(ProblemSchema), metadata={
        "description": "the lint problems again, as line and message"})
    version = fields.Integer(metadata={"description": "nothing to publish: the version that "
                                                      "already publishes the draft"})
    revision = fields.Integer(allow_none=True, metadata={
        "description": "409 to an import with If-Match: the draft's revision now (null: the "
                       "item has no draft yet)"})
    scheduled = fields.List(fields.Nested(ScheduledVersionSchema), metadata={
        "description": "422 `errors.supersede`: the scheduled versions the publish would "
                       "supersede; name each in `supersede` to publish anyway"})


class FormdefImportedSchema(_Reply):
    code = fields.String()
    region = fields.String(metadata={"description": "the owner region"})
    status = fields.String(validate=validate.OneOf(("draft",)), metadata={
        "description": "always `draft`: an import never publishes"})
    result = fields.String(validate=validate.OneOf(RESULTS), metadata={
        "description": "as `flask formdefs load` counts it: a new item, a changed draft, or "
                       "the draft as it was (nothing stored, nothing audited)"})
    revision = fields.Integer(metadata={"description": "the draft's revision after this "
                                                       "import (also the ETag); send it as "
                                                       "If-Match to replace only this draft"})
    item_status = fields.String(metadata={"description": "the item's own status: draft until "
                                                         "first published, then published"})
    published_version = fields.Integer(allow_none=True, metadata={
        "description": "the newest published version, if any"})
    warnings = fields.List(fields.String(), metadata={
        "description": "lint's warnings as `<body>:LINE: message`; they do not stop anything"})


class RegionNameSchema(Schema):
    code = fields.String()
    name = fields.String()


class StaffingGapSchema(Schema):
    """A step of the published version that would wait with nobody to decide it somewhere."""

    step = fields.String()
    step_name = fields.String()
    role = fields.String(metadata={"description": "the role that decides the step"})
    automatic = fields.Boolean(metadata={
        "description": "an auto step: people decide it only when its rule does not approve"})
    anywhere = fields.Boolean(metadata={
        "description": "region_field: the answer chooses the handling region, which may be "
                       "any; regions and missing are then empty"})
    regions = fields.Integer(metadata={"description": "how many regions would handle the step"})
    missing = fields.List(fields.Nested(RegionNameSchema), metadata={
        "description": "those of them where no active account holds the role"})
    message = fields.String(metadata={"description": "the warning in the request's language"})


class FormdefPublishedSchema(_Reply):
    code = fields.String()
    region = fields.String()
    version = fields.Integer(metadata={"description": "the new version's number"})
    effective_from = fields.Date(allow_none=True, metadata={
        "description": "null: in effect at once"})
    supersedes = fields.List(fields.Nested(ScheduledVersionSchema), metadata={
        "description": "the scheduled versions this one superseded (confirmed by `supersede`)"})
    warnings = fields.List(fields.String(), metadata={
        "description": "lint's warnings as `code@region:LINE: message`"})
    staffing = fields.List(fields.Nested(StaffingGapSchema), metadata={
        "description": "steps no active account could decide in some region where they would "
                       "be handled; publishing is not refused (staff can be added after)"})


class VersionStateSchema(_Reply):
    version = fields.Integer()
    state = fields.String(validate=validate.OneOf(
        ("in_effect", "scheduled", "superseded", "replaced", "retired")))
    state_name = fields.String(metadata={"description": "the state in the request's language"})
    by = fields.Integer(allow_none=True, metadata={
        "description": "superseded or replaced: the version that did it"})
    effective_from = fields.Date(allow_none=True, metadata={"description": "null: at once"})
    published_at = fields.DateTime()
    published_by = fields.String(allow_none=True, metadata={
        "description": "the username of the account that published it; null: the command line"})


class FormdefVersionsSchema(_Reply):
    code = fields.String()
    region = fields.String()
    versions = fields.List(fields.Nested(VersionStateSchema), metadata={
        "description": "newest first"})
