"""Friendly error pages for people and JSON errors for the API; security headers."""
import logging

from flask import Response, g, jsonify, render_template, request
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Please sign in first."),
    403: _l("You do not have permission to do this."),
    404: _l("This page does not exist, or you cannot see it."),
    405: _l("This action is not allowed here."),
    409: _l("Someone else changed this in the meantime. Reload and try again."),
    413: _l("The upload is too large."),
    422: _l("Some of the information is not valid."),
    429: _l("Too many attempts. Please wait a moment and try again."),
    500: _l("Something went wrong on our side. Your data is safe; please try again later."),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json"
    )


CSRF_MESSAGE = _l("The form expired or was sent from another site. Reload the page and try again.")


def handle_http_error(error: HTTPException):
    code = error.code or 500
    message = str(MESSAGES.get(code, error.name))
    if isinstance(error, CSRFError):
        log.info("CSRF refused on %s %s: %s", request.method, request.path, error.description)
        message = str(CSRF_MESSAGE)
    if wants_json():
        response = jsonify(message=message)
        response.status_code = code
    elif request_ctx.url_adapter is None:
        # The Host is not in TRUSTED_HOSTS: no URL can be built, so no page with links.
        response = Response(message, code, mimetype="text/plain")
    else:
        response = render_template("errors/error.html", code=code, message=message), code
    return response


def handle_unexpected(error: Exception):
    log.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())


def security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    user = getattr(g, "user", None)
    if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
        # Pages and answers with personal data are never cached (SECURITY_TESTS.md A7).
        response.headers["Cache-Control"] = "no-store"
    return response


def register(app) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
    app.after_request(security_headers)
