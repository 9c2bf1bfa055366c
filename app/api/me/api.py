"""GET /api/v1/me/ and POST /api/v1/me/identity: the account, and 实名认证 without the web pages.

Verification runs VerifyIdentityCommand with the configured identity verifier, as the web form
/identity/verify does: the same checks and messages, the same history events
(``identity.verify``, ``identity.refused``, ID numbers masked), and the same rate limit,
counted together with the form's (app.identity_limit): the API is no way around it.
"""
from __future__ import annotations

import functools

from flask_appbuilder.api import expose, safe
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError as ShapeError
from werkzeug.exceptions import HTTPException

from app.api.applications.reads import is_staff
from app.api.base import BanshiApi, BodyNotJsonObjectError, json_object
from app.api.me.replies import account_facts
from app.api.me.schema import IdentityPostSchema, MeSchema, messages_in_words
from app.commands.identity import (IdentityAlreadyVerifiedError, IdentityError,
                                   VerifyIdentityCommand)
from app.errors import MESSAGES
from app.extensions import db
from app.identity_limit import LimitsVerification
from app.scoping import current_user

#: The payload is five short texts.
JSON_MAX_BYTES = 16 * 1024
STAFF_REFUSED = _l("Real-name verification is for citizens' accounts. Staff accounts are "
                   "managed by their administrator.")


def _json() -> dict:
    return json_object(JSON_MAX_BYTES)


def _refusal(api, error: Exception):
    """Return the JSON answer for a refused verification or a malformed payload."""
    if isinstance(error, BodyNotJsonObjectError):
        return api.not_json_object(error)
    if isinstance(error, ShapeError):
        return api.response(422, message=str(MESSAGES[422]),
                            errors=messages_in_words(error.messages))
    if isinstance(error, IdentityAlreadyVerifiedError):
        return api.response(409, message=str(error))
    if isinstance(error, IdentityError):
        errors = {error.field: [str(error)]} if error.field else {}
        return api.response(422, message=str(error), errors=errors)
    code = error.code or 500
    return api.response(code, message=str(MESSAGES.get(code, MESSAGES[400])))


def _answers_refusals(f):
    """Turn a refused verification into its JSON answer; roll the session back."""

    @functools.wraps(f)
    def wrapper(self, *args, **kwargs):
        try:
            return f(self, *args, **kwargs)
        except (IdentityError, ShapeError, HTTPException,
                BodyNotJsonObjectError) as error:
            db.session.rollback()
            return _refusal(self, error)

    return wrapper


class MeApi(LimitsVerification, BanshiApi):
    """The signed-in account: ``can_read`` (any account), ``can_verify`` (citizens)."""

    resource_name = "me"
    openapi_spec_tag = "Account"
    openapi_spec_component_schemas = (MeSchema, IdentityPostSchema)
    verification_endpoints = ("verify_identity",)

    @expose("/", methods=["GET"])
    @protect()
    @safe
    @permission_name("read")
    def get(self):
        """Return the signed-in account's facts and what it may do next.
        ---
        get:
          summary: The signed-in account (ID number and mobile masked, as on /me)
          parameters:
          - {in: query, name: _l_, schema: {type: string, enum: [zh, en]}}
          responses:
            200:
              description: The account; needs_identity says whether to verify before applying
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/MeSchema'}
            401: {$ref: '#/components/responses/401'}
        """
        return self.response(200, **account_facts(current_user()))

    @expose("/identity", methods=["POST"])
    @protect()
    @safe
    @permission_name("verify")
    @_answers_refusals
    def verify_identity(self):
        """Verify the citizen's real name and ID number (实名认证) through the identity service.
        ---
        post:
          summary: Real-name verification, as the web form /identity/verify
          description: >-
            A refusal is 422 with messages by field (name, id_number, method, card_number,
            secret), or with errors empty when the identity service refused the details as a
            whole (message says why). Failed attempts are limited per account (10 an hour,
            counted together with the web form's); past the limit the answer is 429 with
            Retry-After. A development build's simulated service accepts only the secret
            GET /me/ shows while needs_identity.
          parameters:
          - {in: query, name: _l_, schema: {type: string, enum: [zh, en]}}
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: '#/components/schemas/IdentityPostSchema'}
          responses:
            200:
              description: Verified; the account as GET /me/ shows it
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/MeSchema'}
            400: {$ref: '#/components/responses/400'}
            401: {$ref: '#/components/responses/401'}
            403: {$ref: '#/components/responses/403'}
            409: {$ref: '#/components/responses/409'}
            413: {$ref: '#/components/responses/413'}
            422: {$ref: '#/components/responses/422'}
            429: {$ref: '#/components/responses/429'}
        """
        user = current_user()
        if is_staff(user):
            return self.response(403, message=str(STAFF_REFUSED))
        if user.identity_verified_at is not None:  # before the payload: nothing to check
            raise IdentityAlreadyVerifiedError()
        data = IdentityPostSchema().load(_json())
        VerifyIdentityCommand(user, data["name"], data["id_number"], data["method"],
                              data["secret"], data["card_number"]).run()
        return self.response(200, **account_facts(user))
