"""An item's published versions, read-only: one as YAML (shown or downloaded) and two compared
with the publish page's diff. Loaded through the item, so region-scoped as it is (404)."""
from __future__ import annotations

from flask import abort, request
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l

from app import local_text
from app.commands.schedule import CST
from app.commands.version_history import publishers
from app.engine.diff import definition_diff
from app.engine.export import export
from app.models.item import Item, ItemVersion
from app.views.admin.item_inputs import SETTING_LABELS, SETTING_VALUE_LABELS
from app.views.admin.items import ItemViewBase, item_name
from app.views.admin.items_editor import KIND_LABELS
from app.views.admin.items_io import _download


def find_version(item: Item, number) -> ItemVersion:
    """Return version ``number`` of ``item`` (404 when there is none)."""
    version = next((v for v in item.versions if str(v.number) == str(number)), None)
    if version is None:
        abort(404)
    return version


class ItemVersionView(ItemViewBase):
    """Show, export and compare published versions (the designer's ``can_list``)."""

    method_permission_name = {"show": "list", "export_yaml": "list", "compare": "list"}

    def create_blueprint(self, appbuilder, endpoint=None, static_folder=None):
        blueprint = super().create_blueprint(appbuilder, endpoint, static_folder)
        blueprint.add_app_template_filter(publishers, "publishers")
        blueprint.add_app_template_global(SETTING_VALUE_LABELS, "setting_value_labels")
        blueprint.add_app_template_global(SETTING_LABELS, "designer_setting_labels")
        return blueprint

    @expose("/<int:item_id>/versions/<int:number>/")
    @has_access
    def show(self, item_id: int, number: int):
        item = self.item(item_id)
        version = find_version(item, number)
        return self.page("version.html", item=item, version=version, text=export(version.source),
                         publisher=publishers(item).get(version.number),
                         published_on=version.published_at.astimezone(CST).date(),
                         title=_l("%(name)s, version %(n)s", name=local_text(item_name(item)),
                                  n=version.number))

    @expose("/<int:item_id>/versions/<int:number>/export.yaml")
    @has_access
    def export_yaml(self, item_id: int, number: int):
        item = self.item(item_id)
        version = find_version(item, number)
        return _download(export(version.source), "application/yaml; charset=utf-8",
                         f"{item.code}@{item.region_code}-v{version.number}.yaml")

    @expose("/<int:item_id>/versions/compare")
    @has_access
    def compare(self, item_id: int):
        """Compare version ``old`` with version ``new`` (default: the one before it)."""
        item = self.item(item_id)
        if not item.versions:
            abort(404)
        new = find_version(item, request.args.get("new", item.versions[-1].number))
        default = max((v.number for v in item.versions if v.number < new.number), default=None)
        old_number = request.args.get("old", default)
        old = find_version(item, old_number) if old_number is not None else None
        changes = definition_diff(old.definition if old else None, new.definition)
        return self.page("compare.html", item=item, old=old, new=new, changes=changes,
                         kinds=KIND_LABELS, setting_labels=SETTING_LABELS,
                         title=_l("Compare versions"))
