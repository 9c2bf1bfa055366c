"""Payload shapes of the reviews API (shape only: the rules are the commands')."""
from __future__ import annotations

from typing import Any, Optional

from flask_babel import get_locale
from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

from app import workflow
from app.api.base import ApiSchema
from app.validators import mask_name
from app.workflow.deadlines import step_deadline_provisional
from app.workflow.queue import COUNT_CAP

#: The queues, and 无人可办 (app.workflow.queue.unstaffed) for those who manage staff.
STATE_NAMES = (*workflow.STATES, "unstaffed")


class ReviewQuerySchema(ApiSchema):
    """Query string of ``GET /api/v1/reviews/`` (FAB's ``_l_`` is accepted, as everywhere)."""

    class Meta:
        unknown = RAISE

    state = fields.String(load_default="pending", validate=validate.OneOf(STATE_NAMES))
    item = fields.String(validate=validate.Length(min=1, max=60))
    region = fields.String(validate=validate.Regexp(r"^\d{6}(\d{5})?$"))
    step = fields.String(validate=validate.Length(min=1, max=60))
    after = fields.String(validate=validate.Length(min=1, max=40))
    limit = fields.Integer(load_default=50, validate=validate.Range(1, workflow.MAX_LIMIT))


class MissingSchema(ApiSchema):
    """What a return asks the citizen to correct: ``{key: reason}`` per kind."""

    class Meta:
        unknown = EXCLUDE

    fields_ = fields.Dict(data_key="fields", keys=fields.String(), values=fields.String())
    materials = fields.Dict(keys=fields.String(), values=fields.String())


class DecisionPostSchema(ApiSchema):
    """Body of ``POST /api/v1/reviews/<id>/approve|return|refuse``; other keys are ignored
    (clients may extend it), unlike the applications API's bodies, which refuse them."""

    class Meta:
        unknown = EXCLUDE
        description = ("version, comment, step and missing; any other key is ignored (the "
                       "applications API's bodies refuse unknown keys with 422)")

    version = fields.Integer(required=True, strict=True,
                             metadata={"description": "The application's version as read"})
    comment = fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(max=2000))
    step = fields.String(metadata={"description": (
        "The step acted on, as read (optional): when it is still the current step and not "
        "yours to decide, the answer is 403 even if version is stale; when the application "
        "has moved on, 409 (a stale version) or 403")})
    missing = fields.Nested(MissingSchema, metadata={"description": "return only: required"})


class DecisionCoSignSchema(Schema):
    approvals = fields.Integer(metadata={"description": "approvals so far this round"})
    approvers = fields.Integer(metadata={"description": "approvals the step needs"})


class DecisionResultSchema(Schema):
    status = fields.String()
    current_step = fields.String(allow_none=True)
    version = fields.Integer()
    cosign = fields.Nested(DecisionCoSignSchema, allow_none=True, metadata={"description": (
        "an approval on a 会签 step that still waits for more approvals: the step has not "
        "passed (current_step is unchanged); null otherwise")})


class CoSignSchema(Schema):
    approvals = fields.Integer(metadata={"description": "approvals so far this round"})
    approvers = fields.Integer(metadata={"description": "approvals the step needs"})
    signed_by = fields.List(fields.String(), metadata={
        "description": "the names of those who approved, in the order they did"})


class ReviewEntrySchema(Schema):
    """One queue entry. ``current_step`` to ``working_days_left`` describe the step the
    application waits at now, in every queue (null when it waits at none); ``decided_*`` and
    ``decision`` (state=done) what the caller decided."""

    id = fields.Integer()
    serial = fields.String(allow_none=True)
    item = fields.String()
    item_name = fields.String()
    region = fields.String()
    region_name = fields.String(allow_none=True, metadata={
        "description": "The region's name in the request locale (Chinese when it has no English "
                       "name)"})
    status = fields.String(metadata={"description": "The application's status now"})
    status_name = fields.String(allow_none=True, metadata={
        "description": "The item's own wording for status (its definition's outcomes, e.g. "
                       "备案成功 for approved), or null"})
    current_step = fields.String(allow_none=True, metadata={
        "description": "The key of the step the application waits at now; null unless status "
                       "is submitted"})
    step_name = fields.String(allow_none=True, metadata={
        "description": "The name of current_step (null with it)"})
    step_region = fields.String(allow_none=True, metadata={
        "description": "The region handling current_step (null with it)"})
    step_deadline = fields.Date(allow_none=True, metadata={
        "description": "current_step's deadline (null with it, or without a time limit)"})
    step_deadline_provisional = fields.Boolean(metadata={"description": (
        "true when step_deadline is provisional: its working days, counted from when the step "
        "(re)started, reach a year without an official holiday schedule, which counts weekends "
        "only (false without a step_deadline)")})
    deadline = fields.Date(allow_none=True, metadata={"description": "The statutory deadline"})
    working_days_left = fields.Integer(allow_none=True, metadata={
        "description": "Working days to step_deadline (negative: overdue)"})
    yours_to_decide = fields.Boolean(metadata={"description": (
        "true when the caller may decide current_step now, by the rules approve, return and "
        "refuse apply (role, handling region, not their own application nor one they entered, "
        "not decided by them this round, distinct). Always true in pending; in overdue and "
        "due_soon false for a step the caller only supervises (another region's, role's, or "
        "one they may not take); in done true when it is the caller's turn again")})
    cosign = fields.Nested(CoSignSchema, allow_none=True, metadata={
        "description": "current_step's 会签 progress this round when it needs several "
                       "approvers (app.workflow.cosign), else null"})
    version = fields.Integer()
    submitted_at = fields.DateTime(allow_none=True)
    subject = fields.String(metadata={"description": "masked name"})
    decided_step = fields.String(metadata={
        "description": "state=done: the key of the step the caller decided"})
    decided_step_name = fields.String(metadata={
        "description": "state=done: the name of decided_step"})
    decision = fields.String(metadata={"description": "state=done: approve|return|refuse"})
    decided_at = fields.DateTime(metadata={"description": "state=done"})
    waiting_since = fields.DateTime(allow_none=True, metadata={
        "description": "state=unstaffed: when the application reached current_step"})
    step_role = fields.String(metadata={
        "description": "state=unstaffed: the role that decides current_step"})
    unstaffed_reason = fields.String(metadata={"description": (
        "state=unstaffed: nobody (no active account holds step_role in step_region) or "
        "excluded (those who do may not decide this application: its applicant or subject, "
        "the clerk who entered it, or they decided this step this round or, for a distinct "
        "step, another step)")})


class ReviewListSchema(Schema):
    count = fields.Integer(metadata={"description": "rows in this state, scoped, counted up to "
                                                    f"{COUNT_CAP}"})
    count_exact = fields.Boolean(metadata={"description": f"false: more than {COUNT_CAP} rows"})
    result = fields.List(fields.Nested(ReviewEntrySchema))
    next = fields.String(allow_none=True, metadata={"description": "cursor: pass as after"})


def _text(value: Any, locale: Optional[str]) -> str:
    if isinstance(value, dict):
        return value.get(locale or "zh") or value.get("zh") or ""
    return value or ""


def entry_json(entry: workflow.QueueEntry, **extra) -> dict:
    """Return one queue entry as the API shows it (personal data masked); ``extra``: more
    of ReviewEntrySchema's keys."""
    application, locale = entry.application, str(get_locale() or "zh")[:2]
    waiting = application.status == "submitted"  # at a step now
    outcomes = entry.item.outcomes or {}
    data = {
        "id": application.id, "serial": application.serial, "item": entry.item.code,
        "item_name": _text(entry.item.name, locale),
        "region": application.region_code, "region_name": entry.region_name,
        "status": application.status,
        "status_name": _text(outcomes.get(application.status), locale) or None,
        "current_step": application.current_step if waiting else None,
        "step_name": workflow.step_label(entry.step, locale) if waiting else None,
        "step_region": application.step_region_code if waiting else None,
        "step_deadline": application.step_deadline if waiting else None,
        "step_deadline_provisional": waiting and step_deadline_provisional(application),
        "deadline": application.deadline,
        "working_days_left": workflow.working_days_left(application) if waiting else None,
        "yours_to_decide": entry.yours_to_decide,
        "cosign": {"approvals": entry.cosign.done, "approvers": entry.cosign.needed,
                   "signed_by": list(entry.cosign.names)}
        if waiting and entry.cosign is not None else None,
        "version": application.lock_version, "submitted_at": application.submitted_at,
        "subject": mask_name(application.subject_name or application.applicant_name),
    }
    if entry.decision is not None:
        decision = entry.decision
        data.update(decided_step=decision.step_key,
                    decided_step_name=workflow.step_label(decision.step, locale)
                    or decision.step_key,
                    decision=decision.decision, decided_at=decision.at)
    data.update(extra)
    return ReviewEntrySchema().dump(data)
