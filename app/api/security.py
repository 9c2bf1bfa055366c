"""The token API (``POST /api/v1/security/login``, ``/refresh``) for mini-program and APP
clients, in banshi's error shape, and the replies to a missing or refused token.

FAB's login answered a missing ``provider`` with a 500 (a KeyError), a missing password with a
``message`` that was an object, and everything in English. Here, as on the rest of the API, a
body that is not a JSON object is a 400 with one message, and fields missing or invalid (an
unknown ``provider`` too) a 422 whose ``message`` is a text and whose ``errors`` name the
fields; wrong credentials a 401 with the web form's message. Signing in shares the web form's
limits (app.views.auth.SharesLoginLimits): tries through either count against both. There is
no captcha on the token API.
"""
from __future__ import annotations

from flask import request
from flask_appbuilder.api import expose, safe
from flask_appbuilder.const import (API_SECURITY_ACCESS_TOKEN_KEY, API_SECURITY_PROVIDER_DB,
                                    API_SECURITY_PROVIDER_LDAP, API_SECURITY_REFRESH_TOKEN_KEY)
from flask_appbuilder.security import api as fab_security_api
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_jwt_extended import (create_access_token, create_refresh_token, get_jwt_identity,
                                jwt_required)
from marshmallow import EXCLUDE, ValidationError, fields, validate

from app.api.base import ApiReplies, ApiSchema
from app.api.shape_messages import REQUIRED
from app.errors import MESSAGES
from app.views.admin.password_change import API_REFUSAL, must_change
from app.views.auth import BanshiAuthDBView, SharesLoginLimits

NOT_JSON = _l('Send the sign-in as JSON: {"username", "password", "provider": "db"}.')


class LoginPostSchema(ApiSchema):
    """Body of ``POST /api/v1/security/login``."""

    class Meta:
        unknown = EXCLUDE

    username = fields.String(required=True, validate=[validate.Length(min=1, error=REQUIRED),
                                                      validate.Length(max=64)],
                             metadata={"description": "a mobile, an ID number or a username"})
    password = fields.String(required=True, validate=[validate.Length(min=1, error=REQUIRED),
                                                      validate.Length(max=128)])
    provider = fields.String(required=True, metadata={
        "enum": [API_SECURITY_PROVIDER_DB], "description": "db (banshi signs in with AUTH_DB)"})
    refresh = fields.Boolean(load_default=False,
                             metadata={"description": "true: a refresh token too"})


class SecurityApi(SharesLoginLimits, ApiReplies, fab_security_api.SecurityApi):
    """FAB's token API, sharing the login form's limits. Named as FAB's: the class name is the
    endpoint's."""

    openapi_spec_component_schemas = (LoginPostSchema,)

    def _providers(self) -> list[str]:
        sm = self.appbuilder.sm
        if sm.api_login_allow_multiple_providers:
            return [API_SECURITY_PROVIDER_DB, API_SECURITY_PROVIDER_LDAP]
        return [sm.auth_type_provider_name] if sm.auth_type_provider_name else []

    @expose("/login", methods=["POST"])
    @safe
    def login(self):
        """Sign in; answer an access token (and a refresh token when asked).
        ---
        post:
          description: >-
            Sign in with a mobile, an ID number or a username and the password. Limited per
            account and per client address, together with the web login form: tries through
            either count against both (429 with Retry-After). An account whose password an
            administrator set gets 403 until its owner has chosen one on the web page (修改密码).
            A body that is not a JSON object is 400; a field missing or invalid (a `provider`
            other than db included) is 422 with `errors` per field.
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: '#/components/schemas/LoginPostSchema'}
          responses:
            200:
              description: Signed in
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      access_token: {type: string}
                      refresh_token: {type: string}
            400: {$ref: '#/components/responses/400'}
            401: {$ref: '#/components/responses/401'}
            403: {$ref: '#/components/responses/403'}
            422: {$ref: '#/components/responses/422'}
            429: {$ref: '#/components/responses/429'}
        """
        body = request.get_json(silent=True)
        if not isinstance(body, dict):  # no JSON, or another JSON value: no fields to name
            return self.response(400, message=str(NOT_JSON))
        try:
            data = LoginPostSchema().load(body)
        except ValidationError as error:
            return self.response(422, message=str(MESSAGES[422]), errors=error.messages)
        allowed = self._providers()
        if data["provider"] not in allowed:
            problem = gettext("Sign in with provider %(allowed)s.",
                              allowed=", ".join(f"“{name}”" for name in allowed))
            return self.response(422, message=problem, errors={"provider": [problem]})
        sm = self.appbuilder.sm
        authenticate = (sm.auth_user_db if data["provider"] == API_SECURITY_PROVIDER_DB
                        else sm.auth_user_ldap)
        user = authenticate(data["username"], data["password"])
        if not user:
            return self.response(401, message=str(BanshiAuthDBView.invalid_login_message))
        if must_change(user):  # a password an administrator chose: changed on the web first
            return self.response(403, message=str(API_REFUSAL))
        reply = {API_SECURITY_ACCESS_TOKEN_KEY: create_access_token(identity=str(user.id),
                                                                    fresh=True)}
        if data["refresh"]:
            reply[API_SECURITY_REFRESH_TOKEN_KEY] = create_refresh_token(identity=str(user.id))
        return self.response(200, **reply)

    @expose("/refresh", methods=["POST"])
    @jwt_required(refresh=True)
    @safe
    def refresh(self):
        """A new access token for a refresh token (FAB's, documented as it answers: no 500).
        ---
        post:
          description: >-
            Send the refresh token (sign in with `refresh: true`) as the bearer token; the
            answer is a new access token. Any other token, or none, is 401.
          responses:
            200:
              description: A new access token
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      access_token: {type: string}
            401: {$ref: '#/components/responses/401'}
          security:
          - jwt_refresh: []
        """
        return self.response(200, **{API_SECURITY_ACCESS_TOKEN_KEY: create_access_token(
            identity=get_jwt_identity(), fresh=False)})
