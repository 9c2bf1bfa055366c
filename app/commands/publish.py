"""Publish an item: lint must pass; the effective definition becomes version n+1, immutably.

A variant's version is its overrides merged onto the parent's newest published version, or the
one in effect today when the publisher chooses it (app.commands.parent_pin), which it pins
(``derives_version``); it takes effect no earlier than that version (app.commands.parent_start).
Publishing again what is already published (same definition, same date, same pin) creates
nothing, so ``formdefs load --publish`` can run on every start.

``effective_from`` is when a version takes effect, not what it says: it is the version's own
column, never part of its stored definition; the draft's (a file's) is the date unless the
caller gives one (the designer's publish page always does).
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from dataclasses import dataclass, field as dataclass_field
from types import MappingProxyType
from typing import Collection, Mapping, Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit import record
from app.commands.applications.context import now
from app.commands.parent_pin import pinned_parent, pins_for
from app.commands.parent_start import check_parent_start
from app.commands.schedule import check_effective_date, check_schedule, version_states
from app.commands.formdef_errors import (DefinitionInvalidError, ItemNotFoundError,
                                         ParentNotPublishedError, StaleDraftError)
from app.engine.export import export
from app.engine.lint import Checked, LintContext, ParentItem, check_text
from app.engine.lint_rules import fields_of
from app.engine.variants import region_chain, today
from app.extensions import db
from app.models.dictionary import Dictionary, entries_in_effect
from app.models.item import (Item, ItemField, ItemMaterial, ItemOption, ItemPage, ItemStep,
                             ItemVersion)
from app.models.region import Region
from app.region_tree import region_tree
from app.scoping import can_write_region, current_user


def _stored_item(code: str, region: str, pins: Mapping = MappingProxyType({})
                 ) -> Optional[ParentItem]:
    item = db.session.scalar(select(Item).where(Item.code == code, Item.region_code == region))
    if item is None or not item.in_service(today()):
        return None
    version = pinned_parent(code, region, pins) or item.latest_version
    if version is not None:
        return ParentItem(code, region, version.definition,
                          item.derives.code if item.derives else None, True, item.id, version.id)
    derives = item.draft.get("derives")
    return ParentItem(code, region, item.draft, derives, not derives, item.id, None)


def dictionary_codes(code: str, region: Optional[str]) -> Optional[frozenset[str]]:
    """Return the codes of dictionary ``code`` in effect in ``region`` (None: no such table)."""
    entries = entries_in_effect(code, region_chain(region) if region else ())
    return None if entries is None else frozenset(e.code for e in entries)


def _region_level(code: str) -> Optional[str]:
    node = region_tree().get(code)
    return node.level if node is not None else None


def db_lint_context(pins: Mapping = MappingProxyType({})) -> LintContext:
    """Return a lint context answering from the database (code tables, regions, items); a
    stored parent is its newest version unless ``pins`` (app.commands.parent_pin) choose."""
    known = frozenset(db.session.scalars(select(Dictionary.code)))
    regions: dict[str, bool] = {}

    def region_exists(code: str) -> bool:
        if code not in regions:
            regions[code] = db.session.get(Region, code) is not None
        return regions[code]

    return LintContext(known_dictionaries=known, region_exists=region_exists,
                       region_chain=region_chain,
                       stored_item=functools.partial(_stored_item, pins=pins),
                       dictionary_codes=dictionary_codes, region_level=_region_level)


def find_item(code: str, region: str, actor=None) -> Optional[Item]:
    """Return the item ``code`` owned by ``region``; with ``actor``, insist it may be changed."""
    item = db.session.scalar(select(Item).where(Item.code == code, Item.region_code == region))
    if actor is not None and (item is None or not can_write_region(item.region_code, actor)):
        raise ItemNotFoundError(_l('no item "%(code)s" of region %(region)s that you may change',
                                   code=code, region=region))
    return item


def definition_hash(definition: dict) -> str:
    text = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def lint_draft(item: Item, parent_version: Optional[int] = None) -> Checked:
    """Lint ``item``'s draft as publishing does, a variant merged onto its parent's version
    ``parent_version`` (default the newest; app.commands.parent_pin); raise
    DefinitionInvalidError on a problem."""
    text = item.draft_text or export(item.draft)
    where = f"{item.code}@{item.region_code}"
    checked = check_text(text, where, db_lint_context())
    if parent_version is not None:
        pins = pins_for(checked.parent, parent_version)
        if pins:
            checked = check_text(text, where, db_lint_context(pins))
    if checked.problems:
        raise DefinitionInvalidError(checked.problems)
    return checked


#: publish_item's ``day`` when the caller gives none: the draft's ``effective_from``, if any.
FROM_DRAFT = object()


def publish_item(item: Item, actor=None, checked: Optional[Checked] = None,
                 supersede: Collection[int] = (), day=FROM_DRAFT) -> tuple[ItemVersion, bool]:
    """Lint the draft (unless ``checked`` already did) and add its version in the caller's
    transaction, in effect from ``day`` (None: at once); (version, created). The date may not
    be past nor, for a variant, before the parent version it is built on; the scheduled
    versions it would supersede must be named in ``supersede`` (app.commands.schedule)."""
    checked = checked if checked is not None else lint_draft(item)
    parent = checked.parent
    if parent is not None and parent.version_id is None:
        raise ParentNotPublishedError(_l('publish "%(code)s" of region %(region)s first: this '
                                         "item derives from it", code=parent.code,
                                         region=parent.region))
    if day is FROM_DRAFT:
        start = (checked.source or item.draft).get("effective_from")
        day = dt.date.fromisoformat(start) if start else None
    start = day.isoformat() if day else None
    definition = {k: v for k, v in checked.definition.items() if k != "effective_from"}
    latest, pin = item.latest_version, parent.version_id if parent else None
    digest = definition_hash(dict(definition, effective_from=start) if start else definition)
    in_service = item.status == "published" and item.in_service(today())
    if (latest is not None and in_service and latest.lint_hash == digest
            and latest.derives_version_id == pin):
        return latest, False
    check_effective_date(day)  # a past date first: it is wrong whatever the parent
    check_parent_start(db.session.get(ItemVersion, pin) if pin else None, day)
    superseded = check_schedule(item, day, supersede)
    version = ItemVersion(
        item=item, number=latest.number + 1 if latest else 1, region_code=item.region_code,
        definition=definition, source=item.draft, derives_version_id=pin, lint_hash=digest,
        effective_from=day, published_at=now(), published_by_id=getattr(actor, "id", None))
    if not in_service:
        item.retires_on = None  # publishing again puts an item out of service back into it
    item.status, item.derives_item_id = "published", parent.item_id if parent else None
    db.session.add(version)
    db.session.flush()
    write_index(version)
    record("definition.publish", "item", item.id, region_code=item.region_code, code=item.code,
           version=version.number, derives_version=pin, lint_hash=digest,
           **({"effective_from": start} if start else {}),
           **({"supersedes": [v.number for v in superseded]} if superseded else {}))
    return version, True


@dataclass
class PublishItemCommand:
    """Publish item ``code`` of ``region`` (CLI: no actor; web/API: the acting user)."""

    code: str
    region: str
    actor: Optional[object] = None
    supersede: Collection[int] = ()  # the scheduled versions the publish may supersede
    day: object = FROM_DRAFT  # in effect from (None: at once); by default the draft's date
    parent_version: Optional[int] = None  # a variant built on it (app.commands.parent_pin)
    created: bool = dataclass_field(default=False, init=False)  # False: already published
    warnings: list = dataclass_field(default_factory=list, init=False)  # lint's, by run()
    superseded: list = dataclass_field(default_factory=list, init=False)  # versions, by run()

    def validate(self) -> Item:
        item = find_item(self.code, self.region, self._actor())
        if item is None:
            raise ItemNotFoundError(_l('no item "%(code)s" of region %(region)s',
                                       code=self.code, region=self.region))
        return item

    def _actor(self):
        return self.actor if self.actor is not None else current_user()

    def run(self) -> ItemVersion:
        item = self.validate()
        try:
            checked = lint_draft(item, self.parent_version)
            version, self.created = publish_item(item, self._actor(), checked, self.supersede,
                                                 self.day)
            self.warnings = checked.warnings
            self.superseded = [s.version for s in version_states(item)
                               if self.created and s.state == "superseded" and s.by is version]
            db.session.commit()
        except IntegrityError as error:  # another publish took the same number first
            db.session.rollback()
            raise StaleDraftError(_l("The item was published by someone else in the meantime."
                                     )) from error
        except Exception:
            db.session.rollback()
            raise
        return version


def _zh(text) -> str:
    return (text or {}).get("zh") or "" if isinstance(text, dict) else str(text or "")


def write_index(version: ItemVersion) -> None:
    """Write the derived index rows of a new version (pages, fields, options, materials, steps)."""
    definition, pages = version.definition, {}
    for position, page in enumerate(definition.get("pages", [])):
        pages[position] = ItemPage(version_id=version.id, key=page["key"], position=position,
                                   title_zh=_zh(page.get("title"))[:200])
        db.session.add(pages[position])
    groups: dict[str, ItemField] = {}
    for path, field, group, page in fields_of(definition):
        row = ItemField(
            version_id=version.id, page=pages[page], key=field["key"], type=field["type"],
            position=path[-1], label_zh=_zh(field.get("label"))[:500],
            required=field.get("required") is True, conditional="visible_when" in field,
            dictionary_code=field.get("dictionary"), locked=field.get("locked") is True,
            parent=groups.get(group["key"]) if group else None)
        if group is None:
            groups[field["key"]] = row
        db.session.add(row)
        for index, option in enumerate(field.get("options", [])):
            db.session.add(ItemOption(field=row, value=option["value"][:100], position=index,
                                      label_zh=_zh(option["label"])[:200]))
    for position, material in enumerate(definition.get("materials", [])):
        db.session.add(ItemMaterial(
            version_id=version.id, key=material["key"], position=position,
            label_zh=_zh(material.get("label"))[:300], required=material.get("required") is True,
            accept=",".join(material.get("accept", [])) or None,
            max_size_mb=material.get("max_size_mb"), max_files=material.get("max_files"),
            pledge=bool(material.get("pledge"))))
    for position, step in enumerate(definition.get("approval", [])):
        db.session.add(ItemStep(
            version_id=version.id, key=step["key"], position=position,
            name_zh=_zh(step.get("name"))[:200], role=step.get("role"), level=step.get("level"),
            time_limit_days=step.get("time_limit_days"), approvers=step.get("approvers", 1),
            automatic="auto" in step, conditional="when" in step))
