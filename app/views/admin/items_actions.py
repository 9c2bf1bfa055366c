"""The designer's actions on a whole draft or item: remove a variant's changes to parts its
parent removed; discard a draft back to the published version; delete an item never published;
take a published item out of service. Each destructive one — and deleting a part — asks first
on a page of its own (it works without JavaScript); renaming or deleting a field names the
expressions that read it (app.engine.references)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l

from app import local_text
from app.commands import CommandError
from app.commands.formdef_errors import StaleDraftError
from app.commands.item_edit import EditDraftCommand, Editing
from app.commands.item_lifecycle import (DeleteItemCommand, DiscardDraftCommand,
                                         has_unpublished_changes)
from app.engine.orphans import drop_stale, orphaned_by, stale_overrides
from app.views.admin.item_uses import said, uses_in_words
from app.views.admin.items import ItemViewBase, _problems, item_name


def pinned(item) -> dict | None:
    """Return the parent's definition the variant was last published against, if any."""
    version = item.latest_version.derives_version if item.latest_version else None
    return version.definition if version is not None else None


def stale_of(editing: Editing) -> list:
    """Return the variant's changes to parts its parent no longer has."""
    if not editing.is_variant:
        return []
    return stale_overrides(editing.parent, editing.item.draft, pinned(editing.item))


def stale_redirect(editing: Editing, kind: str, key: str):
    """Return a redirect to the item page's list of stale changes when ``key`` is one (a link
    from the publish page to a part the parent removed), else None."""
    if not any(s.kind == kind and s.key == key for s in stale_of(editing)):
        return None
    flash(str(_l("The item above no longer has this part: remove this region's changes to it "
                 "below.")), "warning")
    return redirect(url_for("ItemEditorView.overview", item_id=editing.item.id)
                    + "#stale-overrides")


class ItemActionView(ItemViewBase):
    """Whole-draft actions: a GET (or a POST without ``confirmed``) asks; the POST acts at the
    revision shown, audited."""

    method_permission_name = {"drop_stale": "edit", "discard": "edit", "delete": "edit",
                              "retire": "publish"}

    @expose("/<int:item_id>/discard", methods=["GET", "POST"])
    @has_access
    def discard(self, item_id: int):
        """Set the draft back to the newest published version (asked first)."""
        item = self.item(item_id, write=True)
        version = item.latest_version
        if version is None or not has_unpublished_changes(item):
            flash(str(_l("The draft has no changes since the last published version.")), "info")
            return redirect(url_for("ItemEditorView.overview", item_id=item.id))
        if request.method == "GET" or not request.form.get("confirmed"):
            return confirm_page(
                self, item, _l("Discard the draft"),
                [_l("Discard every change made to the draft since version %(n)s was published? "
                    "The draft becomes that version again; this cannot be undone.",
                    n=version.number)],
                url_for("ItemActionView.discard", item_id=item.id),
                {"revision": item.revision}, _l("Discard the draft"))
        try:
            DiscardDraftCommand(item, int(request.form.get("revision") or 0)).run()
        except StaleDraftError as error:
            return self.page("stale.html", 409, item=item, message=str(error))
        except CommandError as error:
            flash(_problems(error), "danger")
        else:
            flash(str(_l("The draft is version %(n)s again.", n=version.number)), "success")
        return redirect(url_for("ItemEditorView.overview", item_id=item.id))

    @expose("/<int:item_id>/delete", methods=["GET", "POST"])
    @has_access
    def delete(self, item_id: int):
        """Delete an item never published (asked first)."""
        item = self.item(item_id, write=True)
        command = DeleteItemCommand(item, int(request.form.get("revision") or item.revision))
        try:
            command.validate()
        except CommandError as error:
            flash(_problems(error), "danger")
            return redirect(url_for("ItemEditorView.overview", item_id=item.id))
        if request.method == "GET" or not request.form.get("confirmed"):
            return confirm_page(
                self, item, _l("Delete the item"),
                [_l("Delete the item “%(name)s” (%(code)s)? It was never published and no "
                    "application uses it; its draft is deleted and cannot be brought back.",
                    name=local_text(item_name(item)) or item.code, code=item.code)],
                url_for("ItemActionView.delete", item_id=item.id),
                {"revision": item.revision}, _l("Delete the item"))
        code = item.code
        try:
            command.run()
        except StaleDraftError as error:
            return self.page("stale.html", 409, item=item, message=str(error))
        except CommandError as error:
            flash(_problems(error), "danger")
            return redirect(url_for("ItemEditorView.overview", item_id=item_id))
        flash(str(_l("Item %(code)s deleted.", code=code)), "success")
        return redirect(url_for("ItemListView.list"))

    @expose("/<int:item_id>/retire", methods=["GET", "POST"])
    @has_access
    def retire(self, item_id: int):
        """Take a published item out of service, at once or from a later day, or keep it in
        service after all (asked first; definition.retire, .retire_scheduled,
        .retire_cancelled)."""
        from app.views.admin.items import item_state
        from app.views.admin.items_retire import retire_page

        item = self.item(item_id, write=True)
        if item_state(item) != "published":
            abort(404)
        return retire_page(self, item)

    @expose("/<int:item_id>/stale", methods=["POST"])
    @has_access
    def drop_stale(self, item_id: int):
        """Remove a variant's changes to parts its parent no longer has."""
        item = self.item(item_id, write=True)
        try:
            editing = Editing.of(item)
        except CommandError as error:
            flash(_problems(error), "danger")
            return redirect(url_for("ItemEditorView.overview", item_id=item.id))
        if not editing.is_variant:
            abort(404)
        stale, before = stale_of(editing), pinned(item)

        def edit(draft: dict) -> tuple:
            draft.clear()
            draft.update(drop_stale(editing.parent, item.draft, before))
            return "item", None
        edit.raw = True  # type: ignore[attr-defined]
        try:
            EditDraftCommand(item, edit, int(request.form.get("revision") or 0)).run()
        except StaleDraftError as error:
            return self.page("stale.html", 409, item=item, message=str(error))
        except CommandError as error:
            flash(_problems(error), "danger")
        else:
            flash(str(_l("Removed this region's changes to parts the item above no longer has "
                         "(%(count)s).", count=len(stale))), "success")
        return redirect(url_for("ItemEditorView.overview", item_id=item.id))


def variant_warnings(item, current, definition) -> list[tuple]:
    """Return a warning per variant of ``item`` that changes a part ``definition`` (the draft
    about to be published) removes: publishing is not refused — the variant keeps its version
    until its administrators remove those changes — but the parent's publisher should know."""
    from types import SimpleNamespace

    from sqlalchemy import select

    from app import region_name
    from app.extensions import db
    from app.models.item import Item
    from app.views.admin.items_editor import KIND_LABELS

    if not definition:
        return []
    warnings = []
    for variant in db.session.scalars(select(Item).where(Item.derives_item_id == item.id)
                                      .order_by(Item.region_code)):
        for stale in orphaned_by(current.definition if current else None, definition,
                                 variant.draft):
            warnings.append((SimpleNamespace(message=str(_l(
                "The variant of %(region)s changes %(kind)s “%(key)s”, which this version "
                "removes: it cannot be published again until its administrators remove those "
                "changes; citizens there keep its current version meanwhile.",
                region=region_name(variant.region) or variant.region_code,
                kind=KIND_LABELS.get(stale.kind, stale.kind), key=stale.key))), None, ""))
    return warnings


def confirm_page(view, item, heading, lines, action, hidden, button, references=(),
                 status=200):
    """Render the page that asks before a destructive action (no JavaScript needed)."""
    return view.page("confirm.html", status, item=item, heading=heading, lines=lines,
                     action=action, hidden=hidden, button=button, references=references,
                     title=heading)


def confirm_part_delete(view, item, editing: Editing, kind: str, key: str):
    """Ask before deleting a part: what goes with it, and the expressions that use it."""
    from app.commands.item_edit import find
    from app.views.admin.items_editor import KIND_LABELS

    found = find(editing.definition, kind, key)
    if found is None:
        abort(404)
    part = found[0][found[1]]
    name = local_text(part.get("label") or part.get("title") or part.get("name")) or key
    lines = [_l("Delete %(kind)s “%(name)s” (%(key)s) from the draft?",
                kind=KIND_LABELS[kind], name=name, key=key)]
    if kind == "page":
        lines.append(_l("Its %(count)s fields are deleted with it.",
                        count=len(part.get("fields") or [])))
    if item.latest_version is not None:
        lines.append(_l("Citizens see the change only when the draft is published; until then "
                        "“Discard the draft” brings it back."))
    return confirm_page(view, item, _l("Delete %(kind)s", kind=KIND_LABELS[kind]), lines,
                        url_for("ItemEditorView.change", item_id=item.id),
                        {"kind": kind, "key": key, "action": "delete",
                         "revision": request.form.get("revision", item.revision)},
                        _l("Delete"),
                        references=uses_in_words(part_uses(editing.definition, kind, key)))


def part_uses(definition: dict, kind: str, key: str) -> list[tuple]:
    """Return (part, setting, expression) for each place outside a field (or a page's fields)
    that reads it: what a delete leaves pointing at nothing."""
    from app.commands.item_edit import find
    from app.engine.references import references_to

    found = find(definition, kind, key)
    if kind == "field" and "." not in key:
        keys = [key]
    elif kind == "page" and found is not None:
        keys = [f.get("key") for f in found[0][found[1]].get("fields") or []]
    else:
        return []
    return [use for name in keys for use in references_to(definition, name, keys)]


def flash_uses(used: list, done, renamed: bool = False) -> None:
    """Say the change was saved and, as a warning, which expressions now read a question that
    is gone (or, for a rename, which were updated)."""
    if not used:
        flash(str(done), "success")
        return
    places = said(used)
    if renamed:
        flash(str(_l("%(done)s References updated to the new key: %(places)s", done=done,
                     places=places)), "success")
    else:
        flash(str(_l("%(done)s These expressions still read it and name nothing now; change "
                     "them before publishing: %(places)s", done=done, places=places)),
              "warning")


def renaming(edit, kind: str, old: str, new: str):
    """Wrap a part's edit so that renaming a field also renames what reads it (app.engine.
    references); return the edit and the (changed, left) lists it fills."""
    from app.engine.references import rename_references, rename_row_references

    report: tuple[list, list] = ([], [])
    group, _, bare = old.rpartition(".")  # a field of a repeating group: "group.key"
    if kind != "field" or not new or new == bare:
        return edit, report

    def wrapped(definition: dict) -> tuple:
        result = edit(definition)
        changed, left = rename_row_references(definition, group, bare, new) if group else \
            rename_references(definition, old, new)
        report[0][:], report[1][:] = changed, left
        return result
    return wrapped, report


def flash_renamed(report: tuple[list, list], done) -> None:
    changed, left = report
    flash_uses(changed, done, renamed=True)
    if left:
        flash(str(_l("These expressions read the old key and could not be updated safely; "
                     "change them before publishing: %(places)s", places=said(left))),
              "warning")
