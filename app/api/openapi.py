"""The OpenAPI document (``GET /api/v1/_openapi``), readable by anyone.

It documents the public contract (CONTRACT.md §4): paths, payload shapes and error replies,
nothing about accounts, data or configuration beyond the server's URL. Client developers read
it before they have an account, as they read the public catalogue, so it needs no token (FAB's
``OpenApi`` answered Admin only).

Built once per version and kept (it is the same for every caller and took ~140 ms of CPU,
which an anonymous endpoint must not spend per request); the ``servers`` entry is added per
request. Its shared error replies are banshi's (app.api.base.ERROR_RESPONSES), registered
before any API adds FAB's; every endpoint that needs a token documents its 401. A nested payload
that may be null (``Nested(allow_none=True)``) is that payload or null: apispec's null branch,
``{type: object, nullable: true}``, took any object at all (OpenAPI 3.0 says "only null" with
``enum: [null]``).
"""
from __future__ import annotations

from flask import current_app, request
from flask_appbuilder.api import BaseApi, expose, protect, safe
from flask_appbuilder.api import manager as fab_openapi

from app.api.base import ERROR_RESPONSES, LOCALE_ARG, ApiReplies


class OpenApi(ApiReplies, fab_openapi.OpenApi):
    """FAB's OpenApi view, public and cached. Named as FAB's: the endpoint and permission
    (``OpenApi.can_get``, granted to the public role in app.roles) keep their names."""

    def __init__(self):
        super().__init__()
        self._documents: dict[str, dict] = {}

    @expose("/<version>/_openapi")
    @protect()
    @safe
    def get(self, version):
        """The OpenAPI document of an API version (anyone may read it).
        ---
        get:
          description: >-
            The OpenAPI document of the API version; no token needed
          parameters:
          - {in: path, name: version, required: true, schema: {type: string}}
          responses:
            200:
              description: The OpenAPI document
              content:
                application/json:
                  schema: {type: object}
            404: {$ref: '#/components/responses/404'}
          security: []
        """
        document = self._documents.get(version)
        if document is None:
            document = self._build(version)
            if document is None:
                return self.response_404()
            self._documents[version] = document
        servers = current_app.config.get("FAB_OPENAPI_SERVERS", [{"url": request.host_url}])
        return self.response(200, **{**document, "servers": servers})

    def _build(self, version: str) -> dict | None:
        api_spec = self._create_api_spec(version)
        for code, reply in ERROR_RESPONSES.items():
            api_spec.components.response(code, reply)
        found = False
        for base_api in current_app.appbuilder.baseviews:
            if isinstance(base_api, BaseApi) and base_api.version == version:
                base_api.add_api_spec(api_spec)
                found = True
        return _as_sent(api_spec.to_dict()) if found else None


def _as_sent(document: dict) -> dict:
    """Return the document with what every API answers: a 400 everywhere (app.request_guard
    refuses control characters in any path, query or form name or value before a view runs),
    a 401 wherever a token is needed, no API-key scheme unless API keys are on (FAB lists it on
    every endpoint), ``_l_`` as it is read (any value; one not a language is ignored) and a
    nullable nested payload as that payload or null."""
    api_keys = current_app.config.get("FAB_API_KEY_ENABLED", False)
    if not api_keys:
        document.get("components", {}).get("securitySchemes", {}).pop("api_key", None)
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            operation.setdefault("responses", {}).setdefault(
                "400", {"$ref": "#/components/responses/400"})
            if operation.get("parameters"):
                operation["parameters"] = [LOCALE_PARAMETER if p.get("name") == LOCALE_ARG
                                           else p for p in operation["parameters"]]
            if not operation.get("security"):
                continue
            if not api_keys:
                operation["security"] = [s for s in operation["security"] if "api_key" not in s]
            operation.setdefault("responses", {}).setdefault(
                "401", {"$ref": "#/components/responses/401"})
    for schema in document.get("components", {}).get("schemas", {}).values():
        for prop in schema.get("properties", {}).values():
            for branch in prop.get("anyOf", ()):
                if branch == ANY_OBJECT_OR_NULL:
                    branch["enum"] = [None]
    return document


ANY_OBJECT_OR_NULL = {"type": "object", "nullable": True}  # apispec's null beside a $ref
#: The reply's language (app.api.base.api_locale): pages and APIs ignore a value that names no
#: language, as FAB does, rather than refuse a link that carries one.
LOCALE_PARAMETER = {
    "in": "query", "name": LOCALE_ARG, "required": False, "schema": {"type": "string"},
    "description": "The reply's language: zh or en. Any other value is ignored: the language "
                   "is then the best of Accept-Language among zh and en, else zh."}
