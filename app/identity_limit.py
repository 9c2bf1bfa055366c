"""One rate limit for real-name verification (实名认证), shared by the web form and the API.

Guessing an e-certificate or card password through us stays slow: an account's failed
attempts are counted in one bucket whether they come through /identity/verify or
POST /api/v1/me/identity, so the API is no way around the form's limit.
"""
from __future__ import annotations

from app.scoping import current_user
from app.shared_limit import share_limit

VERIFY_LIMIT = "10 per hour"
SCOPE = "identity-verification"


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
        return share_limit(appbuilder, blueprint, self.verification_endpoints, VERIFY_LIMIT,
                           SCOPE, deduct_when=failed_attempt)
