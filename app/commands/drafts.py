"""Save an edited draft of an item, refusing a stale one (SECURITY_TESTS E2: 409, never overwrite).

The draft must have the right *shape* (the marshmallow schema: FAB forms hand JSON over as text,
so nothing is stored unchecked) and stay within the size limits, a variant's also once merged
onto its parent (:func:`app.engine.lint.merged_limits`); its meaning is linted when it is published.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import yaml
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from app.audit import record
from app.commands.formdef_errors import DefinitionInvalidError, FormdefError, StaleDraftError
from app.commands.publish import db_lint_context
from app.engine.export import export
from app.engine.limits import check_limits, reading_limits
from app.engine.lint import Problem, merged_limits
from app.engine.problems import Collector, shape_message
from app.engine.schema import load_definition
from app.extensions import db
from app.models.base import app_now
from app.models.item import Item
from app.scoping import can_write_region, current_user
from app.yamlio import error_place, load_with_lines, reading_message


def _tree(definition: Any, where: str):
    if not isinstance(definition, str):
        return definition, None
    try:
        return load_with_lines(definition, reading_limits()), definition
    except yaml.YAMLError as error:
        raise DefinitionInvalidError([Problem(where, error_place(error)[0],
                                              reading_message(error, where))])


@dataclass
class SaveDraftCommand:
    """Replace ``item``'s draft with ``definition`` (YAML text or a mapping) at a known revision.

    :raises StaleDraftError: the draft is no longer at ``expected_revision``.
    :raises DefinitionInvalidError: the definition has the wrong shape (every problem, by line).
    """

    item: Item
    definition: Any
    expected_revision: int
    actor: Optional[object] = None

    def validate(self) -> tuple[dict, str]:
        actor = self.actor if self.actor is not None else current_user()
        if actor is not None and not can_write_region(self.item.region_code, actor):
            raise FormdefError(_l("You can only change items of your own region."))
        where = f"{self.item.code}@{self.item.region_code}"
        tree, text = _tree(self.definition, where)
        too_large = Collector(where, tree)
        check_limits(tree, too_large)  # a part added past a limit (app.engine.limits)
        if too_large.problems:
            raise DefinitionInvalidError(too_large.sorted())
        source, errors = load_definition(tree)
        if errors or not isinstance(tree, dict):
            collector = Collector(where, tree)
            for path, message in errors:
                collector.add(path, shape_message(path, message))
            if not isinstance(tree, dict):
                collector.add((), _l("the file must hold one item: a mapping with schema, code, "
                                     "region, name …"))
            raise DefinitionInvalidError(collector.sorted())
        if (source["code"], source["region"]) != (self.item.code, self.item.region_code):
            raise FormdefError(_l("A draft keeps its item's code and region (%(code)s, "
                                  "%(region)s).", code=self.item.code, region=self.item.region_code))
        if source.get("derives"):  # lint's check of the size once merged onto the parent
            too_large = merged_limits(source, tree, where, db_lint_context())
            if too_large:
                raise DefinitionInvalidError(too_large)
        return source, text if text is not None else export(source)

    def run(self) -> Item:
        source, text = self.validate()
        actor = self.actor if self.actor is not None else current_user()
        return write_draft(self.item, self.expected_revision, source, text, actor,
                           "definition.save")


def write_draft(item: Item, expected_revision: int, source: dict, text: str, actor,
                event: str, **details) -> Item:
    """Store ``source`` (and its ``text``) as ``item``'s draft if it is still at
    ``expected_revision``, audited as ``event`` with ``details``; commit, return the item.

    :raises StaleDraftError: the draft changed since it was read (409, never overwritten).
    """
    name = (source.get("name") or {}).get("zh") or item.name_zh
    try:
        result = db.session.execute(
            update(Item)
            .where(Item.id == item.id, Item.revision == expected_revision)
            .values(draft=source, draft_text=text, name_zh=name[:200],
                    revision=Item.revision + 1, changed_at=app_now(),
                    changed_by_id=getattr(actor, "id", None))
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            raise StaleDraftError()
        record(event, "item", item.id, region_code=item.region_code, code=item.code,
               **details, revision=expected_revision + 1)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    db.session.refresh(item)
    return item
