"""GET /api/v1/me/, POST /api/v1/me/identity and POST /api/v1/me/close: the account, 实名认证
and 注销账号 without the web pages.

Verification runs VerifyIdentityCommand with the configured identity verifier, as the web form
/identity/verify does: the same checks and messages, the same history events
(``identity.verify``, ``identity.refused``, ID numbers masked), and the same rate limit,
counted together with the form's (app.identity_limit): the API is no way around it. Closing
runs CloseAccountCommand as /me/close does, its wrong passwords limited together with the
page's (app.account_limit).
"""
from __future__ import annotations

import functools

from flask import g
from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError as ShapeError
from werkzeug.exceptions import HTTPException

from app.account_limit import LimitsAccountClosing
from app.api.base import BanshiApi, BodyNotJsonObjectError, json_object, safe
from app.api.me.replies import account_facts
from app.api.me.schema import (ClosedSchema, ClosePostSchema, IdentityPostSchema, MeSchema,
                               messages_in_words)
from app.commands.accounts import CloseAccountCommand, WrongPasswordError
from app.commands.applications.errors import NotAllowedError
from app.commands.identity import (IdentityAlreadyVerifiedError, IdentityError,
                                   VerifyIdentityCommand, ensure_verifiable)
from app.errors import MESSAGES
from app.extensions import db
from app.identity_limit import LimitsVerification
from app.scoping import current_user

#: The payload is five short texts.
JSON_MAX_BYTES = 16 * 1024
CLOSED = _l("Your account is closed. Thank you for using this service.")


def _json() -> dict:
    return json_object(JSON_MAX_BYTES)


def _refusal(api, error: Exception):
    """Return the JSON answer for a refused verification or a malformed payload."""
    if isinstance(error, BodyNotJsonObjectError):
        return api.not_json_object(error)
    if isinstance(error, ShapeError):
        return api.response(422, message=str(MESSAGES[422]),
                            errors=messages_in_words(error.messages))
    if isinstance(error, WrongPasswordError):
        return api.response(422, message=str(error), errors={"password": [str(error)]})
    if isinstance(error, NotAllowedError):  # staff (403), an application in progress (409)
        return api.response(error.status_code, message=str(error))
    if isinstance(error, IdentityAlreadyVerifiedError):
        return api.response(409, message=str(error))
    if isinstance(error, IdentityError):  # ``errors`` only when a field is at fault
        fields = {"errors": {error.field: [str(error)]}} if error.field else {}
        return api.response(422, message=str(error), **fields)
    code = error.code or 500
    return api.response(code, message=str(MESSAGES.get(code, MESSAGES[400])))


def _answers_refusals(f):
    """Turn a refused verification into its JSON answer; roll the session back."""

    @functools.wraps(f)
    def wrapper(self, *args, **kwargs):
        try:
            return f(self, *args, **kwargs)
        except (IdentityError, NotAllowedError, ShapeError, HTTPException,
                BodyNotJsonObjectError) as error:
            db.session.rollback()
            return _refusal(self, error)

    return wrapper


class MeApi(LimitsVerification, LimitsAccountClosing, BanshiApi):
    """The signed-in account: ``can_read`` (any account), ``can_verify`` and ``can_close``
    (citizens)."""

    resource_name = "me"
    openapi_spec_tag = "Account"
    openapi_spec_component_schemas = (MeSchema, IdentityPostSchema, ClosePostSchema,
                                      ClosedSchema)
    verification_endpoints = ("verify_identity",)
    closing_endpoints = ("close",)

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
            secret), or without errors when the identity service refused the details as a
            whole (message says why: no one field is at fault). Failed attempts are limited
            per account (10 an hour, counted together with the web form's); past the limit
            the answer is 429 with Retry-After. A development build's simulated service
            accepts only the secret GET /me/ shows while needs_identity.
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
        ensure_verifiable(user)  # a staff account: 403, before its payload is read
        if user.identity_verified_at is not None:  # before the payload: nothing to check
            raise IdentityAlreadyVerifiedError()
        data = IdentityPostSchema().load(_json())
        VerifyIdentityCommand(user, data["name"], data["id_number"], data["method"],
                              data["secret"], data["card_number"]).run()
        return self.response(200, **account_facts(user))

    @expose("/close", methods=["POST"])
    @protect()
    @safe
    @permission_name("close")
    @_answers_refusals
    def close(self):
        """Close the citizen's own account (注销账号), as the web page /me/close does.
        ---
        post:
          summary: Close the signed-in citizen's account, confirmed with its password
          description: >-
            Drafts never submitted are deleted with their files; applications decided or
            withdrawn stay as official records until the retention purge anonymises them.
            The account's name, ID number, mobile, email and username are replaced (the same
            person may register again), it can no longer sign in, and every session and token
            issued before ends (this one too: later calls answer 401). Refused with 409 while
            an application is submitted or returned, or while a service window is entering one
            for the citizen (a counter draft, named in the message: deleting it would lose the
            clerk's work), with 403 for staff accounts (their
            administrator deactivates them), with 422 (errors.password) for a wrong password;
            wrong passwords are limited per account (10 an hour, counted with the web page's),
            past that 429 with Retry-After.
          parameters:
          - {in: query, name: _l_, schema: {type: string, enum: [zh, en]}}
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: '#/components/schemas/ClosePostSchema'}
          responses:
            200:
              description: Closed
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ClosedSchema'}
            400: {$ref: '#/components/responses/400'}
            401: {$ref: '#/components/responses/401'}
            403: {$ref: '#/components/responses/403'}
            409: {$ref: '#/components/responses/409'}
            413: {$ref: '#/components/responses/413'}
            422: {$ref: '#/components/responses/422'}
            429: {$ref: '#/components/responses/429'}
        """
        user = current_user()
        data = ClosePostSchema().load(_json())
        try:
            command = CloseAccountCommand(user, data["password"]).run()
        except WrongPasswordError:
            g.account_close_refused = True  # counted by the limit on wrong passwords
            raise
        return self.response(200, message=str(CLOSED), drafts_deleted=command.drafts)
