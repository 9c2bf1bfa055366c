"""Payload of POST /api/v1/me/identity (shape only) and, for the OpenAPI document, the replies.

The payload takes what the web form /identity/verify takes. Shape errors (a missing or
non-text value, too long a text, a key the form does not take) are all named at once in the
request's language; what needs the rules (a valid ID number, one account per ID number, the
verifier's answer) is VerifyIdentityCommand's.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import INCLUDE, RAISE, Schema, ValidationError, fields

from app.api.base import ApiSchema
from app.services.identity import METHODS

NOT_TEXT = _l("Enter text.")


def _at_most(length: int):
    def check(value: str) -> None:
        if len(value) > length:
            raise ValidationError(str(_l("This is too long: at most %(max)d characters.",
                                         max=length)))
    return check


def _one_of(choices, message):
    def check(value: str) -> None:
        if value not in choices:
            raise ValidationError(str(message))
    return check


def _text(length: int, required=None, **metadata) -> fields.String:
    """A text field; ``required`` is the message for a missing one (None: optional), and for a
    value outside ``enum`` when one is given."""
    missing = [required or NOT_TEXT]
    optional = {"allow_none": True, "load_default": None} if required is None else {}
    checks = [_at_most(length)] + ([_one_of(metadata["enum"], required)]
                                   if "enum" in metadata else [])
    return fields.String(
        required=required is not None, validate=checks, metadata=metadata,
        error_messages={"required": missing, "null": missing, "invalid": [NOT_TEXT]},
        **optional)


class IdentityPostSchema(ApiSchema):
    """Name, ID number, method, secret and (method ``sscard``) the card number."""

    class Meta:
        unknown = RAISE  # nothing else is taken (SECURITY_TESTS B3), and it is said so

    name = _text(64, _l("Enter your full name."), description="the real name (姓名)")
    id_number = _text(32, _l("Enter an ID number."), description=(
        "the resident ID number (18 characters; the legacy 15-digit form and full-width "
        "digits are canonicalised)"))
    method = _text(20, _l("Choose how to verify your identity."), enum=list(METHODS),
                   description="ec_password: the 医保电子凭证 password; sscard: the social "
                               "security card number and card password")
    secret = _text(64, _l("Enter the password."), format="password", description=(
        "the e-certificate or card password; passed to the identity service, never stored"))
    card_number = _text(40, description="the social security card number (method sscard only)")


class ClosePostSchema(ApiSchema):
    """The account's password, to confirm closing it."""

    class Meta:
        unknown = RAISE

    password = _text(128, _l("Enter your password to confirm."), format="password",
                     description="the account's sign-in password")


def messages_in_words(messages: dict) -> dict:
    """Return a schema's error messages as texts (lazy ones translated), by field."""
    return {key: [str(text) for text in (value if isinstance(value, list) else [value])]
            for key, value in messages.items()}


# --- responses -----------------------------------------------------------------------------

class _Reply(Schema):
    class Meta:
        unknown = INCLUDE  # replies may gain keys


class RoleSchema(_Reply):
    code = fields.String(metadata={"description": "Admin, RegionAdmin, Reviewer or Citizen"})
    name = fields.String(metadata={"description": "the role in words, in the request's language"})


class MeSchema(_Reply):
    """The account as its owner sees it on /me: ID number and mobile masked."""

    username = fields.String()
    roles = fields.List(fields.Nested(RoleSchema))
    citizen = fields.Boolean(metadata={"description": "a citizen's account (not staff)"})
    region = fields.String(allow_none=True)
    region_name = fields.String(allow_none=True, metadata={
        "description": "The region's name in the request locale (Chinese when it has no English "
                       "name)"})
    name = fields.String(allow_none=True, metadata={"description": "the real name (姓名)"})
    id_number = fields.String(allow_none=True, metadata={
        "description": "masked as on the web page /me (1101**********002X)"})
    mobile = fields.String(allow_none=True, metadata={"description": "masked (138****8000)"})
    identity_verified = fields.Boolean()
    identity_verified_at = fields.DateTime(allow_none=True)
    identity_method = fields.String(allow_none=True, metadata={
        "description": "ec_password, sscard, or window (checked by a clerk at the counter)"})
    identity_method_name = fields.String(allow_none=True)
    needs_identity = fields.Boolean(metadata={
        "description": "a citizen who must verify their identity (POST /me/identity) before "
                       "applying"})
    may_apply = fields.Boolean(metadata={
        "description": "a citizen who may start applications (POST /applications/)"})
    development_identity_secret = fields.String(metadata={
        "description": "development builds only, while needs_identity: the one secret the "
                       "simulated identity service accepts (as the web form shows it)"})


class ClosedSchema(_Reply):
    """What POST /me/close answers once the account is closed."""

    message = fields.String(metadata={"description": "said in the request's language"})
    drafts_deleted = fields.Integer(metadata={
        "description": "how many drafts never submitted were deleted with their files"})
