"""Start an item in the designer: a new one, a regional variant of one in effect above, or one
imported from a YAML file or an Excel workbook; and publish a draft on a chosen date."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional

import yaml
from flask_babel import lazy_gettext as _l

from app.audit import record
from app.commands.drafts import SaveDraftCommand
from app.commands.formdef_errors import DefinitionInvalidError, FormdefError, StaleDraftError
from app.commands.publish import PublishItemCommand, db_lint_context, find_item
from app.engine.export import export
from app.engine.lint import Problem
from app.engine.problems import Collector, shape_message
from app.engine.schema import load_definition
from app.extensions import db
from app.models.item import Item, ItemVersion
from app.models.region import Region
from app.scoping import can_write_region, current_user, in_subtree
from app.yamlio import load_with_lines

#: What a new item starts with: the schema needs one page with one field.
FIRST_PAGE = {"key": "page_1", "title": {"zh": "基本信息", "en": "Basic information"},
              "fields": [{"key": "applicant_name", "type": "text",
                          "label": {"zh": "申请人姓名", "en": "Applicant's name"},
                          "required": True, "prefill": "person.name"}]}


def _actor(actor):
    return actor if actor is not None else current_user()


def _check_region(region: str, actor) -> None:
    if db.session.get(Region, region) is None:
        raise FormdefError(_l('unknown region "%(code)s"', code=region))
    if not can_write_region(region, _actor(actor)):
        raise FormdefError(_l("You can only change items of your own region."))


def _new_item(definition: dict, actor, derives: Optional[Item] = None) -> Item:
    source, errors = load_definition(definition)
    if errors:
        collector = Collector(definition.get("code", "item"), definition)
        for path, message in errors:
            collector.add(path, shape_message(path, message))
        raise DefinitionInvalidError(collector.sorted())
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
class ImportDefinitionCommand:
    """Import a definition (YAML text or a normalised mapping) as the draft of its item."""

    definition: Any
    actor: Optional[object] = None

    def run(self) -> Item:
        tree = self.definition
        if isinstance(tree, str):
            try:
                tree = load_with_lines(tree)
            except yaml.YAMLError as error:
                mark = getattr(error, "problem_mark", None)
                raise DefinitionInvalidError([Problem("import", mark.line + 1 if mark else 1, str(
                    _l("not valid YAML: %(problem)s", problem=getattr(error, "problem", error))))])
        if not isinstance(tree, dict) or not isinstance(tree.get("code"), str) or not isinstance(
                tree.get("region"), (str, int)):
            raise FormdefError(_l("A definition needs its code and region."))
        region = str(tree["region"])
        _check_region(region, self.actor)
        item = find_item(tree["code"], region)
        if item is None:
            derives = None
            if tree.get("derives"):
                parent = db_lint_context().find_parent(str(tree["derives"]), region,
                                                       (tree["code"], region))
                derives = db.session.get(Item, parent.item_id) if parent and parent.item_id \
                    else None
            return _new_item(tree, self.actor, derives)  # a LineDict: problems get lines
        return SaveDraftCommand(item, self.definition if isinstance(self.definition, str)
                                else dict(tree), item.revision, _actor(self.actor)).run()


@dataclass
class PublishDraftCommand:
    """Publish ``item``'s draft as read at ``expected_revision``, in effect from ``effective``."""

    item: Item
    expected_revision: int
    effective_from: Optional[dt.date] = None
    actor: Optional[object] = None

    def run(self) -> ItemVersion:
        if self.item.revision != self.expected_revision:
            raise StaleDraftError()
        wanted = self.effective_from.isoformat() if self.effective_from else None
        if self.item.draft.get("effective_from") != wanted:
            draft = dict(self.item.draft)
            draft.pop("effective_from", None)
            if wanted:
                draft["effective_from"] = wanted
            SaveDraftCommand(self.item, draft, self.expected_revision, self.actor).run()
        return PublishItemCommand(self.item.code, self.item.region_code, self.actor).run()
