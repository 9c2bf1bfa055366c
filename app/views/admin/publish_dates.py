"""What the publish page says about dates: the version the draft is compared with, the parent
version a variant is built on, and the date the form starts with.

A variant is built on its parent's newest version, which may not be in effect yet; its region
meanwhile applies another version (app.commands.parent_start). The page therefore names both:
the diff compares with the version citizens of the region get today, and the date box starts at
the first day the variant may take effect.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from app.commands.parent_start import earliest_start
from app.engine.variants import effective_version, version_in_effect
from app.extensions import db
from app.models.item import Item, ItemVersion


def dates(item: Item, parent_version_id: Optional[int]) -> dict:
    """Return the page's ``current`` (compared with), ``above`` (that version when it is an
    item's above, in effect in the region today), ``based_on`` (the parent version a variant
    is built on) and ``earliest`` (its day, when after today)."""
    based_on = db.session.get(ItemVersion, parent_version_id) if parent_version_id else None
    current, above = version_in_effect(item) or item.latest_version, None
    if current is None and based_on is not None:
        # A variant's first version replaces, in its region, what applies there today.
        current = above = effective_version(based_on.item.code, item.region_code) or based_on
    return dict(current=current, above=above, based_on=based_on,
                earliest=earliest_start(based_on))


def date_shown(item: Item, earliest: Optional[dt.date]) -> str:
    """Return the date the form starts with: the draft's own (a file's), else none (at once),
    but never before ``earliest``. A date an earlier publish left in the draft (the newest
    version's) is not suggested again."""
    day = str(item.draft.get("effective_from") or "")
    latest = item.latest_version
    if latest is not None and latest.effective_from and day == latest.effective_from.isoformat():
        day = ""
    if earliest is not None and (not day or day < earliest.isoformat()):
        day = earliest.isoformat()
    return day
