"""Which parent version a variant is built on: the newest, or the one in effect today.

A variant's version is its overrides merged onto one version of its parent, which it pins
(app.commands.publish). By default that is the parent's newest version; when that version is
scheduled for a later day, the variant cannot take effect before it (app.commands.parent_start).
A city that must change its rules *now* may instead build on the parent version in effect
today and take effect at once; the newer parent version then reaches the city only when the
variant is published again on it, which the variant's pages list as upstream changes
(app.engine.variants.upstream_changes), as for any parent version published after the variant.

Only those two versions can be chosen: an older one would bring back rules the parent has
already replaced. The choice is ``parent_version`` (a version number) on the publish page, in
the API (``?parent_version=``) and on the command line (``--parent-version``).
"""
from __future__ import annotations

from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.commands.formdef_errors import FormdefError
from app.commands.parent_start import parent_words
from app.engine.lint import ParentItem
from app.engine.variants import version_in_effect
from app.extensions import db
from app.models.item import Item, ItemVersion


def parent_item(parent: Optional[ParentItem]) -> Optional[Item]:
    """Return the stored item of a lint result's parent (None: none, or not stored)."""
    if parent is None or parent.item_id is None:
        return None
    return db.session.get(Item, parent.item_id)


def choices(parent: Optional[ParentItem]) -> list[ItemVersion]:
    """Return the parent versions a variant may be built on: the newest first, then the one in
    effect today when that is another (a newer one is scheduled); empty without a parent."""
    item = parent_item(parent)
    newest = item.latest_version if item is not None else None
    if newest is None:
        return []
    current = version_in_effect(item)
    return [newest] + ([current] if current is not None and current.id != newest.id else [])


class ParentVersionError(FormdefError):
    """``parent_version`` names no version the item can be built on (422, that field)."""

    field = "parent_version"

    @classmethod
    def not_a_choice(cls, newest: ItemVersion, number, allowed: list[ItemVersion]):
        words = dict(parent_words(newest), given=number,
                     allowed=" / ".join(str(v.number) for v in allowed))
        return cls(_l("Parent version: %(given)s is not a version of the item of %(region)s "
                      "this variant can be built on. Give %(allowed)s: its newest version, or "
                      "the one in effect today.", **words))

    @classmethod
    def not_a_variant(cls):
        return cls(_l("Parent version: this item is not a local version of another item, so "
                      "it is not built on a parent version."))


def pins_for(parent: Optional[ParentItem], number: Optional[int]) -> dict:
    """Return the lint pins that build on version ``number`` of ``parent`` ({}: the newest, as
    without a choice); ParentVersionError when it is neither the newest nor today's."""
    allowed = choices(parent)
    if number is not None and not allowed:
        raise ParentVersionError.not_a_variant()
    if number is None or number == allowed[0].number:
        return {}
    chosen = next((v for v in allowed if v.number == number), None)
    if chosen is None:
        raise ParentVersionError.not_a_choice(allowed[0], number, allowed)
    return {(parent.code, parent.region): chosen.id}


def pinned_parent(code: str, region: str, pins: dict) -> Optional[ItemVersion]:
    """Return the version ``pins`` choose for item ``code`` of ``region`` (None: the newest)."""
    version_id = pins.get((code, region))
    if version_id is None:
        return None
    return db.session.scalar(select(ItemVersion).where(ItemVersion.id == version_id))


def parent_version_arg(values) -> Optional[int]:
    """Return the ``parent_version`` given (a request's values of it) as a number, None when
    none is given; ParentVersionError (422) unless it is one whole number."""
    values = list(values)
    if not values:
        return None
    if len(values) == 1 and values[0].isascii() and values[0].isdigit() and len(values[0]) <= 9:
        return int(values[0])
    raise ParentVersionError(_l("parent_version: give the number of one version of the parent "
                                "item (parent_version=3)."))
