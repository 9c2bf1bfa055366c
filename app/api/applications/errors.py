"""Map the commands' typed errors to JSON responses ``{message, errors?}`` (request locale)."""
from __future__ import annotations

import functools

from flask import url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError as ShapeError
from werkzeug.exceptions import HTTPException

from app.api.base import BodyNotJsonObjectError, UnknownKeysError
from app.api.shape_messages import translate_messages
from app.commands import CommandError
from app.commands.applications.create import IdentityNotVerifiedError
from app.commands.applications.errors import (ApplicationError, ApplicationInvalidError,
                                              NotAllowedError, material_error_key)
from app.commands.applications.withdraw import DraftNotWithdrawnError
from app.errors import MESSAGES
from app.extensions import db
from app.uploads import UploadRejected

KEY_HEADER = "Idempotency-Key"
VERIFY_FIRST = _l("Verify your identity (实名认证) before you apply: send your real name and ID "
                  "number to POST /api/v1/me/identity, then create the application again.")


class SubmitKeyMissingError(ApplicationError):
    """A submission without the Idempotency-Key header (428 Precondition Required)."""

    status_code = 428
    default_message = _l("A submission needs an Idempotency-Key header: a key of your own of "
                         "up to 100 printable ASCII characters, sent again unchanged when you "
                         "retry the same submission.")


class SubmitKeyInvalidError(ApplicationError):
    """An Idempotency-Key header that is empty, too long or not printable ASCII."""

    default_message = _l("The Idempotency-Key header is not valid.")


def submission_key(headers) -> str:
    """Return the submit's Idempotency-Key, part of submit (CONTRACT.md §4): the same key
    replays the first answer, so a retried request never submits twice."""
    key = headers.get(KEY_HEADER)
    if key is None:
        raise SubmitKeyMissingError()
    if not (0 < len(key) <= 100 and key.isascii() and key.isprintable()):
        raise SubmitKeyInvalidError()
    return key


def error_response(api, error: Exception, material_key: str | None = None):
    """Return the response for a refused command, a malformed payload or an HTTP error."""
    if isinstance(error, BodyNotJsonObjectError):
        return api.not_json_object(error)
    if isinstance(error, ApplicationInvalidError):
        return api.response(422, message=str(error.message), errors=error.errors)
    if isinstance(error, IdentityNotVerifiedError):  # where to go: for people and programs
        return api.response(403, message=str(VERIFY_FIRST), action={
            "method": "POST", "path": url_for("MeApi.verify_identity")})
    if isinstance(error, DraftNotWithdrawnError):  # as the web: a draft is deleted, not withdrawn
        path = url_for("ApplicationApi.delete_draft", pk=error.application_id)
        return api.response(409, message=gettext(
            "This draft was never submitted, so there is nothing to withdraw. Delete the draft "
            "instead: DELETE %(path)s.", path=path), action={"method": "DELETE", "path": path})
    if isinstance(error, NotAllowedError) and error.keys:
        return api.response(403, message=str(error.message), errors={k: [str(error.message)]
                                                                     for k in error.keys})
    if isinstance(error, ApplicationError):
        return api.response(error.status_code, message=str(error.message))
    if isinstance(error, UploadRejected):
        key = material_error_key(material_key or "file")
        return api.response(error.status, message=str(error.message),
                            errors={key: [str(error.message)]})
    if isinstance(error, UnknownKeysError):  # understood, but says what is not taken
        return api.response(422, message=str(MESSAGES[422]), errors=error.messages)
    if isinstance(error, ShapeError):  # app.api.base.ApiSchema translated it; others' not
        # A body's wrong type or missing key is a validation error, as on the other APIs.
        messages = error.messages if isinstance(error.messages, dict) else {"_": error.messages}
        return api.response(422, message=str(MESSAGES[422]), errors=translate_messages(messages))
    if isinstance(error, HTTPException):
        return api.response(error.code or 500, message=str(MESSAGES.get(error.code, error.name)))
    return api.response(400, message=str(error))  # another CommandError


def handles_errors(f):
    """Turn the errors of one endpoint into JSON answers; roll the session back on each."""

    @functools.wraps(f)
    def wrapper(self, *args, **kwargs):
        try:
            return f(self, *args, **kwargs)
        except (CommandError, ShapeError, HTTPException, UploadRejected,
                BodyNotJsonObjectError) as error:
            db.session.rollback()
            return error_response(self, error, kwargs.get("key"))

    return wrapper
