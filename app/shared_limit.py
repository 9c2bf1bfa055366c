"""Rate limits shared by a page and an API: one bucket per account for the POSTs of named
endpoints, whichever way they came (app.identity_limit, app.account_limit, app.window_limit).

    class LimitsSomething:
        something_endpoints: tuple[str, ...] = ()

        def create_blueprint(self, appbuilder, *args, **kwargs):
            blueprint = super().create_blueprint(appbuilder, *args, **kwargs)
            return share_limit(appbuilder, blueprint, self.something_endpoints, LIMIT, SCOPE,
                               deduct_when=counts)

Each limit is its own mixin, so that one view or API can carry several (``MeApi``).
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Union

from flask import request
from flask_jwt_extended import get_jwt_identity, verify_jwt_in_request
from flask_jwt_extended.exceptions import JWTExtendedException
from flask_limiter.util import get_remote_address
from flask_login import current_user as session_user
from jwt import PyJWTError


def account_key() -> str:
    """Return the rate-limit key: the signed-in account (session or token), else the address.

    Limits are checked before FAB sets ``g.user`` and before ``@protect`` reads an API token:
    a page's account is read from Flask-Login, an API call's from its token (``@protect``
    reads it again; the API refuses the session, so a session never counts there, and a bad
    token counts by address).
    """
    if not request.path.startswith("/api/"):
        return f"user:{session_user.id}" if session_user.is_authenticated \
            else get_remote_address()
    try:
        if verify_jwt_in_request(optional=True) is not None:
            return f"user:{get_jwt_identity()}"
    except (JWTExtendedException, PyJWTError):
        pass
    return get_remote_address()


def share_limit(appbuilder, blueprint, names: Iterable[str],
                limit: Union[str, Callable[[], str]], scope: str,
                deduct_when: Callable[[Any], bool]):
    """Put ``limit`` (one bucket ``scope`` per account) on the POSTs to the endpoints ``names``
    of ``blueprint``, counting those ``deduct_when`` says; return the blueprint."""
    endpoints = {f"{blueprint.name}.{name}" for name in names}
    appbuilder.sm.limiter.shared_limit(
        limit, scope, key_func=account_key, methods=["POST"],
        exempt_when=lambda: request.endpoint not in endpoints,
        deduct_when=deduct_when)(blueprint)
    return blueprint
