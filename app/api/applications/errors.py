"""Map the commands' typed errors to JSON responses ``{message, errors?}`` (request locale)."""
from __future__ import annotations

import functools

from marshmallow import ValidationError as ShapeError
from werkzeug.exceptions import HTTPException

from app.commands import CommandError
from app.commands.applications.errors import (ApplicationError, ApplicationInvalidError,
                                              NotAllowedError, material_error_key)
from app.errors import MESSAGES
from app.extensions import db
from app.uploads import UploadRejected

#: Extra OpenAPI responses beside FAB's 400/401/403/404/422/500.
_MESSAGE = {"content": {"application/json": {"schema": {
    "type": "object", "properties": {"message": {"type": "string"},
                                     "errors": {"type": "object"}}}}}}
EXTRA_RESPONSES = {"409": {"description": "Stale version or Idempotency-Key reused", **_MESSAGE},
                   "413": {"description": "The file is too large", **_MESSAGE}}


def error_response(api, error: Exception, material_key: str | None = None):
    """Return the response for a refused command, a malformed payload or an HTTP error."""
    if isinstance(error, ApplicationInvalidError):
        return api.response(422, message=str(error.message), errors=error.errors)
    if isinstance(error, NotAllowedError) and error.keys:
        return api.response(403, message=str(error.message), errors={k: [str(error.message)]
                                                                     for k in error.keys})
    if isinstance(error, ApplicationError):
        return api.response(error.status_code, message=str(error.message))
    if isinstance(error, UploadRejected):
        code = 413 if error.code == "too_large" else 422
        key = material_error_key(material_key or "file")
        return api.response(code, message=str(error.message), errors={key: [str(error.message)]})
    if isinstance(error, ShapeError):
        messages = error.messages if isinstance(error.messages, dict) else {"_": error.messages}
        return api.response(400, message=str(MESSAGES[400]), errors=messages)
    if isinstance(error, HTTPException):
        return api.response(error.code or 500, message=str(MESSAGES.get(error.code, error.name)))
    return api.response(400, message=str(error))  # another CommandError


def handles_errors(f):
    """Turn the errors of one endpoint into JSON answers; roll the session back on each."""

    @functools.wraps(f)
    def wrapper(self, *args, **kwargs):
        try:
            return f(self, *args, **kwargs)
        except (CommandError, ShapeError, HTTPException, UploadRejected) as error:
            db.session.rollback()
            return error_response(self, error, kwargs.get("key"))

    return wrapper
