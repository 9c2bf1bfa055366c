"""What every banshi API shares: its error replies, its payload schemas and its language.

- :class:`ApiReplies` answers FAB's canned replies (``response_401`` … "Not authorized",
  "Forbidden") with banshi's translated messages, and every path with or without its trailing
  slash (no redirect); :data:`ERROR_RESPONSES` documents the error replies as the API sends
  them (app.api.openapi).
- :class:`ApiSchema`, the base of every payload schema: marshmallow's messages come out in the
  request's language (app.api.shape_messages), and FAB's locale argument ``_l_`` is accepted
  wherever it is sent. A body whose only fault is keys its schema refuses (``unknown = RAISE``)
  raises :class:`UnknownKeysError`, which the APIs answer 422 rather than 400.
- :func:`json_object`: the shared reader of a JSON body. A body that is not a JSON object, or
  not sent as ``application/json``, raises :class:`BodyNotJsonObjectError`, which the APIs answer
  400 with that one message (no per-field errors: the fields were not read). No body at all reads
  as ``{}``, so the schema names what is required. A text or key holding NUL or another control
  character raises :class:`ControlCharacterError`: 422, as any other invalid value, the message
  naming its key path and ``errors`` holding it at that key (PostgreSQL cannot store a NUL: it
  was a 500).
- :func:`safe`: FAB's ``@safe`` (an unexpected error is a logged 500 in JSON), except that the
  person registry being unavailable reaches the app's handler: 503 naming it (app.errors).
- :func:`api_locale`: an API request's language is ``?_l_=``, else the best of the
  ``Accept-Language`` header among ``LANGUAGES``, else the default (zh) — never the session.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from typing import Any

from flask import current_app, request
from flask_appbuilder.api import BaseApi
from flask_appbuilder.api import get_error_msg
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, pre_load
from werkzeug.exceptions import BadRequest

from app.api.shape_messages import translate_messages
from app.errors import MESSAGES
from app.request_guard import CONTROL, has_control
from app.registry import RegistryUnavailableError

LOCALE_ARG = "_l_"  # FAB's locale argument
NOT_JSON_TYPE = _l("Send the body as JSON: its Content-Type must be application/json.")
NOT_AN_OBJECT = _l("The body must be a JSON object: {\"key\": value, …}. It is not valid JSON, "
                   "or it is another JSON value (a list, a text, a number, null).")


log = logging.getLogger(__name__)


def safe(f: Callable[..., Any]) -> Callable[..., Any]:
    """FAB's ``@safe`` for banshi's APIs: a BadRequest is a 400 and an unexpected error a logged
    500, while :class:`RegistryUnavailableError` goes on to the app's handler (503, named)."""

    def wraps(self, *args: Any, **kwargs: Any):
        try:
            return f(self, *args, **kwargs)
        except RegistryUnavailableError:
            raise
        except BadRequest as error:
            return self.response_400(message=str(error))
        except Exception as error:  # noqa: BLE001 - FAB's @safe: a JSON 500, logged
            log.exception(error)
            return self.response_500(message=get_error_msg())

    return functools.update_wrapper(wraps, f)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def api_locale() -> str:
    """Return the language of an API reply: ``?_l_=``, else Accept-Language, else default."""
    languages = list(current_app.config["LANGUAGES"])
    chosen = request.args.get(LOCALE_ARG)
    if chosen in languages:
        return chosen
    return (request.accept_languages.best_match(languages)
            or current_app.config["BABEL_DEFAULT_LOCALE"])


class BodyNotJsonObjectError(Exception):
    """The body is not a JSON object, or not sent as ``application/json`` (400, one message)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class ControlCharacterError(BodyNotJsonObjectError):
    """A text or key of the body holds a control character: 422, ``errors`` at its key path
    (nested, as marshmallow's: ``{"answers": {"disease": [message]}}``)."""

    def __init__(self, message, path: tuple[str, ...]):
        super().__init__(message)
        self.path = path

    @property
    def errors(self) -> dict:
        errors: Any = [str(self.message)]
        for key in reversed(self.path or ("_",)):
            errors = {key: errors}
        return errors


#: Form bodies, which werkzeug parses (and consumes) on first access to ``request.form``.
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def json_object(max_bytes: int) -> dict:
    """Return the request's JSON object body; ``{}`` when there is no body at all.

    :raises BodyNotJsonObjectError: a body of another Content-Type, or not a JSON object.
    """
    request.max_content_length = max_bytes  # before the body is read: 413 past it
    if request.mimetype in FORM_TYPES and request.content_length:  # the guard may have read it
        raise BodyNotJsonObjectError(NOT_JSON_TYPE)
    if not request.get_data(cache=True):
        return {}
    if not request.is_json:
        raise BodyNotJsonObjectError(NOT_JSON_TYPE)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BodyNotJsonObjectError(NOT_AN_OBJECT)
    path = control_character_path(body)
    if path is not None:
        where = ".".join(path) or "$"
        if any(has_control(key) for key in path):
            path = tuple(CONTROL.sub("?", key) for key in path)
            where = repr(".".join(path))
        raise ControlCharacterError(_l(
            "The text at %(key)s contains a control character (such as NUL). Remove it and "
            "try again.", key=where), path)
    return body


def control_character_path(body: Any) -> tuple[str, ...] | None:
    """Return the keys leading to (``("answers", "rows", "0", "name")``) the first text, or
    key, holding NUL or another control character (app.request_guard), else None."""
    pending: list[tuple[tuple[str, ...], Any]] = [((), body)]
    while pending:  # iterative: as deep as the parser allowed, without recursion
        path, value = pending.pop()
        if isinstance(value, str):
            if has_control(value):
                return path
            continue
        if isinstance(value, dict):
            items = list(value.items())
        elif isinstance(value, list):
            items = [(str(index), item) for index, item in enumerate(value)]
        else:
            continue
        for key, item in reversed(items):
            if has_control(key):
                return (*path, key)
            pending.append(((*path, key), item))
    return None


# --- OpenAPI: the error replies as they are sent ------------------------------------------

def _reply(description: str, *, errors: str | None = None, errors_required: bool = False):
    properties: dict[str, Any] = {"message": {
        "type": "string", "description": "For people, in the request's language"}}
    if errors is not None:
        properties["errors"] = {
            "type": "object", "description": errors,
            "additionalProperties": {"description": "a list of messages (an object for a nested "
                                                    "key)"}}
    required = ["message", "errors"] if errors_required else ["message"]
    return {"description": description, "content": {"application/json": {"schema": {
        "type": "object", "properties": properties, "required": required}}}}


_PER_KEY = "Messages per field or payload key: {key: [message, …]}"
ERROR_RESPONSES: dict[str, dict] = {
    "400": _reply("The request is malformed (a query argument, a header, or a body that is "
                  "not a JSON object sent as application/json, told in message alone, without "
                  "errors)",
                  errors=_PER_KEY + ", when the problem is with query arguments"),
    "401": _reply("No valid sign-in token: missing, malformed, wrongly signed, expired or ended "
                  "(signed out, password changed, account disabled); or a wrong account or "
                  "password at sign-in"),
    "403": _reply("Signed in, but not allowed", errors=_PER_KEY + ", when keys are refused"),
    "404": _reply("No such thing, or none the caller may see"),
    "409": _reply("Changed in the meantime (a stale version), an Idempotency-Key reused, or "
                  "the application's status rules the action out"),
    "413": _reply("The body or file is too large", errors=_PER_KEY + " (the material's key)"),
    "422": _reply("The request is understood but not valid: a body's key missing, unknown or "
                  "of the wrong type, a value refused (a control character included)",
                  errors=_PER_KEY, errors_required=True),
    "428": _reply("A header the request must carry is missing; the message names it"),
    "429": _reply("Too many attempts; the Retry-After header says when to try again"),
    "500": _reply("Something went wrong on the server"),
    "503": _reply("A service banshi asks could not answer (the person registry): try again "
                  "later"),
}


class ApiReplies:
    """Mixin for FAB API classes: banshi's translated messages in FAB's canned replies.

    FAB's own texts ("Arguments are not correct", a werkzeug description, "Fatal error") are
    English and sometimes not even a string; each reply says the translated message of its
    status instead (app.errors.MESSAGES).
    """

    responses = ERROR_RESPONSES

    def _register_urls(self) -> None:
        """Register the routes to answer with or without their trailing slash: werkzeug would
        redirect the other form with an HTML 308, which some mini-program request layers do
        not follow with the body again. The rules themselves (the URL map) stay as they are."""
        blueprint = self.blueprint
        blueprint.add_url_rule = functools.partial(  # this registration only
            type(blueprint).add_url_rule, blueprint, strict_slashes=False)
        try:
            super()._register_urls()
        finally:
            del blueprint.add_url_rule

    def not_json_object(self, error: BodyNotJsonObjectError):
        if isinstance(error, ControlCharacterError):  # read: an invalid value at a known key
            return self.response(422, message=str(error.message), errors=error.errors)
        return self.response(400, message=str(error.message))

    def _canned(self, code: int):
        return self.response(code, message=str(MESSAGES[code]))

    def response_400(self, message: Any = None):
        return self._canned(400)

    def response_401(self):
        return self._canned(401)

    def response_403(self):
        return self._canned(403)

    def response_404(self):
        return self._canned(404)

    def response_422(self, message: Any = None):
        return self._canned(422)

    def response_500(self, message: Any = None):
        if current_app.config.get("FAB_API_SHOW_STACKTRACE") and message:
            return self.response(500, message=message)
        return self._canned(500)

    def operation_helper(self, path=None, operations=None, methods=None, func=None, **kwargs):
        """Document an endpoint granted to the public role as needing no token."""
        super().operation_helper(path=path, operations=operations, methods=methods, func=func,
                                 **kwargs)
        for method in methods or ():
            operation = (operations or {}).get(method.lower())
            if not operation or not operation.get("security"):
                continue
            permission = f"can_{self.get_method_permission(func.__name__)}"
            if current_app.appbuilder.sm.is_item_public(permission, self.class_permission_name):
                operation["security"] = []


class BanshiApi(ApiReplies, BaseApi):
    """Base of banshi's APIs (CatalogApi, ApplicationApi, ReviewApi …)."""


class UnknownKeysError(ValidationError):
    """A payload whose only fault is keys its schema does not take (each named)."""


class ApiSchema(Schema):
    """Base of every API payload and query schema (see the module docstring)."""

    @pre_load
    def _ignore_locale_argument(self, data: Any, **kwargs) -> Any:
        if isinstance(data, Mapping) and LOCALE_ARG in data:
            return {key: value for key, value in data.items() if key != LOCALE_ARG}
        return data

    def handle_error(self, error: ValidationError, data: Any, *, many: bool, **kwargs):
        unknown = [self.error_messages["unknown"]]  # as marshmallow stores a refused key's
        only_unknown = (isinstance(error.messages, dict) and error.messages
                        and all(value == unknown for value in error.messages.values()))
        kind = UnknownKeysError if only_unknown else ValidationError
        raise kind(translate_messages(error.messages), data=error.data,
                   valid_data=error.valid_data) from error
