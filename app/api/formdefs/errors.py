"""Map the definition commands' typed errors to JSON answers ``{message, errors?}``.

Lint problems come as ``errors.definition``: one ``NAME:LINE: message`` string a problem, in the
order of the lines, as ``flask formdefs lint`` prints them (NAME is ``<body>`` for an import, the
item as ``code@region`` for the stored draft a publish checks), and again as ``problems``
``[{line, message}]`` for a client that shows them next to its own lines.
"""
from __future__ import annotations

import functools

from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from app.api.applications.errors import error_response
from app.api.formdefs.body import MAX_BYTES, BadRevisionHeader, BodyTooLarge, UnsupportedBody
from app.commands import CommandError
from app.commands.parent_pin import ParentVersionError
from app.commands.formdef_errors import (DefinitionInvalidError, EffectiveDateInPastError,
                                         ItemNotFoundError, NothingToPublishError,
                                         RegionNotAllowedError, RevisionMismatchError,
                                         StaleDraftError, SupersedeUnconfirmedError)
from app.extensions import db


def problem_lines(problems) -> dict:
    """Return lint problems as ``errors`` and ``problems`` of a reply (see the module)."""
    return {"errors": {"definition": [str(p) for p in problems]},
            "problems": [{"line": p.line, "message": str(p.message)} for p in problems]}


def formdef_error_response(api, error: Exception):
    """Return the response for a refused definition command or a body that cannot be read."""
    if isinstance(error, DefinitionInvalidError):
        message = _l("The definition has problems; nothing was changed.")
        return api.response(422, message=str(message), **problem_lines(error.problems))
    if isinstance(error, RegionNotAllowedError):
        return api.response(403, message=str(error), errors={"region": [str(error)]})
    if isinstance(error, ItemNotFoundError):
        return api.response(404, message=str(error))
    if isinstance(error, RevisionMismatchError):  # the draft's revision now; none: no draft
        return api.response(409, message=str(error), revision=error.current)
    if isinstance(error, StaleDraftError):
        return api.response(409, message=str(error))
    if isinstance(error, (EffectiveDateInPastError, ParentVersionError)):
        return api.response(422, message=str(error), errors={error.field: [str(error)]})
    if isinstance(error, SupersedeUnconfirmedError):  # confirmed by ?supersede=N
        return api.response(422, message=str(error), errors={error.field: [str(error)]},
                            scheduled=[{"version": v.number,
                                        "effective_from": v.effective_from.isoformat()}
                                       for v in error.versions])
    if isinstance(error, NothingToPublishError):
        return api.response(422, message=str(error), errors={"draft": [str(error)]},
                            version=error.number)
    if isinstance(error, CommandError):  # a variant whose parent is not published, …
        return api.response(422, message=str(error), errors={"draft": [str(error)]})
    if isinstance(error, BodyTooLarge):
        return api.response(413, message=str(_l("The definition is larger than %(size)s MB.",
                                                size=MAX_BYTES // 2**20)))
    if isinstance(error, BadRevisionHeader):
        return api.response(400, message=str(_l(
            "If-Match gives the revision of the draft the definition replaces, as a whole "
            "number (If-Match: 3).")))
    if isinstance(error, UnsupportedBody):
        return api.response(415, message=str(_l(
            "Send one definition as YAML (Content-Type: application/yaml) or JSON "
            "(Content-Type: application/json).")))
    return error_response(api, error)  # an HTTP error: its translated message


def handles_formdef_errors(f):
    """Turn the errors of one endpoint into JSON answers; roll the session back on each."""

    @functools.wraps(f)
    def wrapper(self, *args, **kwargs):
        try:
            return f(self, *args, **kwargs)
        except (CommandError, HTTPException, BodyTooLarge, UnsupportedBody,
                BadRevisionHeader) as error:
            db.session.rollback()
            return formdef_error_response(self, error)

    return wrapper
