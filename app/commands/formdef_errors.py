"""The typed errors of the definition commands (views and APIs map each to a status code)."""
from __future__ import annotations

from typing import Optional

from flask_babel import lazy_gettext as _l

from app.commands import CommandError


class FormdefError(CommandError):
    """A definition command was refused (400/422)."""


class DefinitionInvalidError(FormdefError):
    """Lint found problems (422); ``problems`` lists every one, ``path:line: message``."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class ItemNotFoundError(FormdefError):
    """No such item in that region, or not one the user may see (404)."""


class StaleDraftError(FormdefError):
    """The draft changed since it was read (409, SECURITY_TESTS E2)."""

    def __init__(self, message=None):
        super().__init__(message or _l("Someone else changed this draft in the meantime. "
                                       "Reload it and apply your change again."))


class RevisionMismatchError(StaleDraftError):
    """An import said which revision of the draft it replaces, and the draft is at another (409).

    ``current`` is the draft's revision now, None when the item has no draft yet.
    """

    def __init__(self, item: str, expected: int, current: Optional[int]):
        self.item, self.expected, self.current = item, expected, current
        if current is None:
            super().__init__(_l("%(item)s has no draft yet, so none at revision %(expected)s. "
                                "Import without a revision to create it.", item=item,
                                expected=expected))
        else:
            super().__init__(_l("The draft of %(item)s is at revision %(current)s, not "
                                "%(expected)s: it was changed in the meantime. Look at it, then "
                                "import again.", item=item, current=current, expected=expected))


class ParentNotPublishedError(FormdefError):
    """A variant cannot be published before the item it derives from (422)."""


class RegionNotAllowedError(FormdefError):
    """The user may not change items of that region: it is outside their subtree (403)."""

    def __init__(self, region):
        self.region = str(region)
        super().__init__(_l("Region %(region)s is outside the regions you administer: you "
                            "cannot change its items.", region=self.region))


class NothingToPublishError(FormdefError):
    """The draft is what the newest version already publishes (422)."""

    def __init__(self, number):
        self.number = number
        super().__init__(_l("Version %(number)s already publishes this draft: there is nothing "
                            "to publish.", number=number))


class EffectiveDateInPastError(FormdefError):
    """The effective date is before today (422, field ``effective_from``)."""

    field = "effective_from"

    def __init__(self, day, today):
        self.day, self.today = day, today
        super().__init__(_l("In effect from: %(day)s is before today (%(today)s). Give today "
                            "(the version takes effect at once) or a later date.",
                            day=day.isoformat(), today=today.isoformat()))


class SupersedeUnconfirmedError(FormdefError):
    """Publishing would make scheduled versions never take effect, and that was not confirmed
    (422, field ``supersede``); ``versions`` are those versions, oldest first."""

    field = "supersede"

    def __init__(self, versions, day):
        self.versions, self.day = list(versions), day
        scheduled = ", ".join(f"v{v.number} ({v.effective_from.isoformat()})"
                              for v in self.versions)
        numbers = ",".join(str(v.number) for v in self.versions)
        if day is None:
            message = _l("Scheduled version %(scheduled)s would never take effect: this version "
                         "takes effect at once and replaces it. Confirm the replacement "
                         "(supersede: %(numbers)s) to publish anyway; the scheduled version is "
                         "then marked superseded.", scheduled=scheduled, numbers=numbers)
        else:
            message = _l("Scheduled version %(scheduled)s would never take effect: this version "
                         "takes effect on %(day)s, no later, and replaces it. Confirm the "
                         "replacement (supersede: %(numbers)s) to publish anyway; the scheduled "
                         "version is then marked superseded.", scheduled=scheduled,
                         day=day.isoformat(), numbers=numbers)
        super().__init__(message)
