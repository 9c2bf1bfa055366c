"""One rate limit on wrong passwords given to close an account (/me/close and
POST /api/v1/me/close), shared by the page and the API.

Closing asks for the password again; a session or token in other hands must not become a way
to guess it. Only refusals for a wrong password count (``g.account_close_refused``), per
account (app.identity_limit.account_key), whichever way they came.
"""
from __future__ import annotations

from flask import g, request

from app.identity_limit import account_key

CLOSE_LIMIT = "10 per hour"
SCOPE = "account-close"


def wrong_password(_response) -> bool:
    """Tell whether to count the request: its password was refused."""
    return bool(g.get("account_close_refused"))


class LimitsAccountClosing:
    """Mixin for a view or API that closes accounts: POSTs to ``closing_endpoints`` share one
    limit per account."""

    closing_endpoints: tuple[str, ...] = ()

    def create_blueprint(self, appbuilder, *args, **kwargs):
        """Create the blueprint and put the shared limit on it."""
        blueprint = super().create_blueprint(appbuilder, *args, **kwargs)
        endpoints = {f"{blueprint.name}.{name}" for name in self.closing_endpoints}
        appbuilder.sm.limiter.shared_limit(
            CLOSE_LIMIT, SCOPE, key_func=account_key, methods=["POST"],
            exempt_when=lambda: request.endpoint not in endpoints,
            deduct_when=wrong_password)(blueprint)
        return blueprint
