"""The item designer (事项管理): regional administrators build items in the browser.

Views are configuration and thin glue: each handler reads a form, runs a command from
``app.commands.item_edit`` / ``item_create`` / ``publish`` and maps its typed errors —
PartInvalidError to the messages next to the inputs (422), StaleDraftError to the 409 page that
shows the other person's version and keeps this person's input, ItemNotFoundError to 404.
Every view shares one permission (``ItemDesigner``: can_list, can_edit, can_publish) and loads
items through :func:`app.scoping.scope_condition`, so another region's item is a 404.

Modules: this one (list, new item, adapt, the shared base), ``items_editor`` (the parts),
``items_publish`` (preview and publish), ``items_io`` (YAML and Excel).
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.commands import CommandError
from app.commands.item_create import (AdaptItemCommand, CreateItemCommand,
                                      NewItemInvalidError)
from app.commands.publish import find_item
from app.commands.schedule import version_states
from app.engine.markdown import render_markdown
from app.engine.variants import today, versions_in_effect, version_in_effect
from app.extensions import db
from app.models.application import OPEN_STATUSES, Application
from app.models.item import Item
from app.scoping import can_write_region, in_subtree, is_platform_admin, scope_condition

PERMISSION = "ItemDesigner"
#: The new-item form's inputs by the definition setting each gives.
#: The new-item form's input of each setting a refusal names.
NEW_ITEM_FIELDS = {"code": "code", "name.zh": "name_zh", "name.en": "name_en",
                   "region": "region", "name": "name_zh"}
STATUS_LABELS = {"draft": _l("draft"), "published": _l("published"), "retired": _l("retired")}


def item_state(item: Item) -> str:
    """Return the item's state today: its ``status``, "retired" once past a scheduled end."""
    return "retired" if item.status == "published" and not item.in_service(today()) \
        else item.status


def in_flight(item_ids) -> dict[int, int]:
    """Return open (draft, submitted, returned) applications per item."""
    if not item_ids:
        return {}
    rows = db.session.execute(select(Application.item_id, func.count()).where(
        Application.item_id.in_(list(item_ids)), Application.status.in_(OPEN_STATUSES))
        .group_by(Application.item_id)).all()
    return dict(rows)


class ItemViewBase(BaseView):
    """What the designer's views share: permission, scoped loading, rendering."""

    route_base = "/items"
    class_permission_name = PERMISSION
    method_permission_name: dict = {}

    def item(self, item_id: int, write: bool = False) -> Item:
        """Return an item the user may see (404 otherwise; with ``write``, also change)."""
        item = db.session.scalar(select(Item).where(Item.id == item_id,
                                                    scope_condition(Item)))
        if item is None or (write and not can_write_region(item.region_code)):
            abort(404)
        return item

    def page(self, template: str, status: int = 200, **context):
        context.setdefault("status_labels", STATUS_LABELS)
        return self.render_template(f"admin/items/{template}", **context), status


class ItemListView(ItemViewBase):
    """Items of the user's subtree, items in effect above to adapt, a new item."""

    default_view = "list"
    method_permission_name = {"list": "list", "new": "edit", "adapt": "edit"}

    def create_blueprint(self, appbuilder, endpoint=None, static_folder=None):
        blueprint = super().create_blueprint(appbuilder, endpoint, static_folder)
        blueprint.add_app_template_filter(render_markdown, "markdown")
        blueprint.add_app_template_filter(item_name, "item_name")
        blueprint.add_app_template_filter(version_states, "version_states")
        blueprint.add_app_template_filter(item_state, "item_state")
        return blueprint

    @expose("/")
    @has_access
    def list(self):
        return self._list_page()

    def _list_page(self, status: int = 200, new_values=None, new_errors=None):
        """The list; after a refused new item, with its input and each message at its input."""
        items = list(db.session.scalars(select(Item).where(scope_condition(Item)).order_by(
            Item.region_code, Item.code)))
        counts = in_flight([item.id for item in items])
        rows = [(item, item.latest_version, version_in_effect(item), counts.get(item.id, 0))
                for item in items]
        return self.page("list.html", status, rows=rows, above=self._above(items),
                         new_values=new_values or {}, new_errors=new_errors or {},
                         title=_l("Service items"))

    @staticmethod
    def _above(items: list) -> list:
        """Return versions in effect in the user's region owned above it, not yet adapted."""
        region = getattr(g.user, "region_code", None)
        if not region or is_platform_admin(g.user):
            return []
        mine = {item.code for item in items if item.region_code == region}
        return [v for v in versions_in_effect(region)
                if not in_subtree(v.item.region_code, region) and v.item.code not in mine]

    @expose("/new", methods=["POST"])
    @has_access
    def new(self):
        form = request.form
        region = (form.get("region") or getattr(g.user, "region_code", None) or "").strip()
        name = {"zh": form.get("name_zh", "").strip(), "en": form.get("name_en", "").strip() or None}
        code = form.get("code", "").strip()
        values = {"code": code, "name_zh": name["zh"], "name_en": name["en"] or "",
                  "region": form.get("region", "")}
        try:
            item = CreateItemCommand(code, region, name).run()
        except NewItemInvalidError as error:  # each at the form's input it belongs to
            errors = {NEW_ITEM_FIELDS.get(path, "form"): messages
                      for path, messages in error.errors.items()}
            return self._list_page(422, values, errors)
        except CommandError as error:
            # The code already taken in the region is the code input's problem; the others
            # are the region's (unknown, or not the admin's), at its input if the form has one.
            field = ("code" if find_item(code, region) is not None
                     else "form" if getattr(g.user, "region_code", None) else "region")
            return self._list_page(422, values, {field: [_problems(error)]})
        return redirect(url_for("ItemEditorView.overview", item_id=item.id))

    @expose("/adapt/<int:parent_id>", methods=["POST"])
    @has_access
    def adapt(self, parent_id: int):
        parent = db.session.get(Item, parent_id)
        if parent is None:
            abort(404)
        region = (request.form.get("region") or getattr(g.user, "region_code", None) or "").strip()
        try:
            item = AdaptItemCommand(parent, region).run()
        except CommandError as error:
            flash(_problems(error), "danger")
            # To the variant already there (a second click, another tab, a colleague first),
            # else back to the item adapted if the admin may open it (a city admin may not open
            # the province's), else to the list.
            existing = db.session.scalar(select(Item.id).where(
                Item.code == parent.code, Item.region_code == region))
            if existing is not None and can_write_region(region):
                return redirect(url_for("ItemEditorView.overview", item_id=existing))
            if can_write_region(parent.region_code):
                return redirect(url_for("ItemEditorView.overview", item_id=parent.id))
            return redirect(url_for("ItemListView.list"))
        flash(str(_l("Variant created: it inherits everything until you change a part.")),
              "success")
        return redirect(url_for("ItemEditorView.overview", item_id=item.id))


def item_name(item: Item):
    """Return an item's name as last saved: its draft's, else (a variant inheriting it) the
    name of its published version or of the item it adapts; ``{zh, en}`` or plain text."""
    name = (item.draft or {}).get("name")
    if name:
        return name
    version = item.latest_version
    if version is not None and version.definition.get("name"):
        return version.definition["name"]
    return item_name(item.derives) if item.derives is not None else item.name_zh


def _problems(error: CommandError) -> str:
    problems = getattr(error, "problems", None)
    if problems:
        return str(_l("; ")).join(p.message for p in problems)
    return str(error)
