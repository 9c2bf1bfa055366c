"""When published versions take effect: a date before today is refused, a publish that would
make a scheduled version never take effect needs that version confirmed, and each version's
state (in effect, scheduled, superseded, replaced) is read the same way everywhere.

Versions are ordered by number; on a day the one in effect is the newest whose
``effective_from`` has come (app.engine.variants). A version therefore *starts* at 00:00 China
time of its effective date, or when it was published if that is later (no date: at once). A
version published for a later day is *superseded* when a newer one starts no later than it
does: it never takes effect.
That is derived from the versions, never stored, so it cannot disagree with the catalogue; a
version that was in effect for a while and was then followed by a newer one is *replaced*.
Today is the application's clock (``BANSHI_CLOCK``), in China Standard Time.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Collection, Optional

from flask_babel import lazy_gettext as _l

from app.commands.applications.context import now
from app.commands.formdef_errors import EffectiveDateInPastError, SupersedeUnconfirmedError
from app.engine.cel_functions import CST
from app.engine.variants import version_in_effect
from app.models.item import Item, ItemVersion

STATE_LABELS = {"in_effect": _l("In effect"), "scheduled": _l("Scheduled"),
                "superseded": _l("Superseded"), "replaced": _l("No longer in effect"),
                "retired": _l("Retired with the item")}


def start(version: ItemVersion, published: Optional[dt.datetime] = None) -> dt.datetime:
    """Return the moment ``version`` starts (``published``: when it is published, if not yet)."""
    moment = (published or version.published_at).astimezone(CST)
    if version.effective_from is None:
        return moment
    return max(moment, dt.datetime.combine(version.effective_from, dt.time(), CST))


def was_scheduled(version: ItemVersion) -> bool:
    """Return whether ``version`` was published to take effect on a later day (a version that
    took effect at once was in effect, however briefly: it is never superseded)."""
    return (version.effective_from is not None
            and version.effective_from > version.published_at.astimezone(CST).date())


@dataclass(frozen=True)
class VersionState:
    """``state`` of ``version`` now; ``by``: the version that superseded or replaced it."""

    version: ItemVersion
    state: str
    by: Optional[ItemVersion] = None

    @property
    def published_on(self) -> dt.date:
        return self.version.published_at.astimezone(CST).date()

    @property
    def label(self):
        """The state in the reader's language."""
        by = self.by.number if self.by is not None else None
        if self.state == "scheduled":
            return _l("Scheduled: in effect from %(day)s",
                      day=self.version.effective_from.isoformat())
        if self.state == "superseded":
            return _l("Superseded by v%(by)s: never takes effect", by=by)
        if self.state == "replaced" and by is not None:
            return _l("Replaced by v%(by)s", by=by)
        return STATE_LABELS[self.state]


def version_states(item: Item, moment: Optional[dt.datetime] = None) -> list[VersionState]:
    """Return the state of each of ``item``'s versions at ``moment`` (default now), newest
    first."""
    moment = (moment or now()).astimezone(CST)
    versions = list(item.versions)
    starts = [start(v) for v in versions]
    current = version_in_effect(item, moment.date())
    superseding = {}  # index: the newer version that starts no later
    for index, version in enumerate(versions):
        if was_scheduled(version):
            superseding[index] = next((v for v, begins in zip(
                versions[index + 1:], starts[index + 1:]) if begins <= starts[index]), None)
    states = []
    for index, version in enumerate(versions):
        if superseding.get(index) is not None:
            states.append(VersionState(version, "superseded", superseding[index]))
        elif version is current:
            states.append(VersionState(version, "in_effect"))
        elif version.effective_from is not None and version.effective_from > moment.date():
            states.append(VersionState(version, "scheduled"))
        elif not item.in_service(moment.date()):
            states.append(VersionState(version, "retired"))
        else:  # followed by the next version that did start
            states.append(VersionState(version, "replaced", next(
                (v for later, (v, begins) in enumerate(zip(versions, starts))
                 if later > index and begins <= moment and superseding.get(later) is None),
                None)))
    return states[::-1]


def would_supersede(item: Item, day: Optional[dt.date],
                    moment: Optional[dt.datetime] = None) -> list[ItemVersion]:
    """Return the scheduled versions a new version in effect from ``day`` (None: at once)
    would supersede: those starting on or after it, oldest first."""
    moment = (moment or now()).astimezone(CST)
    begins = max(moment, dt.datetime.combine(day, dt.time(), CST)) if day else moment
    return [s.version for s in reversed(version_states(item, moment))
            if s.state == "scheduled" and begins <= start(s.version)]


def effective_date_problem(text: str):
    """Say why ``text`` is no effective date: not written YYYY-MM-DD, or no day of the calendar
    (2026-02-30 is written right)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return _l("In effect from: %(value)s is not a day of the calendar.", value=text)
    return _l("In effect from: give the date as YYYY-MM-DD.")


def check_effective_date(day: Optional[dt.date]) -> None:
    """Refuse an effective date before today (today itself: the version takes effect at once)."""
    today = now().astimezone(CST).date()
    if day is not None and day < today:
        raise EffectiveDateInPastError(day, today)


def check_schedule(item: Item, day: Optional[dt.date],
                   confirmed: Collection[int] = ()) -> list[ItemVersion]:
    """Check a new version of ``item`` in effect from ``day``; return the scheduled versions
    it supersedes, each of which ``confirmed`` must name.

    :raises EffectiveDateInPastError: ``day`` is before today.
    :raises SupersedeUnconfirmedError: a scheduled version would never take effect and
        ``confirmed`` does not name it.
    """
    check_effective_date(day)
    replaced = would_supersede(item, day)
    if any(version.number not in set(confirmed) for version in replaced):
        raise SupersedeUnconfirmedError(replaced, day)
    return replaced
