"""Import one definition sent as text (``POST /api/v1/formdefs/``) as `formdefs load` imports a
file: the same lint, the same save (created / updated / unchanged, audited), never published —
and, as the designer does, only into a region the acting user administers.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from typing import Optional

from flask_babel import lazy_gettext as _l

from app.commands.formdef_errors import (DefinitionInvalidError, FormdefError,
                                         RegionNotAllowedError)
from app.commands.formdefs import LoadFormdefsCommand, LoadResult
from app.commands.publish import db_lint_context
from app.engine.lint import Checked, lint_batch
from app.scoping import can_write_region, current_user

__all__ = ["LoadFormdefTextCommand", "LoadResult", "ensure_region_writable"]


def ensure_region_writable(region, actor=None) -> None:
    """Raise RegionNotAllowedError unless ``actor`` (default: the acting user) may change items
    of ``region``; no actor at all (the command line) may change any."""
    actor = actor if actor is not None else current_user()
    if actor is not None and not can_write_region(str(region), actor):
        raise RegionNotAllowedError(region)


@dataclass
class LoadFormdefTextCommand(LoadFormdefsCommand):
    """Import ``text`` (YAML; JSON is YAML too) named ``name`` in messages (``name:LINE: …``).

    :raises RegionNotAllowedError: its ``region`` is not one the actor administers (checked
        before its problems are told, which could speak of items of that region).
    :raises DefinitionInvalidError: lint found problems (``keep_unfinished``: one a draft
        cannot be kept with, Checked.blocking); nothing changed.
    :raises FormdefError: ``item`` (code, region) is given and the text is of another item.
    :raises RevisionMismatchError: ``expected_revision`` is given and the draft is at another.
    :raises StaleDraftError: another import created the same item at the same moment.
    """

    text: str = ""
    name: str = "<body>"
    actor: Optional[object] = None
    item: Optional[tuple] = None  # the (code, region) the text must be of: the draft shown
    #: Keep a draft as the designer does: refused only for what it cannot be kept with
    #: (Checked.blocking); the problems only publishing refuses are then ``unfinished``.
    keep_unfinished: bool = False
    warnings: list = dataclass_field(default_factory=list, init=False)  # set by validate()
    unfinished: list = dataclass_field(default_factory=list, init=False)  # set by validate()

    def __post_init__(self) -> None:
        self.paths, self.publish = [], False  # one text, a draft: publishing is its own call

    def validate(self) -> tuple[dict[str, str], dict[str, Checked]]:
        texts = {self.name: self.text}
        checked = lint_batch(texts, db_lint_context())
        for one in checked.values():
            if one.source.get("region"):
                ensure_region_writable(one.source["region"], self.actor)
        problems = [p for one in checked.values() for p in one.problems]
        if self.keep_unfinished and not any(one.blocking for one in checked.values()):
            self.unfinished, problems = problems, []
        if problems:  # every one, also those a draft could be kept with: fix them at once
            raise DefinitionInvalidError(problems)
        for one in checked.values():
            found = (one.source["code"], one.source["region"])
            if self.item is not None and found != tuple(self.item):
                raise FormdefError(_l("This definition is of %(found)s, not of %(item)s: import "
                                      "it from the list of items.", found="@".join(found),
                                      item="@".join(self.item)))
        self.warnings = [p for one in checked.values() for p in one.warnings]
        return texts, checked

