"""Start an item in the designer: a new one or a regional variant of one in effect above; and
publish a draft on a chosen date. (An import is ``formdefs load``'s: app.commands.formdef_text.)"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Collection, Optional

from flask_babel import lazy_gettext as _l

from app.audit import record
from app.commands.drafts import SaveDraftCommand
from app.commands.formdef_errors import DefinitionInvalidError, FormdefError, StaleDraftError
from app.commands.publish import PublishItemCommand, find_item
from app.commands.schedule import check_effective_date
from app.engine.export import export
from app.engine.problems import Collector, shape_message
from app.engine.schema import load_definition
from app.engine.schema_fields import REQUIRED, UnknownKey
from app.extensions import db
from app.models.item import Item, ItemVersion
from app.models.region import Region
from app.scoping import can_write_region, current_user, in_subtree

#: What a new item starts with: the schema needs one page with one field.
FIRST_PAGE = {"key": "page_1", "title": {"zh": "基本信息", "en": "Basic information"},
              "fields": [{"key": "applicant_name", "type": "text",
                          "label": {"zh": "申请人姓名", "en": "Applicant's name"},
                          "required": True, "prefill": "person.name"}]}


def _actor(actor):
    return actor if actor is not None else current_user()


def _check_region(region: str, actor) -> None:
    if db.session.get(Region, region) is None:
        raise FormdefError(_l('Region "%(code)s" does not exist.', code=region))
    if not can_write_region(region, _actor(actor)):
        raise FormdefError(_l("You can only change items of your own region."))


class NewItemInvalidError(DefinitionInvalidError):
    """What the designer's new-item form gave is refused; ``errors`` maps a setting's path
    (``code``, ``name.zh``) to its messages, without the key (the form names its input)."""

    def __init__(self, problems, errors: dict[str, list[str]]):
        super().__init__(problems)
        self.errors = errors


def _new_item(definition: dict, actor, derives: Optional[Item] = None) -> Item:
    source, errors = load_definition(definition)
    if errors:
        collector, by_setting = Collector(definition.get("code", "item"), definition), {}
        for path, message in errors:
            collector.add(path, shape_message(path, message))
            by_setting.setdefault(".".join(map(str, path)), []).append(
                shape_message(path, message) if message is REQUIRED
                or isinstance(message, UnknownKey) else str(message))
        raise NewItemInvalidError(collector.sorted(), by_setting)
    user = _actor(actor)
    if find_item(source["code"], source["region"]) is not None:
        raise FormdefError(_l('Region %(region)s already has an item "%(code)s".',
                              region=source["region"], code=source["code"]))
    name = (source.get("name") or (derives.draft.get("name") if derives else None) or {})
    item = Item(code=source["code"], region_code=source["region"], draft=source,
                draft_text=export(source), name_zh=(name.get("zh") or source["code"])[:200],
                status="draft", revision=1, derives_item_id=derives.id if derives else None,
                created_by_id=getattr(user, "id", None), changed_by_id=getattr(user, "id", None))
    db.session.add(item)
    db.session.flush()
    record("definition.create", "item", item.id, region_code=item.region_code, code=item.code,
           derives=derives.id if derives else None)
    db.session.commit()
    return item


@dataclass
class CreateItemCommand:
    """Create a draft item owned by ``region`` with a first page to build on."""

    code: str
    region: str
    name: dict
    category: Optional[dict] = None
    actor: Optional[object] = None

    def run(self) -> Item:
        _check_region(self.region, self.actor)
        definition = {"schema": 1, "code": self.code, "region": self.region, "name": self.name,
                      "pages": [FIRST_PAGE]}
        if self.category:
            definition["category"] = self.category
        return _new_item(definition, self.actor)


@dataclass
class AdaptItemCommand:
    """Create a variant of ``parent`` (published, in a region above) for ``region``."""

    parent: Item
    region: str
    actor: Optional[object] = None

    def run(self) -> Item:
        _check_region(self.region, self.actor)
        if self.parent.latest_version is None or self.parent.status != "published":
            raise FormdefError(_l("Only a published item can be adapted."))
        if self.parent.region_code == self.region or not in_subtree(self.region,
                                                                    self.parent.region_code):
            raise FormdefError(_l("A variant adapts an item of a region above its own."))
        definition = {"schema": 1, "code": self.parent.code, "region": self.region,
                      "derives": self.parent.code}
        return _new_item(definition, self.actor, derives=self.parent)


@dataclass
class PublishDraftCommand:
    """Publish ``item``'s draft as read at ``expected_revision``, in effect from ``effective``
    (None: at once; not before today, nor for a variant before the parent version it is built
    on), superseding the scheduled versions numbered in ``supersede``.

    The date is the publisher's, given here; it is stored on the version only. A date the draft
    carries (a file's, or one an earlier publish left there) is taken out of the draft first, so
    the next draft does not carry it forward as a change nor suggest it again.
    """

    item: Item
    expected_revision: int
    effective_from: Optional[dt.date] = None
    actor: Optional[object] = None
    supersede: Collection[int] = ()
    parent_version: Optional[int] = None  # a variant built on it (app.commands.parent_pin)
    superseded: list = field(default_factory=list, init=False)  # versions, by run()

    def run(self) -> ItemVersion:
        if self.item.revision != self.expected_revision:
            raise StaleDraftError()
        check_effective_date(self.effective_from)  # before the draft is changed
        if "effective_from" in self.item.draft:
            draft = {k: v for k, v in self.item.draft.items() if k != "effective_from"}
            SaveDraftCommand(self.item, draft, self.expected_revision, self.actor).run()
        command = PublishItemCommand(self.item.code, self.item.region_code, self.actor,
                                     self.supersede, day=self.effective_from,
                                     parent_version=self.parent_version)
        version = command.run()
        self.superseded = command.superseded
        return version
