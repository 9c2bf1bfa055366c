"""Edit an item's draft one part at a time (the item designer), never losing a concurrent save.

    editing = Editing.of(item)                       # the definition as citizens will see it
    EditDraftCommand(item, SetPart("field", "special", new_field), revision).run()

Every edit is a small function on the *effective* definition (for a base item its draft; for a
variant its overrides merged onto the parent's newest version). The command then

1. checks the part it changed: every CEL expression compiles (refused with the compiler's
   message, by input), the type's own settings make sense (:mod:`app.commands.item_checks`),
   keys stay unique;
2. for a variant, turns the edited definition back into overrides
   (:func:`app.engine.overrides.overrides_for`; a lock or an inexpressible change is refused);
3. saves through :class:`~app.commands.drafts.SaveDraftCommand` at the revision the editor
   read (the shape check; a stale revision raises StaleDraftError, the view answers 409).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Callable, Optional

from flask_babel import lazy_gettext as _l

from app.commands.drafts import SaveDraftCommand
from app.commands.formdef_errors import DefinitionInvalidError, FormdefError
from app.commands.item_checks import check_part
from app.commands.item_shape import part_errors, setting_errors
from app.commands.publish import db_lint_context
from app.engine.lint import check_definition
from app.engine.overrides import CannotExpress, overrides_for, parent_part
from app.models.item import Item

LISTS = {"page": "pages", "material": "materials", "step": "approval"}


class PartInvalidError(FormdefError):
    """The edited part has problems; ``errors`` maps an input (``label``, ``rules.0.check``,
    ``""`` for the part as a whole) to its messages."""

    def __init__(self, errors: dict[str, list]):
        self.errors = {key: [str(m) for m in messages] for key, messages in errors.items()}
        super().__init__("; ".join(m for messages in self.errors.values() for m in messages))


@dataclass
class Editing:
    """An item as the designer shows it: the effective definition and, for a variant, the
    parent's."""

    item: Item
    definition: dict
    parent: Optional[dict] = None

    @classmethod
    def of(cls, item: Item) -> "Editing":
        draft = copy.deepcopy(item.draft)
        if not draft.get("derives"):
            return cls(item, draft)
        checked = check_definition(draft, item.code, db_lint_context())
        parent = checked.parent
        if parent is None or not parent.effective or checked.definition is None:
            raise FormdefError(_l("The item this variant adapts is not published (or not found)."
                                  " Publish it first."))
        return cls(item, checked.definition, copy.deepcopy(parent.definition))

    @property
    def is_variant(self) -> bool:
        return self.parent is not None

    def status(self, kind: str, key: str) -> str:
        """Return own (not in the parent), inherited or overridden (variants only)."""
        inherited = parent_part(self.parent, kind, key)
        if inherited is None:
            return "own"
        found = find(self.definition, kind, key)
        mine = found[0][found[1]] if found is not None else None
        if kind == "page":  # a page's own settings; its fields have their own status
            mine = {k: v for k, v in (mine or {}).items() if k != "fields"}
            inherited = {k: v for k, v in inherited.items() if k != "fields"}
        return "inherited" if mine == inherited else "overridden"

    def setting_status(self, key: str) -> str:
        """Return inherited or overridden for an item setting (``notice`` …) of a variant."""
        if self.parent is None:
            return "own"
        return "inherited" if self.definition.get(key) == self.parent.get(key) else "overridden"

    def locked(self, kind: str, key: str) -> bool:
        part = parent_part(self.parent, kind, key)
        return bool(part and part.get("locked"))

    def hidden_parts(self) -> list[tuple[str, str]]:
        """Return the parent's parts this variant hides: (kind, key)."""
        if self.parent is None:
            return []
        hidden = []
        for page in self.item.draft.get("pages", []):
            if page.get("hidden"):
                hidden.append(("page", page["key"]))
            hidden += [("field", f["key"]) for f in page.get("fields", []) if f.get("hidden")]
        for kind, name in (("material", "materials"), ("step", "approval")):
            hidden += [(kind, x["key"]) for x in self.item.draft.get(name, []) if x.get("hidden")]
        return hidden


def find(definition: dict, kind: str, key: str) -> Optional[tuple[list, int, tuple]]:
    """Return (the list holding the part, its index, its path) or None."""
    if kind in LISTS:
        items = definition.get(LISTS[kind], [])
        index = next((i for i, x in enumerate(items) if x.get("key") == key), None)
        return None if index is None else (items, index, (LISTS[kind], index))
    group, _, child = key.rpartition(".")
    for p, page in enumerate(definition.get("pages", [])):
        for f, field in enumerate(page.get("fields", [])):
            if field.get("key") != (group or key):
                continue
            if not group:
                return page["fields"], f, ("pages", p, "fields", f)
            children = field.get("fields") or []
            index = next((i for i, c in enumerate(children) if c.get("key") == child), None)
            return None if index is None else (children, index,
                                               ("pages", p, "fields", f, "fields", index))
    return None


#: A part's kind in words, for messages (本事项中没有字段…, not field).
PART_NAMES = {"page": _l("page"), "field": _l("field"), "material": _l("material"),
              "step": _l("approval step")}


def _need(definition: dict, kind: str, key: str) -> tuple[list, int, tuple]:
    found = find(definition, kind, key)
    if found is None:
        raise PartInvalidError({"": [_l('There is no %(kind)s "%(key)s" in this item.',
                                        kind=PART_NAMES.get(kind, kind), key=key)]})
    return found


# --- the edits: functions of the effective definition, returning the part's (kind, key) -----

def set_part(kind: str, key: str, part: dict) -> Callable[[dict], tuple]:
    """Replace a part with ``part`` (its key may change)."""
    def edit(definition: dict) -> tuple:
        items, index, _path = _need(definition, kind, key)
        items[index] = part
        group = key.rpartition(".")[0]
        return kind, f"{group}.{part['key']}" if group else part["key"]
    return edit


def add_part(kind: str, part: dict, container: Optional[str] = None) -> Callable[[dict], tuple]:
    """Append a part: a field to page ``container`` (or to group ``page/group``)."""
    def edit(definition: dict) -> tuple:
        if kind != "field":
            definition.setdefault(LISTS[kind], []).append(part)
            return kind, part["key"]
        page_key, _, group = (container or "").partition("/")
        page = next((p for p in definition.get("pages", []) if p["key"] == page_key), None)
        if page is None:
            raise PartInvalidError({"": [_l('There is no page "%(key)s" in this item.',
                                            key=page_key)]})
        if not group:
            page.setdefault("fields", []).append(part)
            return kind, part["key"]
        items, index, _path = _need(definition, "field", group)
        items[index].setdefault("fields", []).append(part)
        return kind, f"{group}.{part['key']}"
    return edit


def move_part(kind: str, key: str, offset: int) -> Callable[[dict], tuple]:
    """Move a part up (-1) or down (+1) within its list; a field at a page's edge moves to the
    neighbouring page."""
    def edit(definition: dict) -> tuple:
        items, index, path = _need(definition, kind, key)
        target = index + offset
        if 0 <= target < len(items):
            items.insert(target, items.pop(index))
        elif kind == "field" and len(path) == 4:
            pages = definition["pages"]
            neighbour = path[1] + offset
            if 0 <= neighbour < len(pages):
                part = items.pop(index)
                fields = pages[neighbour].setdefault("fields", [])
                fields.insert(len(fields) if offset < 0 else 0, part)
        return kind, key
    return edit


def remove_part(kind: str, key: str) -> Callable[[dict], tuple]:
    def edit(definition: dict) -> tuple:
        items, index, _path = _need(definition, kind, key)
        if kind == "page" and len(items) == 1:
            raise PartInvalidError({"": [_l("An item needs at least one page: add another "
                                            "page before deleting this one.")]})
        items.pop(index)
        return kind, None
    return edit


def hide_field(key: str, hidden: bool) -> Callable[[dict], tuple]:
    """Hide a base item's field from citizens (``visible_when: false``, so not required), or
    show it again (always visible)."""
    def edit(definition: dict) -> tuple:
        items, index, _path = _need(definition, "field", key)
        field = items[index]
        if hidden:
            field["visible_when"] = False
            field.pop("required", None)
            field.pop("required_when", None)
        elif field.get("visible_when") is False:
            field.pop("visible_when")
        return "field", key
    return edit


def unhide(kind: str, key: str) -> Callable[[dict], tuple]:
    """Show again a part of the parent that a variant hides (an edit of the overrides)."""
    def edit(draft: dict) -> tuple:
        lists = [draft.get(LISTS[kind], [])] if kind in LISTS else [
            page.get("fields", []) for page in draft.get("pages", [])]
        for items in lists:
            for entry in list(items):
                if entry.get("key") == key and entry.get("hidden"):
                    entry.pop("hidden")
                    if set(entry) == {"key"}:
                        items.remove(entry)
        return kind, None
    edit.raw = True  # type: ignore[attr-defined]
    return edit


@dataclass
class EditDraftCommand:
    """Apply ``edit`` to ``item``'s draft, saved at ``expected_revision``.

    :raises PartInvalidError: the changed part has problems (by input).
    :raises StaleDraftError: someone saved the draft since the editor read it (409).
    """

    item: Item
    edit: Callable[[dict], tuple]
    expected_revision: int
    actor: Optional[object] = None

    def validate(self) -> tuple[dict, Any]:
        if getattr(self.edit, "raw", False):
            draft = copy.deepcopy(self.item.draft)
            return draft, self.edit(draft)
        editing = Editing.of(self.item)
        definition = copy.deepcopy(editing.definition)
        kind, key = self.edit(definition)
        if key is not None:
            items, index, _path = _need(definition, kind, key)
            errors = check_part(definition, kind, key, items[index])
            if errors:
                raise PartInvalidError(errors)
        if not editing.is_variant:
            return definition, (kind, key)
        try:
            return overrides_for(editing.parent, definition, self.item.draft), (kind, key)
        except CannotExpress as error:
            raise PartInvalidError({"": [error.message]}) from error

    def run(self) -> Item:
        draft, (kind, key) = self.validate()
        if not draft.get("derives"):  # by input: the part's, or the item's settings
            found = find(draft, kind, key) if key is not None else None
            errors = (part_errors(draft, found[2]) if found is not None else {}) \
                if key is not None else setting_errors(draft) if kind == "item" else {}
            if errors:
                raise PartInvalidError(errors)
        try:
            return SaveDraftCommand(self.item, draft, self.expected_revision, self.actor).run()
        except DefinitionInvalidError as error:  # elsewhere in the draft: not by input
            raise PartInvalidError({"": [p.message for p in error.problems]}) from error


