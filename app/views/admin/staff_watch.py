"""Staff accounts: say when a change to an account (disabled, another role or region) leaves
waiting applications with nobody who may decide them (无人可办, app.workflow.queue.unstaffed).

The unstaffed applications of the subtree of the account's stored region are counted before the
change is written and again after: only this account changed, so the difference is what the
change did (an account decides steps handled in its own region, or at its level below it)."""
from __future__ import annotations

from typing import Any

from flask import flash, g
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models.user import BanshiUser
from app.region_tree import region_tree
from app.models.region import with_code
from app.workflow.queue.unstaffed import unstaffed

LEFT_UNSTAFFED = _l("After this change, %(count)s waiting applications in %(region)s or the "
                    "regions under it have nobody who may decide them: see Review → Nobody can "
                    "decide.")
_KEY = "_banshi_unstaffed_before"


def before_change(account: Any) -> None:
    """Count the unstaffed applications under the account's stored region (the change is not
    written yet: call with autoflush off)."""
    with db.session.no_autoflush:
        region = db.session.scalar(select(BanshiUser.region_code).where(
            BanshiUser.id == account.id))
        setattr(g, _KEY, (region, unstaffed(None, within=region).count) if region else None)


def after_change() -> None:
    """Flash a warning when the change written left more applications with nobody."""
    watched = getattr(g, _KEY, None)
    setattr(g, _KEY, None)
    if not watched:
        return
    region, before = watched
    added = unstaffed(None, within=region).count - before
    if added > 0:
        node = region_tree().get(region)
        flash(str(LEFT_UNSTAFFED % {"count": added, "region": with_code(
            node.name_for(), region) if node else region}), "warning")
