"""Definition files: lint, load (and publish) a folder, export the item in effect, retire.

``LoadFormdefsCommand`` is one transaction for the whole set of files: if any file has a problem,
nothing changes and every problem is named. Each draft it replaces is read under a row lock and
written only at the revision read (E2), so imports of one item at the same moment each build on
the one before: every changed draft is one revision more, none is lost. The drafts are locked
(and new items inserted) in one order whatever the files are called or the order they are given
in, by (region, code): two loads of the same items wait for each other instead of each holding
a row the other needs (a deadlock PostgreSQL ends by failing one of them). Given the revision the
caller based the file on (``expected_revision``, one file only), a draft now at another revision
is refused (RevisionMismatchError); without it the import replaces whatever draft there is.
Publishing is :mod:`app.commands.publish`; saving an edited draft with optimistic locking is
:mod:`app.commands.drafts`.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from pathlib import Path
from typing import Iterable, Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.audit import record
from app.commands import CommandError, DataFileError
from app.commands.formdef_errors import (DefinitionInvalidError, FormdefError,  # noqa: F401
                                         ItemNotFoundError, RevisionMismatchError,
                                         StaleDraftError)
from app.commands.publish import PublishItemCommand, db_lint_context, find_item, publish_item
from app.commands.text_files import read_utf8
from app.engine.export import export
from app.engine.lint import Checked, Problem, lint_batch
from app.engine.variants import effective_version
from app.extensions import db
from app.models.base import app_now
from app.models.item import Item
from app.scoping import current_user

FORMDEFS_DIR = Path(__file__).resolve().parent.parent / "formdefs"

__all__ = ["DefinitionInvalidError", "ExportItemCommand", "FormdefError", "ItemNotFoundError",
           "LintFormdefsCommand", "LoadFormdefsCommand", "PublishItemCommand",
           "RetireItemCommand", "RevisionMismatchError", "StaleDraftError"]


def definition_files(paths: Iterable) -> list[Path]:
    """Return the ``.yaml`` files named, or found below the folders named, in a stable order."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.yaml") if p.is_file()))
        elif path.exists():
            found.append(path)
        else:
            raise FormdefError(_l("%(path)s does not exist", path=str(path)))
    return list(dict.fromkeys(found))


def _checked(paths: Iterable) -> tuple[dict[str, str], dict[str, Checked]]:
    """Read and lint the files; one that is not UTF-8 text is a problem at its line."""
    files = definition_files(paths)
    if not files:
        raise FormdefError(_l("no definition files (*.yaml) found"))
    texts, unreadable = {}, {}
    for path in files:
        try:
            texts[str(path)] = read_utf8(path, kind="formdefs")
        except DataFileError as error:
            problem = Problem(error.path, error.line, error.message)
            unreadable[str(path)] = Checked([problem], blocking=[problem])
    return texts, {**lint_batch(texts, db_lint_context()), **unreadable}


@dataclass
class LintFormdefsCommand:
    """Check files as `formdefs load` would, changing nothing."""

    paths: list
    warnings: list = dataclass_field(default_factory=list, init=False)  # set by run()

    def run(self) -> tuple[int, list[Problem]]:
        _texts, checked = _checked(self.paths)
        self.warnings = [p for c in checked.values() for p in c.warnings]
        return len(checked), [p for c in checked.values() for p in c.problems]


@dataclass
class LoadResult:
    created: list = dataclass_field(default_factory=list)
    updated: list = dataclass_field(default_factory=list)
    unchanged: list = dataclass_field(default_factory=list)
    published: list = dataclass_field(default_factory=list)  # (item, version number)
    revisions: dict = dataclass_field(default_factory=dict)  # item id: its draft's, as written


def _parents_first(checked: dict[str, Checked]) -> list[str]:
    """Order paths so that an item comes after the batch item it derives from."""
    by_ident = {(c.source["code"], c.source["region"]): path for path, c in checked.items()}

    def depth(path: str, seen=()) -> int:
        parent = checked[path].parent
        above = by_ident.get((parent.code, parent.region)) if parent else None
        return 0 if above is None or above in seen else 1 + depth(above, seen + (path,))
    return sorted(checked, key=lambda path: (depth(path), path))


def _lock_order(checked: dict[str, Checked]) -> list[str]:
    """Order paths by the item each imports, (region, code): the one order every load locks in."""
    return sorted(checked, key=lambda path: (checked[path].source["region"],
                                             checked[path].source["code"], path))


def _locked_item(code: str, region: str) -> Optional[Item]:
    """Return the item ``code`` of ``region`` as committed now, its row locked until the end of
    the transaction (PostgreSQL: SELECT … FOR UPDATE; SQLite lets one writer in at a time)."""
    return db.session.scalar(
        select(Item).where(Item.code == code, Item.region_code == region).with_for_update()
        .execution_options(populate_existing=True))


def _replace_draft(item: Item, source: dict, text: str, name: str, user) -> None:
    """Write the draft at the revision read, one more; StaleDraftError if it moved meanwhile."""
    done = db.session.execute(
        update(Item).where(Item.id == item.id, Item.revision == item.revision)
        .values(draft=source, draft_text=text, name_zh=name[:200], revision=item.revision + 1,
                changed_at=app_now(), changed_by_id=getattr(user, "id", None))
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise StaleDraftError()
    db.session.refresh(item)


@dataclass
class LoadFormdefsCommand:
    """Import definition files as drafts (``publish``: and publish them), all or nothing.

    :raises RevisionMismatchError: ``expected_revision`` is given and the draft is at another
        revision, or the item has none yet.
    """

    paths: list = dataclass_field(default_factory=lambda: [FORMDEFS_DIR])
    publish: bool = False
    expected_revision: Optional[int] = None

    def validate(self) -> tuple[dict[str, str], dict[str, Checked]]:
        texts, checked = _checked(self.paths)
        if self.expected_revision is not None and len(checked) != 1:
            raise FormdefError(_l("A revision belongs to one draft: give exactly one definition "
                                  "file with it (%(count)s given).", count=len(checked)))
        problems = [p for c in checked.values() for p in c.problems]
        if problems:
            raise DefinitionInvalidError(problems)
        return texts, checked

    def run(self) -> LoadResult:
        texts, checked = self.validate()
        result, user = LoadResult(), current_user()
        try:
            items = {path: self._save(checked[path], texts[path], result, user)
                     for path in _lock_order(checked)}
            db.session.flush()
            for path, item in items.items():
                parent = checked[path].parent
                parent_item = find_item(parent.code, parent.region) if parent else None
                item.derives_item_id = parent_item.id if parent_item else None
            if self.publish:  # every item is locked by now; a variant after its parent
                for path in _parents_first(checked):
                    version, created = publish_item(items[path], user)
                    if created:
                        result.published.append((items[path], version.number))
            db.session.commit()
        except IntegrityError as error:  # the item's (code, region) created in the meantime
            db.session.rollback()
            raise StaleDraftError() from error
        except Exception:
            db.session.rollback()
            raise
        return result

    def _save(self, checked: Checked, text: str, result: LoadResult, user) -> Item:
        source = checked.source
        name = (checked.definition or source).get("name", {}).get("zh") or source["code"]
        item = _locked_item(source["code"], source["region"])
        expected = self.expected_revision
        if expected is not None and (item is None or item.revision != expected):
            raise RevisionMismatchError(f"{source['code']}@{source['region']}", expected,
                                        item.revision if item is not None else None)
        if item is None:
            item = Item(code=source["code"], region_code=source["region"], draft=source,
                        draft_text=text, name_zh=name[:200], status="draft", revision=1,
                        created_by_id=getattr(user, "id", None),
                        changed_by_id=getattr(user, "id", None))
            db.session.add(item)
            db.session.flush()
            record("definition.create", "item", item.id, region_code=item.region_code,
                   code=item.code)
            result.created.append(item)
        elif item.draft != source or item.draft_text != text:
            _replace_draft(item, source, text, name, user)
            record("definition.save", "item", item.id, region_code=item.region_code,
                   code=item.code, revision=item.revision)
            result.updated.append(item)
        else:
            result.unchanged.append(item)
        result.revisions[item.id] = item.revision  # read after the commit, it may be a later one
        return item


@dataclass
class ExportItemCommand:
    """Return the definition in effect for ``region`` as canonical YAML.

    For a variant this is its *effective* definition, merged onto the parent version it pins —
    what citizens of the region fill — not the file of overrides the administrator wrote.
    """

    code: str
    region: str

    def run(self) -> str:
        from app.models.region import Region

        if db.session.get(Region, self.region) is None:
            raise ItemNotFoundError(_l('unknown region "%(code)s"', code=self.region))
        version = effective_version(self.code, self.region)
        if version is None:
            raise ItemNotFoundError(_l('no published item "%(code)s" is in effect in region '
                                       "%(region)s", code=self.code, region=self.region))
        return export(version.definition)


from app.commands.retire import RetireItemCommand  # noqa: E402 (it imports publish, as above)

__all__ += ["CommandError", "LoadResult", "definition_files"]
