"""Payloads of the applications API (shape only) and, for the OpenAPI document, its replies.

A body's unknown top-level keys are refused, each named (422, app.api.base.UnknownKeysError): a
client that sends ``answers`` when creating, or mistypes ``filer``, learns that nothing of it was
taken, and one sending ``status``, ``region``, ``current_step``, ``owner`` … (SECURITY_TESTS B3)
changes nothing. The nested ``subject`` and ``agent`` drop unknown keys, and unknown keys inside
``answers`` are the save's informative warnings. What the read endpoints answer is built by
app.api.applications.replies.
"""
from __future__ import annotations

from marshmallow import EXCLUDE, INCLUDE, RAISE, Schema, fields, validate

from app.api.base import ApiSchema
from app.commands.applications.create import ADDRESS_MAX
from app.models.application import STATUSES


class _Payload(ApiSchema):
    class Meta:
        unknown = EXCLUDE


class _Body(ApiSchema):
    """A request body: an unknown top-level key is refused, not dropped unseen."""

    class Meta:
        unknown = RAISE


class SubjectSchema(_Payload):
    name = fields.String(required=True, validate=validate.Length(max=64))
    id_number = fields.String(required=True, validate=validate.Length(max=40))


class AgentPostSchema(_Payload):
    """The agent's details (代办人) as the web wizard's "who applies" step asks them.

    Shape only: what is missing, unknown or too long is refused by the command with 422 and a
    message keyed ``agent.relationship`` / ``agent.address``, as the wizard words it.
    """

    relationship = fields.String(allow_none=True, load_default=None, metadata={
        "description": "how the agent is related to the subject: a code of the `relationship` "
                       "table other than 01 (02 spouse, 03 child, 04 parent, 05 other legal "
                       "guardian, 99 other, plus the region's own codes)"})
    address = fields.String(allow_none=True, load_default=None, metadata={
        "description": f"the agent's address, at most {ADDRESS_MAX} characters"})


class ApplicationPostSchema(_Body):
    item = fields.String(required=True, validate=validate.Length(min=1, max=60))
    region = fields.String(required=True, validate=validate.Length(min=6, max=12))
    filer = fields.String(load_default="self", metadata={"enum": ["self", "agent"], "description":
                                                         "another value: 422 keyed filer"})
    subject = fields.Nested(SubjectSchema, allow_none=True, load_default=None, metadata={
        "description": "whom an agent files for (filer agent) or a clerk enters (staff)"})
    agent = fields.Nested(AgentPostSchema, allow_none=True, load_default=None, metadata={
        "description": "required when filer is agent (422 per field: agent.relationship, "
                       "agent.address); refused with 422 (key agent) when filer is self"})
    identity_checked = fields.Boolean(load_default=False, metadata={
        "description": "staff filing for a walk-in citizen (窗口代录) only: must be true, "
                       "saying the citizen's identity card was checked at the counter (422 "
                       "keyed identity_checked otherwise); recorded in the history. Ignored "
                       "for a citizen"})


class AnswersPutSchema(_Body):
    answers = fields.Dict(keys=fields.String(), required=True)
    version = fields.Integer(allow_none=True, load_default=None, strict=True, metadata={
        "description": "the lock_version read (GET /applications/<id>; or send its ETag as "
                       "If-Match): when the application changed since, 409, nothing saved"})
    page = fields.String(allow_none=True, load_default=None, metadata={
        "description": "a page key of the form (GET /applications/<id>/form): errors are "
                       "given for that page's fields only, as the web wizard's page checks "
                       "them; without it, for every page (422 for an unknown page key)"})


class WithdrawPostSchema(_Body):
    reason = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=500))


class ListArgsSchema(_Body):
    """Query string of ``GET /``: an unknown argument is named (400), not ignored."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))


# --- responses -----------------------------------------------------------------------------

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


# The read side's payloads, for the OpenAPI document (app.api.applications.replies
# builds them).

class _Reply(Schema):
    class Meta:
        unknown = INCLUDE  # documented as open: replies may gain keys (CONTRACT.md: extend)


class ItemRefSchema(_Reply):
    code = fields.String()
    name = fields.String(metadata={"description": "in the request's language"})


class ApplicationSummarySchema(_Reply):
    """A list row: ID number and mobile always masked, the subject's name masked."""

    id = fields.Integer()
    serial = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(STATUSES)})
    status_name = fields.String(allow_none=True, metadata={
        "description": "The item's own name for this status in the request locale (its "
                       "definition's outcomes, e.g. 备案成功 for approved), or null: then the "
                       "status code's usual wording applies. The status code never changes"})
    item = fields.Nested(ItemRefSchema)
    region = fields.String()
    region_name = fields.String(allow_none=True, metadata={
        "description": "The region's name in the request locale (Chinese when it has no English "
                       "name)"})
    filer = fields.String(metadata={"enum": ["self", "agent"]})
    subject_name = fields.String(allow_none=True)
    subject_id_number = fields.String(allow_none=True)
    applicant_mobile = fields.String(allow_none=True)
    current_step = fields.String(allow_none=True)
    step_name = fields.String(allow_none=True)
    deadline = fields.Date(allow_none=True)
    created_at = fields.DateTime(allow_none=True)
    submitted_at = fields.DateTime(allow_none=True)


class ApplicationListSchema(_Reply):
    count = fields.Integer()
    result = fields.List(fields.Nested(ApplicationSummarySchema))


class AgentSchema(_Reply):
    """Who filed for the subject (代办人): the account holder, as the reviewers see them."""

    name = fields.String(allow_none=True, metadata={
        "description": "the agent's name; masked (first character) for staff"})
    relationship = fields.String(allow_none=True, metadata={
        "description": "code of the `relationship` table (02 spouse, 03 child, 04 parent …)"})
    relationship_name = fields.String(allow_none=True, metadata={
        "description": "the code's name in the request's language"})
    address = fields.String(allow_none=True, metadata={
        "description": "the agent's address; for staff, long numbers in it are masked"})


class MaterialFileSchema(_Reply):
    file_id = fields.Integer()
    material_key = fields.String()
    name = fields.String()
    size = fields.Integer()
    content_type = fields.String()
    sha256 = fields.String()
    uploaded_at = fields.DateTime()
    url = fields.String()


class HistoryCoSignSchema(_Reply):
    approvals = fields.Integer(metadata={"description": "approvals so far this round"})
    approvers = fields.Integer(metadata={"description": "approvals the step needs"})


class HistoryEntrySchema(_Reply):
    action = fields.String()
    action_name = fields.String(metadata={"description": (
        "the action in the request's language: for the applicant, as their web page says it "
        "(Step passed: …); for staff, as the audit log names it")})
    at = fields.DateTime()
    by = fields.String(metadata={"enum": ["applicant", "staff", "system"]})
    step = fields.String(allow_none=True)
    step_name = fields.String(allow_none=True, metadata={
        "description": "the step's name in the request's language, null without a step"})
    comment = fields.String()
    cosign = fields.Nested(HistoryCoSignSchema, metadata={"description": (
        "only on an application.approve that left its 会签 step waiting for more approvals: "
        "the step has not passed yet")})


class VersionRefSchema(_Reply):
    id = fields.Integer()
    number = fields.Integer()


class ApplicationDetailSchema(ApplicationSummarySchema):
    """One application. The owner sees their answers and the subject's name in full; staff
    get ID numbers, mobiles and bank accounts masked, as in lists, and any ID or account number
    typed into other text masked, as on the reviewers' pages."""

    subject_verified = fields.Boolean()
    version = fields.Nested(VersionRefSchema)
    answers = fields.Dict(metadata={"description": "by field key; for staff, identifiers "
                                                   "masked, in free text too"})
    materials = fields.List(fields.Nested(MaterialFileSchema))
    return_request = fields.Dict(allow_none=True)
    deadline_provisional = fields.Boolean()
    step_deadline = fields.Date(allow_none=True)
    step_deadline_provisional = fields.Boolean(metadata={"description": (
        "as deadline_provisional, of step_deadline: counted into a year without an official "
        "holiday schedule (weekends only); false without a step_deadline")})
    closed_at = fields.DateTime(allow_none=True)
    lock_version = fields.Integer()
    history = fields.List(fields.Nested(HistoryEntrySchema))
    agent = fields.Nested(AgentSchema, allow_none=True, metadata={
        "description": "null when the subject filed for themself (filer self)"})
    may_withdraw = fields.Boolean(metadata={"description": "owner: POST …/withdraw works now"})


#: Registered as OpenAPI components by the read endpoints (nested ones first).
READ_SCHEMAS = (ItemRefSchema, AgentSchema, MaterialFileSchema, HistoryEntrySchema,
                VersionRefSchema, ApplicationSummarySchema, ApplicationListSchema,
                ApplicationDetailSchema)
