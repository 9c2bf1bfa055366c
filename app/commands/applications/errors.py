"""The typed errors of the citizen-side application commands and their HTTP status codes.

Views and APIs map each to a status (``status_code``); they never re-implement the rules.
"""
from __future__ import annotations

from typing import Any, Optional

from flask_babel import lazy_gettext as _l

from app.commands import CommandError


class ApplicationError(CommandError):
    """Base of the application errors; ``message`` is for the user (lazy, translated on use)."""

    status_code = 400
    default_message: Any = _l("The request could not be understood.")

    def __init__(self, message: Any = None):
        self.message = message if message is not None else self.default_message
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


class ApplicationNotFoundError(ApplicationError):
    """No such application, or one outside the caller's scope: existence is never confirmed."""

    status_code = 404
    default_message = _l("This application does not exist, or you cannot see it.")


class AttachmentNotFoundError(ApplicationNotFoundError):
    """No such file on an application the caller may see (or it was removed, or its stored
    file is gone): a 404 that names the file, since the application is not in doubt."""

    default_message = _l("This file does not exist or was removed.")


class NotAllowedError(ApplicationError):
    """In scope but not permitted: wrong role, not the owner, wrong status, unflagged change."""

    status_code = 403
    default_message = _l("You may not do this with this application.")

    def __init__(self, message: Any = None, keys: Optional[list[str]] = None):
        super().__init__(message)
        self.keys = list(keys or [])


class StateConflictError(NotAllowedError):
    """The application's status rules the action out (submitted already, decided, withdrawn,
    not a draft): 409 Conflict, as the request conflicts with the resource's current state.

    A ``NotAllowedError`` still, so pages that show a refusal show this one alike.
    """

    status_code = 409


class StaleApplicationError(ApplicationError):
    """The application changed since the caller read it (lock_version; SECURITY_TESTS E2)."""

    status_code = 409
    default_message = _l("This application was changed in the meantime. Reload it and try "
                         "again.")


class IdempotencyConflictError(ApplicationError):
    """An Idempotency-Key was used before with a different request (SECURITY_TESTS E3)."""

    status_code = 409
    default_message = _l("This Idempotency-Key was already used for a different request.")


class ApplicationInvalidError(ApplicationError):
    """Per-field / per-material messages (422): ``errors`` is ``{key: [message, …]}``.

    Material problems are keyed ``materials.<material key>`` (field keys never hold a dot).
    """

    status_code = 422
    default_message = _l("Some of the information is not valid.")

    def __init__(self, errors: dict[str, list], message: Any = None):
        super().__init__(message)
        self.errors = {key: [str(m) for m in messages] for key, messages in errors.items()}


def material_error_key(material_key: str) -> str:
    """Return the key under which a material's messages are reported."""
    return f"materials.{material_key}"


def commit_or_stale() -> None:
    """Commit; a concurrent change of the application (lock_version) becomes a 409."""
    from sqlalchemy.orm.exc import StaleDataError

    from app.extensions import db

    try:
        db.session.commit()
    except StaleDataError as error:
        db.session.rollback()
        raise StaleApplicationError() from error
