"""One rate limit for the counter's identity look-ups (窗口代录), shared by the counter pages and
the applications API.

A clerk's 查询 and starting an application both consult the person registry and the accounts;
counted per clerk account in one bucket (``WINDOW_LOOKUP_RATE_LIMIT``, in the limiter's
storage: Redis in production), whether they come through /review/window/ or a clerk's
``POST /api/v1/applications/`` naming a ``subject``, so that the registry cannot be walked
through the counter.
"""
from __future__ import annotations

from flask import current_app, g

from app.shared_limit import share_limit

SCOPE = "window-lookup"


def mark_lookup() -> None:
    """Say that this request consults the registry for a walk-in citizen (it counts)."""
    g.window_lookup = True


def marked(_response) -> bool:
    return bool(g.get("window_lookup"))


class LimitsWindowLookups:
    """Mixin for a view or API: POSTs to ``window_lookup_endpoints`` that consulted the registry
    for a walk-in citizen (:func:`mark_lookup`, called by
    app.commands.reviews.window.check_identity) share the look-up limit per account."""

    #: The applications API's ``POST /`` by default; the counter view names its own.
    window_lookup_endpoints: tuple[str, ...] = ("post",)

    def create_blueprint(self, appbuilder, *args, **kwargs):
        """Create the blueprint and put the look-up limit on it."""
        blueprint = super().create_blueprint(appbuilder, *args, **kwargs)
        return share_limit(appbuilder, blueprint, self.window_lookup_endpoints,
                           lambda: current_app.config["WINDOW_LOOKUP_RATE_LIMIT"], SCOPE,
                           deduct_when=marked)
