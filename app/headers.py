"""Content-Security-Policy for every response: scripts only from banshi itself or with the
request's nonce, nothing framed, forms posted only back here (SECURITY_TESTS.md B7: a hostile
label that slipped past escaping still could not run).

FAB's templates already mark their inline scripts with ``baselib.get_nonce()``, which reads the
``csp_nonce()`` template global registered here; banshi's own templates load scripts from
``/static`` only and use no inline event handlers. Styles may be inline (``style=""``
attributes in FAB's and banshi's templates, htmx's indicator style): a style cannot run code.
A response that sets its own policy (a file shown in the review page's frame) keeps it.

A 405 names the methods the URL takes in ``Allow``, as RFC 9110 §15.5.6 requires (the app's
error handler answers it as JSON or a page and would otherwise drop werkzeug's header).
"""
from __future__ import annotations

import secrets

from flask import Flask, g, request
from werkzeug.exceptions import MethodNotAllowed

POLICY = ("default-src 'self'; script-src 'self' 'nonce-{nonce}'; "
          "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; "
          "connect-src 'self'; object-src 'self'; frame-src 'self'; frame-ancestors 'none'; "
          "base-uri 'self'; form-action 'self'")


def csp_nonce() -> str:
    """Return this request's script nonce (made on first use)."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(16)
    return nonce


def content_security_policy(response):
    response.headers.setdefault("Content-Security-Policy", POLICY.format(nonce=csp_nonce()))
    return response


def allowed_methods(response):
    """Name the URL's methods in a 405's ``Allow`` header."""
    refused = request.routing_exception
    if (response.status_code == 405 and isinstance(refused, MethodNotAllowed)
            and refused.valid_methods and "Allow" not in response.headers):
        response.headers["Allow"] = ", ".join(sorted(refused.valid_methods))
    return response


def register(app: Flask) -> None:
    app.add_template_global(csp_nonce, "csp_nonce")
    app.after_request(content_security_policy)
    app.after_request(allowed_methods)
