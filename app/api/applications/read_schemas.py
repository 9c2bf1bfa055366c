"""The replies of the applications API's read endpoints, as the OpenAPI document describes them
(app.api.applications.replies builds them; app.api.applications.reads registers them)."""
from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields

from app.models.application import STATUSES


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
        "(Step “…” completed); for staff, as the audit log names it")})
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
    """One application, as 我要查's detail page shows it. The owner sees the subject's name,
    and their answers and the subject's ID number in full; an agent sees the ID numbers,
    mobiles and bank accounts masked once the application is submitted (in full while it is a
    draft or returned for correction). Staff get those masked, as in lists, and any ID or
    account number typed into other text masked, as on the reviewers' pages."""

    subject_id_number = fields.String(allow_none=True, metadata={"description": (
        "the owner's own, in full (an agent's subject: in full only while a draft or returned "
        "for correction); masked for staff and in lists")})
    subject_verified = fields.Boolean()
    version = fields.Nested(VersionRefSchema)
    answers = fields.Dict(metadata={"description": (
        "by field key; identifiers (ID numbers, mobiles, bank accounts, a document number "
        "prefilled from the person) as for subject_id_number; for staff, identifiers masked, "
        "in free text too")})
    materials = fields.List(fields.Nested(MaterialFileSchema))
    return_request = fields.Dict(allow_none=True)
    editable = fields.Dict(allow_none=True, metadata={"description": (
        "a returned application: {fields: [key], materials: [key]}, what its correction may "
        "change — what the reviewer flagged, and the questions and materials those answers "
        "make visible or required (directly or in turn); PUT …/answers and the uploads refuse "
        "anything else (422). null in any other status")})
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
    may_urge = fields.Boolean(metadata={"description": (
        "owner: POST …/urge (催办) works now: waiting past a deadline, not urged this working "
        "day")})


#: Registered as OpenAPI components by the read endpoints (nested ones first).
READ_SCHEMAS = (ItemRefSchema, AgentSchema, MaterialFileSchema, HistoryEntrySchema,
                VersionRefSchema, ApplicationSummarySchema, ApplicationListSchema,
                ApplicationDetailSchema)
