"""One rate limit for real-name verification (实名认证), shared by the web form and the API.

Guessing an e-certificate or card password through us stays slow: an account's failed
attempts are counted in one bucket whether they come through /identity/verify or
POST /api/v1/me/identity, so the API is no way around the form's limit.
"""
from __future__ import annotations

from flask import request
from flask_jwt_extended import get_jwt_identity, verify_jwt_in_request
from flask_jwt_extended.exceptions import JWTExtendedException
from flask_limiter.util import get_remote_address
from flask_login import current_user as session_user
from jwt import PyJWTError

from app.scoping import current_user

VERIFY_LIMIT = "10 per hour"
SCOPE = "identity-verification"


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


def failed_attempt(_response) -> bool:
    """Tell whether to count the request: it did not leave the account verified."""
    user = current_user()
    return user is None or user.identity_verified_at is None


class LimitsVerification:
    """Mixin for a view or API that verifies identity: its POSTs to ``verification_endpoints``
    share one limit per account (FAB's own ``limits`` are counted per endpoint)."""

    verification_endpoints: tuple[str, ...] = ()

    def create_blueprint(self, appbuilder, *args, **kwargs):
        """Create the blueprint and put the shared verification limit on it."""
        blueprint = super().create_blueprint(appbuilder, *args, **kwargs)
        endpoints = {f"{blueprint.name}.{name}" for name in self.verification_endpoints}
        appbuilder.sm.limiter.shared_limit(
            VERIFY_LIMIT, SCOPE, key_func=account_key, methods=["POST"],
            exempt_when=lambda: request.endpoint not in endpoints,
            deduct_when=failed_attempt)(blueprint)
        return blueprint
