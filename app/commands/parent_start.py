"""A variant's version takes effect no earlier than the parent version it is built on.

Publishing merges a variant's overrides onto the parent's *newest* published version and stores
the result (app.commands.publish); the catalogue then serves that stored version from its date
(app.engine.variants), it does not merge again day by day. So when the parent's newest version
is scheduled for a later day, a variant built on it cannot take effect before that day: it
would give citizens the parent's new rules early. Until then the region keeps what applies
there today (the variant's own version in effect, else the parent's).

The rule is said before anything happens: the publish page names the parent version the variant
is built on and its day, fills that day in, and a date before it — or none, "at once" — is
refused with a message naming both (:class:`BeforeParentVersionError`), in the designer, the API
and ``formdefs load --publish`` alike. Nothing ever schedules a day other than the one given.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from flask_babel import lazy_gettext as _l

from app.commands.formdef_errors import EffectiveDateInPastError, FormdefError
from app.engine.variants import starts_on, today
from app.models.item import ItemVersion


def earliest_start(parent: Optional[ItemVersion]) -> Optional[dt.date]:
    """Return the first day a variant built on ``parent`` may take effect when that is after
    today (None: no parent version, or it is in effect: the variant may start at once)."""
    if parent is None:
        return None
    day = starts_on(parent)
    return day if day > today() else None


def parent_words(parent: ItemVersion) -> dict:
    """Return what messages say of ``parent``: its number and its region, named."""
    region = parent.item.region
    return {"number": parent.number,
            "region": region.name_for() if region is not None else parent.item.region_code}


class BeforeParentVersionError(EffectiveDateInPastError):
    """The variant would take effect before the parent version it is built on: a date too
    early, answered as one (422, field ``effective_from``)."""

    def __init__(self, parent: ItemVersion, earliest: dt.date, day: Optional[dt.date]):
        self.parent, self.earliest, self.day, self.today = parent, earliest, day, today()
        words = dict(parent_words(parent), earliest=earliest.isoformat())
        if day is None or day <= self.today:
            message = _l("In effect from: this variant is built on version %(number)s of the "
                         "item of %(region)s, which takes effect on %(earliest)s, so it cannot "
                         "take effect at once. Give %(earliest)s or a later date.", **words)
        else:
            message = _l("In effect from: %(day)s is before %(earliest)s. This variant is built "
                         "on version %(number)s of the item of %(region)s, which takes effect "
                         "on %(earliest)s. Give %(earliest)s or a later date.",
                         day=day.isoformat(), **words)
        FormdefError.__init__(self, message)


def check_parent_start(parent: Optional[ItemVersion], day: Optional[dt.date]) -> None:
    """Refuse a variant's date (None: at once) before the start of ``parent``, the version it
    is built on."""
    earliest = earliest_start(parent)
    if earliest is not None and (day is None or day < earliest):
        raise BeforeParentVersionError(parent, earliest, day)
