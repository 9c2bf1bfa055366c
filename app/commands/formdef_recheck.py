"""Lint the published versions citizens fill against today's rules (``flask formdefs recheck``).

A version is kept as it was published: when lint grows stricter — the cost budget of CEL
expressions (app.engine.cel_cost), say — a version published before keeps what lint now refuses
(a pairwise check over a repeating group's rows, run on every save) until its item is corrected
and published again. This finds them: every version in effect today, and every one scheduled to
take effect, of every published item, is linted as publishing would lint it now; a variant's
version is its definition merged onto the parent version it pins, linted as it stands.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field as dataclass_field
from typing import Optional

from sqlalchemy import select

from app.commands.publish import db_lint_context
from app.commands.schedule import version_states
from app.engine.lint import LintContext, check_definition
from app.extensions import db
from app.models.item import Item, ItemVersion

#: The states of a version citizens fill now or will (app.commands.schedule).
CHECKED_STATES = ("in_effect", "scheduled")


@dataclass(frozen=True)
class RefusedVersion:
    """A published version lint would now refuse, with the problems' messages."""

    item: Item
    version: ItemVersion
    state: str
    problems: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.item.code}@{self.item.region_code}"


def recheck_version(version: ItemVersion, context: LintContext) -> tuple[str, ...]:
    """Return the messages of what lint now finds wrong with ``version``'s definition."""
    definition = copy.deepcopy(version.definition)
    definition.pop("derives", None)  # merged already: linted as it stands, not merged again
    checked = check_definition(definition, f"{version.item.code}@{version.region_code}",
                               context)
    return tuple(dict.fromkeys(str(problem.message) for problem in checked.problems))


@dataclass
class RecheckPublishedCommand:
    """Lint the versions in effect or scheduled of every published item (or of ``region``'s
    items); ``checked`` counts them, ``refused`` lists those lint now refuses."""

    region: Optional[str] = None
    checked: int = dataclass_field(default=0, init=False)
    refused: list[RefusedVersion] = dataclass_field(default_factory=list, init=False)

    def run(self) -> list[RefusedVersion]:
        query = select(Item).where(Item.status == "published")
        if self.region is not None:
            query = query.where(Item.region_code == self.region)
        context = db_lint_context()
        for item in db.session.scalars(query.order_by(Item.region_code, Item.code)):
            for state in reversed(version_states(item)):  # oldest first
                if state.state not in CHECKED_STATES:
                    continue
                self.checked += 1
                problems = recheck_version(state.version, context)
                if problems:
                    self.refused.append(RefusedVersion(item, state.version, state.state,
                                                       problems))
        return self.refused
