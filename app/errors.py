"""Friendly error pages for people and JSON errors for the API; security headers."""
import logging
import time
from datetime import timedelta

from flask import Response, current_app, g, jsonify, render_template, request
from flask.globals import request_ctx
from flask_babel import format_timedelta
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.registry.base import RegistryUnavailableError

log = logging.getLogger(__name__)

TITLES = {
    400: _l("Request not understood"),
    401: _l("Please sign in"),
    403: _l("No permission"),
    404: _l("Page not found"),
    405: _l("Not possible here"),
    409: _l("Changed in the meantime"),
    413: _l("Upload too large"),
    422: _l("Information not valid"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong"),
    503: _l("Temporarily unavailable"),
}

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
    503: _l("This service is temporarily unavailable. Please try again later."),
}
#: The person registry (app.registry) did not answer: said as such, never as a 500.
REGISTRY_UNAVAILABLE = _l("The person registry is unavailable at the moment, so this cannot "
                          "be checked now. Nothing was changed; please try again later.")


def wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json"
    )


CSRF_MESSAGE = _l("The form expired or was sent from another site. Reload the page and try again.")


def handle_http_error(error: HTTPException):
    code = error.code or 500
    wait = retry_after(error) if code == 429 else None
    message = wait_message(wait) if code == 429 else str(MESSAGES.get(code, error.name))
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
        response = error_page(code, message)
    if wait and not response.headers.get("Retry-After"):
        response.headers["Retry-After"] = str(wait)
    return response


def note_retry_after(seconds: int) -> None:
    """Say when a request refused by a limit of banshi's own (not Flask-Limiter's) may be tried
    again: a 429 page or answer of this request then carries it as Retry-After."""
    g.retry_after = seconds


def retry_after_header(response):
    """Give a 429 without Retry-After the seconds noted by :func:`note_retry_after`, if any."""
    wait = g.get("retry_after")
    if response.status_code == 429 and wait and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = str(wait)
    return response


def retry_after(error: HTTPException) -> int | None:
    """Return the seconds until a refused (429) request may be tried again, if known.

    The limiter's own reset time when it has one, else the refused limit's window.
    """
    for limiter in current_app.extensions.get("limiter", ()):
        current = getattr(limiter, "current_limit", None)
        if current is not None and getattr(current, "breached", False):
            # Whole seconds as Flask-Limiter writes its Retry-After header (truncated).
            return max(1, int(current.reset_at - time.time()))
    item = getattr(getattr(error, "limit", None), "limit", None)
    return item.get_expiry() if item is not None else None


def wait_message(seconds: int | None) -> str:
    """Return the 429 message saying when to try again ("in 42 minutes"), if known."""
    if not seconds:
        return str(MESSAGES[429])
    return str(_l("Too many attempts. Try again in %(wait)s.",
                  wait=format_timedelta(timedelta(seconds=seconds), threshold=1.5)))


def staff_visitor() -> bool:
    """Tell whether the visitor is signed-in staff (their errors keep the staff menu)."""
    user = getattr(g, "user", None)
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and "Citizen" not in getattr(user, "role_names", {"Citizen"}))


def error_page(code: int, message: str) -> Response:
    """Render an error page: translated title and explanation, in the visitor's layout."""
    if getattr(g, "user", None) is None:
        # A refusal before FAB's before_request named the user (a failed form token): without
        # it a signed-in member of staff got the citizens' layout with its 登录 link.
        from flask_login import current_user

        g.user = current_user._get_current_object()
    title = str(TITLES.get(code, TITLES[500] if code >= 500 else TITLES[400]))
    if staff_visitor():
        appbuilder = current_app.appbuilder
        html = render_template("errors/staff_error.html", code=code, title=title,
                               message=message, appbuilder=appbuilder,
                               base_template=appbuilder.base_template)
    else:
        html = render_template("errors/error.html", code=code, title=title, message=message)
    return Response(html, code)


def handle_registry_unavailable(error: Exception):
    """Answer 503 naming the registry (the failure was logged by app.registry)."""
    from app.extensions import db

    db.session.rollback()  # nothing half-done of this request is kept
    message = str(REGISTRY_UNAVAILABLE)
    if wants_json():
        response = jsonify(message=message)
        response.status_code = 503
        return response
    return error_page(503, message)


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
    app.add_template_global(TITLES, "error_titles")
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(RegistryUnavailableError, handle_registry_unavailable)
    app.register_error_handler(Exception, handle_unexpected)
    app.after_request(security_headers)
    app.after_request(retry_after_header)
