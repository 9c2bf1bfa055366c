"""Payloads of the applications API: the bodies and the query it loads (shape only).

A body's unknown top-level keys are refused, each named (422, app.api.base.UnknownKeysError): a
client that sends ``answers`` when creating, or mistypes ``filer``, learns that nothing of it was
taken, and one sending ``status``, ``region``, ``current_step``, ``owner`` … (SECURITY_TESTS B3)
changes nothing. The nested ``subject`` and ``agent`` drop unknown keys, and unknown keys inside
``answers`` are the save's informative warnings. What the endpoints answer is documented by
app.api.applications.write_schemas and app.api.applications.read_schemas (the read replies are
built by app.api.applications.replies).
"""
from __future__ import annotations

from marshmallow import EXCLUDE, RAISE, fields, validate

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
