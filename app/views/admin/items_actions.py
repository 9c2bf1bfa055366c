"""The designer's actions on a whole draft or item: remove a variant's changes to parts its
parent removed; discard a draft back to the published version; delete an item never published.
Each destructive one asks first on a page of its own (it works without JavaScript)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l

from app.commands import CommandError
from app.commands.formdef_errors import StaleDraftError
from app.commands.item_edit import EditDraftCommand, Editing
from app.engine.orphans import drop_stale, orphaned_by, stale_overrides
from app.views.admin.items import ItemViewBase, _problems


def stale_redirect(editing: Editing, kind: str, key: str):
    """Return a redirect to the item page's list of stale changes when ``key`` is one (a link
    from the publish page to a part the parent removed), else None."""
    if not editing.is_variant or not any(
            s.kind == kind and s.key == key
            for s in stale_overrides(editing.parent, editing.item.draft)):
        return None
    flash(str(_l("The item above no longer has this part: remove this region's changes to it "
                 "below.")), "warning")
    return redirect(url_for("ItemEditorView.overview", item_id=editing.item.id)
                    + "#stale-overrides")


class ItemActionView(ItemViewBase):
    """Whole-draft actions: POST only, at the revision shown, audited by the save they make."""

    method_permission_name = {"drop_stale": "edit"}

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
        stale = stale_overrides(editing.parent, item.draft)

        def edit(draft: dict) -> tuple:
            draft.clear()
            draft.update(drop_stale(editing.parent, item.draft))
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
