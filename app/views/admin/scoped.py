"""A ModelView whose reads, writes and actions all go through app.scoping."""
from flask import abort, request
from flask_appbuilder import ModelView, expose
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.security.decorators import has_access

from flask_babel import lazy_gettext as _l

from app.scoping import can_write_region, scope_condition

OUT_OF_SCOPE = _l("You can only change data of your own region and the regions below it.")


class RegionScopeFilter(BaseFilter):
    """Limit a query to the rows the current user may see (never shown as a user filter)."""

    name = "scope"

    def apply(self, query, value):
        return query.filter(scope_condition(self.model))


class ScopedModelView(ModelView):
    """ModelView scoped by region for list, show, edit, delete, actions and writes.

    Subclasses name the model's region column in ``region_column`` (a string attribute) or
    override :meth:`item_region`.
    """

    region_column = "region_code"
    page_size = 25

    def __init__(self, *args, **kwargs):
        pk = self.datamodel.get_pk_name()
        self.base_filters = [[pk, RegionScopeFilter, lambda: None], *(self.base_filters or [])]
        super().__init__(*args, **kwargs)

    def item_region(self, item):
        return getattr(item, self.region_column)

    def check_write(self, item):
        """Refuse a write outside the user's subtree (FAB shows the message, stores nothing)."""
        if not can_write_region(self.item_region(item)):
            raise ValueError(str(OUT_OF_SCOPE))

    def pre_add(self, item):
        self.check_write(item)

    def pre_update(self, item):
        self.check_write(item)

    def pre_delete(self, item):
        self.check_write(item)

    def _scoped_get(self, pk):
        item = self.datamodel.get(self._deserialize_pk_if_composite(pk), self._base_filters)
        if item is None:
            abort(404)
        return item

    @expose("/action/<string:name>/<pk>", methods=["GET"])
    @has_access
    def action(self, name, pk):
        # FAB loads the row without base_filters; load it through the scope first.
        self._scoped_get(pk)
        return super().action(name, pk)

    @expose("/action_post", methods=["POST"])
    @has_access
    def action_post(self):
        for pk in request.form.getlist("rowid"):
            self._scoped_get(pk)
        return super().action_post()
