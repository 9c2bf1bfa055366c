"""The ``?region=`` of /api/v1/formdefs/<code>/…: the region that owns the item."""
from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models.region import Region


def owner_region(api):
    """Return the ``?region=`` the item belongs to, or ``api``'s reply refusing it: 400 when
    missing, 404 when unknown, the message also in ``errors.region`` as the catalogue's."""
    given = request.args.get("region", "")
    if not given:
        missing = str(_l("Give the region: ?region=CODE."))
        return api.response(400, message=missing, errors={"region": [missing]})
    region = db.session.get(Region, given) if len(given) <= 12 else None
    if region is None:  # a code longer than any region's is unknown, shown cut short
        shown = given if len(given) <= 20 else given[:20] + "…"
        unknown = str(_l("There is no region with code %(code)s.", code=shown))
        return api.response(404, message=unknown, errors={"region": [unknown]})
    return region
