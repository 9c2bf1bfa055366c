"""Undo in the item designer: discard a draft's unpublished changes, delete an item that was
never published. Both are refused for another region's item, checked against the revision the
administrator saw, and audited (``definition.discard``, ``definition.delete``)."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from app.audit import record
from app.commands.drafts import write_draft
from app.commands.formdef_errors import FormdefError, StaleDraftError
from app.engine.export import export
from app.extensions import db
from app.models.application import Application
from app.models.item import Item
from app.scoping import can_write_region, current_user


def _check(item: Item, actor) -> object:
    actor = actor if actor is not None else current_user()
    if actor is not None and not can_write_region(item.region_code, actor):
        raise FormdefError(_l("You can only change items of your own region."))
    return actor


def has_unpublished_changes(item: Item) -> bool:
    version = item.latest_version
    return version is not None and version.source != item.draft


@dataclass
class DiscardDraftCommand:
    """Set ``item``'s draft back to what its newest version published (for a variant: its
    overrides as published), at ``expected_revision``.

    :raises FormdefError: never published, or nothing to discard.
    :raises StaleDraftError: the draft changed since it was read (409).
    """

    item: Item
    expected_revision: int
    actor: Optional[object] = None

    def run(self) -> Item:
        actor = _check(self.item, self.actor)
        version = self.item.latest_version
        if version is None:
            raise FormdefError(_l("This item was never published: there is no version to go "
                                  "back to. Delete the item instead."))
        if not has_unpublished_changes(self.item):
            raise FormdefError(_l("The draft has no changes since version %(n)s.",
                                  n=version.number))
        source = copy.deepcopy(version.source)
        return write_draft(self.item, self.expected_revision, source, export(source), actor,
                           "definition.discard", version=version.number)


@dataclass
class DeleteItemCommand:
    """Delete an item that was never published and that no application or variant uses.

    :raises FormdefError: published once, or used.
    :raises StaleDraftError: the draft changed since it was read (409).
    """

    item: Item
    expected_revision: int
    actor: Optional[object] = None

    def validate(self) -> None:
        _check(self.item, self.actor)
        if self.item.versions:
            raise FormdefError(_l("This item has published versions: applications and the "
                                  "records keep them, so it cannot be deleted."))
        if db.session.scalar(select(func.count(Application.id)).where(
                Application.item_id == self.item.id)):
            raise FormdefError(_l("Applications use this item: it cannot be deleted."))
        if db.session.scalar(select(func.count(Item.id)).where(
                Item.derives_item_id == self.item.id)):
            raise FormdefError(_l("A regional variant derives from this item: delete that "
                                  "first."))

    def run(self) -> None:
        self.validate()
        item = self.item
        try:
            result = db.session.execute(delete(Item).where(
                Item.id == item.id, Item.revision == self.expected_revision)
                .execution_options(synchronize_session=False))
            if result.rowcount != 1:
                raise StaleDraftError()
            record("definition.delete", "item", item.id, region_code=item.region_code,
                   code=item.code, revision=self.expected_revision)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
