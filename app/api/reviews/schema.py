"""Payload shapes of the reviews API (shape only: the rules are the commands')."""
from __future__ import annotations

from typing import Any, Optional

from flask_babel import get_locale
from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

from app import workflow
from app.api.base import ApiSchema
from app.validators import mask_name
from app.workflow.queue import COUNT_CAP

STATE_NAMES = workflow.STATES


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
    """Body of ``POST /api/v1/reviews/<id>/approve|return|refuse``; other keys are ignored,
    as in every body of the API (clients may extend it)."""

    class Meta:
        unknown = EXCLUDE

    version = fields.Integer(required=True, strict=True,
                             metadata={"description": "The application's version as read"})
    comment = fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(max=2000))
    step = fields.String(metadata={"description": (
        "The step acted on, as read (optional): when it is still the current step and not "
        "yours to decide, the answer is 403 even if version is stale; when the application "
        "has moved on, 409 (a stale version) or 403")})
    missing = fields.Nested(MissingSchema, metadata={"description": "return only: required"})


class DecisionResultSchema(Schema):
    status = fields.String()
    current_step = fields.String(allow_none=True)
    version = fields.Integer()


class ReviewEntrySchema(Schema):
    id = fields.Integer()
    serial = fields.String(allow_none=True)
    item = fields.String()
    item_name = fields.String()
    region = fields.String()
    region_name = fields.String(allow_none=True, metadata={
        "description": "The region's name in the request locale (Chinese when it has no English "
                       "name)"})
    status = fields.String()
    current_step = fields.String(allow_none=True)
    step_name = fields.String()
    step_region = fields.String(allow_none=True)
    step_deadline = fields.Date(allow_none=True)
    deadline = fields.Date(allow_none=True)
    working_days_left = fields.Integer(allow_none=True)
    version = fields.Integer()
    submitted_at = fields.DateTime(allow_none=True)
    subject = fields.String(metadata={"description": "masked name"})
    decision = fields.String(metadata={"description": "state=done: approve|return|refuse"})
    decided_at = fields.DateTime(metadata={"description": "state=done"})


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


def entry_json(entry: workflow.QueueEntry) -> dict:
    """Return one queue entry as the API shows it (personal data masked)."""
    application, locale = entry.application, str(get_locale() or "zh")[:2]
    data = {
        "id": application.id, "serial": application.serial, "item": entry.item.code,
        "item_name": _text(entry.item.name, locale),
        "region": application.region_code, "region_name": entry.region_name,
        "status": application.status,
        "current_step": application.current_step,
        "step_name": workflow.step_label(entry.step, locale),
        "step_region": application.step_region_code,
        "step_deadline": application.step_deadline, "deadline": application.deadline,
        "working_days_left": workflow.working_days_left(application),
        "version": application.lock_version, "submitted_at": application.submitted_at,
        "subject": mask_name(application.subject_name or application.applicant_name),
    }
    if entry.decision is not None:
        data.update(decision=entry.decision.decision, decided_at=entry.decision.at)
    return ReviewEntrySchema().dump(data)
