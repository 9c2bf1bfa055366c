"""One rate limit on wrong passwords given to close an account (/me/close and
POST /api/v1/me/close), shared by the page and the API.

Closing asks for the password again; a session or token in other hands must not become a way
to guess it. Only refusals for a wrong password count (``g.account_close_refused``), per
account (app.shared_limit), whichever way they came.
"""
from __future__ import annotations

from flask import g

from app.shared_limit import share_limit

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
        return share_limit(appbuilder, blueprint, self.closing_endpoints, CLOSE_LIMIT, SCOPE,
                           deduct_when=wrong_password)
