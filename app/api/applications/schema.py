"""Payloads of the applications API (shape only) and how an application is shown.

Unknown payload keys are dropped (SECURITY_TESTS B3): a client sending ``status``, ``region``,
``current_step``, ``owner`` … next to what an endpoint takes changes nothing.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from flask import url_for
from marshmallow import EXCLUDE, INCLUDE, Schema, fields, validate
from sqlalchemy import select

from app.commands.applications.filer import RELATIONSHIPS
from app.commands.notifications import redact
from app.engine.fields import EngineContext
from app.extensions import db
from app.models.application import STATUSES, Application
from app.models.audit import AuditEvent
from app.validators import mask_bank_account, mask_id_number, mask_mobile, mask_name

MASKS = {"id_card": mask_id_number, "mobile": mask_mobile, "bank_account": mask_bank_account}


class _Payload(Schema):
    class Meta:
        unknown = EXCLUDE


class SubjectSchema(_Payload):
    name = fields.String(required=True, validate=validate.Length(max=64))
    id_number = fields.String(required=True, validate=validate.Length(max=40))


class ApplicationPostSchema(_Payload):
    item = fields.String(required=True, validate=validate.Length(min=1, max=60))
    region = fields.String(required=True, validate=validate.Length(min=6, max=12))
    filer = fields.String(load_default="self", validate=validate.OneOf(("self", "agent")))
    subject = fields.Nested(SubjectSchema, allow_none=True, load_default=None)
    # A clerk filing for a walk-in citizen: the identity card was checked at the counter.
    identity_checked = fields.Boolean(load_default=False)


class AnswersPutSchema(_Payload):
    answers = fields.Dict(keys=fields.String(), required=True)
    version = fields.Integer(allow_none=True, load_default=None, strict=True)
    page = fields.String(allow_none=True, load_default=None)


class WithdrawPostSchema(_Payload):
    reason = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=500))


class ListArgsSchema(_Payload):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))


# --- responses -----------------------------------------------------------------------------

class CreatedSchema(Schema):
    id = fields.Integer()
    serial = fields.String(allow_none=True)
    status = fields.String()


class SaveResponseSchema(Schema):
    errors = fields.Dict()
    warnings = fields.Dict()
    version = fields.Integer()


class ErrorSchema(Schema):
    message = fields.String()
    errors = fields.Dict()


# The read side's payloads, for the OpenAPI document (the functions below build them).

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
    item = fields.Nested(ItemRefSchema)
    region = fields.String()
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


class HistoryEntrySchema(_Reply):
    action = fields.String()
    at = fields.DateTime()
    by = fields.String(metadata={"enum": ["applicant", "staff", "system"]})
    step = fields.String(allow_none=True)
    comment = fields.String()


class VersionRefSchema(_Reply):
    id = fields.Integer()
    number = fields.Integer()


class ApplicationDetailSchema(ApplicationSummarySchema):
    """One application. The owner sees their answers and the subject's name in full; staff
    get ID numbers, mobiles and bank accounts masked, as in lists."""

    subject_verified = fields.Boolean()
    version = fields.Nested(VersionRefSchema)
    answers = fields.Dict(metadata={"description": "by field key (masked for staff)"})
    materials = fields.List(fields.Nested(MaterialFileSchema))
    return_request = fields.Dict(allow_none=True)
    deadline_provisional = fields.Boolean()
    step_deadline = fields.Date(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    lock_version = fields.Integer()
    history = fields.List(fields.Nested(HistoryEntrySchema))
    agent = fields.Nested(AgentSchema, allow_none=True, metadata={
        "description": "null when the subject filed for themself (filer self)"})


#: Registered as OpenAPI components by the read endpoints (nested ones first).
READ_SCHEMAS = (ItemRefSchema, AgentSchema, MaterialFileSchema, HistoryEntrySchema,
                VersionRefSchema, ApplicationSummarySchema, ApplicationListSchema,
                ApplicationDetailSchema)


def _iso(value) -> Optional[str]:
    return value.isoformat() if value is not None else None


def step_name(application: Application, ctx: EngineContext) -> Optional[str]:
    for step in application.version.definition.get("approval", ()):
        if step["key"] == application.current_step:
            return ctx.text(step.get("name"))
    return None


def summary(application: Application, ctx: EngineContext) -> dict:
    """Return a list row: masked personal data only (SECURITY_TESTS F1)."""
    applicant = application.applicant
    return {
        "id": application.id, "serial": application.serial, "status": application.status,
        "item": {"code": application.item.code,
                 "name": ctx.text(application.version.definition.get("name"))},
        "region": application.region_code, "filer": application.filer,
        "subject_name": mask_name(application.subject_name),
        "subject_id_number": mask_id_number(application.subject_id_number),
        "applicant_mobile": mask_mobile(getattr(applicant, "mobile", None)) or None,
        "current_step": application.current_step, "step_name": step_name(application, ctx),
        "deadline": _iso(application.deadline),
        "created_at": _iso(application.created_at), "submitted_at": _iso(application.submitted_at),
    }


def masked_answers(fields_: list, answers: Mapping) -> dict:
    """Return answers with ID numbers, mobiles and bank accounts masked (repeats included)."""
    by_key = {f["key"]: f for f in fields_}
    masked: dict[str, Any] = {}
    for key, value in answers.items():
        field = by_key.get(key)
        if field is not None and field.get("type") in MASKS and isinstance(value, str):
            masked[key] = MASKS[field["type"]](value)
        elif field is not None and field.get("type") == "repeat" and isinstance(value, list):
            masked[key] = [masked_answers(field.get("fields", []), row)
                           if isinstance(row, Mapping) else row for row in value]
        else:
            masked[key] = value
    return masked


def history(application: Application) -> list[dict]:
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "application", AuditEvent.object_id == str(application.id))
        .order_by(AuditEvent.at, AuditEvent.id))
    rows = []
    for event in events:
        by = ("applicant" if event.actor_id == application.applicant_id
              else "system" if event.actor_id is None else "staff")
        detail = event.detail or {}
        row = {"action": event.action, "at": _iso(event.at), "by": by,
               "step": detail.get("step")}
        if detail.get("comment"):
            row["comment"] = detail["comment"]
        rows.append(row)
    return rows


def agent(application: Application, ctx: EngineContext, owner: bool) -> Optional[dict]:
    """Return the agent who filed (name, relationship, address), or None for filer self.

    The owner is the agent: they get what they entered. Staff get what the reviewers' page
    shows (app.views.review.display.agent_section): the name masked, long numbers in the
    address masked.
    """
    if application.filer != "agent":
        return None
    code = application.agent_relationship
    entry = (ctx.entries(RELATIONSHIPS) or {}).get(code or "")
    name = getattr(application.applicant, "first_name", None) or None
    address = application.agent_address or None
    return {"name": name if owner or name is None else mask_name(name),
            "relationship": code or None,
            "relationship_name": ctx.text(entry.label) if entry is not None else None,
            "address": address if owner or address is None else redact(address)}


def detail(application: Application, ctx: EngineContext, owner: bool) -> dict:
    """Return the whole application; staff get personal answers masked."""
    definition = application.version.definition
    all_fields = [f for page in definition.get("pages", ()) for f in page.get("fields", ())]
    answers = application.answers or {}
    files = [{"file_id": a.id, "material_key": a.material_key, "name": a.original_name,
              "size": a.size, "content_type": a.content_type, "sha256": a.sha256,
              "uploaded_at": _iso(a.uploaded_at),
              "url": url_for("ApplicationApi.download", pk=application.id, file_id=a.id)}
             for a in application.attachments if a.removed_at is None]
    return {
        **summary(application, ctx),
        "subject_name": application.subject_name if owner else mask_name(
            application.subject_name),
        "subject_verified": application.subject_verified_at is not None,
        "version": {"id": application.version_id, "number": application.version.number},
        "answers": answers if owner else masked_answers(all_fields, answers),
        "materials": files,
        "return_request": application.return_request if application.status == "returned"
        else None,
        "deadline_provisional": application.deadline_provisional,
        "step_deadline": _iso(application.step_deadline),
        "closed_at": _iso(application.closed_at),
        "lock_version": application.lock_version,
        "history": history(application),
        "agent": agent(application, ctx, owner),
    }
