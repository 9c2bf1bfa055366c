"""A ModelView whose reads, writes and actions all go through app.scoping."""
from flask import abort, current_app, redirect, request
from flask_appbuilder import ModelView, expose
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.security.decorators import has_access

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.models.region import Region
from app.scoping import can_write_region, scope_condition
from app.views.admin.empty_values import EmptyValuesMixin
from app.views.admin.model_writes import FormSaveMixin, WriteRefused
from app.views.admin.no_download import NoFileDownload

OUT_OF_SCOPE = _l("You can only change data of your own region and the regions below it.")
REGION_OUTSIDE = _l("%(region)s is outside your area: choose your own region or one below it.")
REGION_ABOLISHED = _l("This region has been abolished; choose a current one.")


class RegionScopeFilter(BaseFilter):
    """Limit a query to the rows the current user may see (never shown as a user filter)."""

    name = "scope"

    def apply(self, query, value):
        return query.filter(scope_condition(self.model))


class CurrentRegionFilter(BaseFilter):
    """The regions a user may choose for a record: current ones within the user's subtree."""

    name = "current region"

    def apply(self, query, value):
        return query.filter(scope_condition(Region), Region.valid_to.is_(None))


class ScopedModelView(NoFileDownload, EmptyValuesMixin, FormSaveMixin, ModelView):
    """ModelView scoped by region for list, show, edit, delete, actions and writes.

    Subclasses name the model's region column in ``region_column`` (a string attribute) or
    override :meth:`item_region`; ``region_field`` is the form field a scope refusal is
    shown at.
    """

    region_column = "region_code"
    region_field = "region"
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
            raise WriteRefused(OUT_OF_SCOPE, field=self.region_field)

    # Check, then let the view below in the MRO do its part (FAB's UserDBModelView hashes the
    # password in pre_add and stamps changed_by in pre_update).
    def pre_add(self, item):
        with self.datamodel.session.no_autoflush:  # the new row is not flushed by the checks
            self.check_write(item)
        super().pre_add(item)

    def pre_update(self, item):
        with self.datamodel.session.no_autoflush:
            self.check_write(item)
        super().pre_update(item)

    def pre_delete(self, item):
        self.check_write(item)
        super().pre_delete(item)

    # A region the select does not offer failed as FAB's bare "not a valid choice": say why.
    def _get_add_widget(self, form, *args, **kwargs):
        self._explain_region_choice(form)
        return super()._get_add_widget(form, *args, **kwargs)

    def _get_edit_widget(self, form, *args, **kwargs):
        self._explain_region_choice(form)
        return super()._get_edit_widget(form, *args, **kwargs)

    def _explain_region_choice(self, form) -> None:
        field = form[self.region_field] if self.region_field in form else None
        code = request.form.get(self.region_field, "").strip() if request.method == "POST" else ""
        if field is None or not field.errors or not code.isdigit() or len(code) > 12:
            return
        region = db.session.get(Region, code)
        if region is None:
            return
        if not can_write_region(code):
            field.errors = [str(REGION_OUTSIDE % {"region": repr(region)})]
        elif region.valid_to is not None:
            field.errors = [str(REGION_ABOLISHED)]

    def _get_list_widget(self, **kwargs):
        # FAB sorts by any column named in ``_oc_<view>``, listed or not: sorting accounts by
        # their full mobile or ID number gave away the masked digits by bisection (and an
        # unknown column answered 500). Only the view's own sortable columns are honoured.
        if kwargs.get("order_column") and kwargs["order_column"] not in self.order_columns:
            kwargs["order_column"], kwargs["order_direction"] = "", ""
        widgets = super()._get_list_widget(**kwargs)
        if type(self).locked_reason is FormSaveMixin.locked_reason:
            return widgets
        widget = widgets["list"]
        model = self.datamodel.obj
        pks = widget.template_args["pks"]
        rows = self.datamodel.session.scalars(
            select(model).where(getattr(model, self.datamodel.get_pk_name()).in_(pks)))
        widget.template_args["locked_pks"] = {
            self.datamodel.get_pk_value(row) for row in rows if self.locked_reason(row)}
        widget.template = "staff/widgets/list.html"
        return widgets

    def _scoped_get(self, pk):
        item = self.datamodel.get(self._deserialize_pk_if_composite(pk), self._base_filters)
        if item is None:
            abort(404)
        return item

    # GET and POST like FAB's own route: FAB's show page posts its action buttons here.
    @expose("/action/<string:name>/<pk>", methods=["GET", "POST"])
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


def guard_action_routes():
    """Check FAB's action routes like every other route, before FAB's own code runs.

    FAB's ``action``/``action_post`` (every ModelView, FAB's security views included) look the
    action up before checking any permission: an unknown action name answered 500 to anyone,
    anonymous callers were not sent to the login page. Registered with ``before_request``.
    """
    endpoint = request.endpoint or ""
    if not endpoint.endswith((".action", ".action_post")):
        return None
    appbuilder = current_app.appbuilder
    blueprint = endpoint.rsplit(".", 1)[0]
    view = next((v for v in appbuilder.baseviews if getattr(v, "endpoint", None) == blueprint),
                None)
    actions = getattr(view, "actions", None)
    if actions is None:
        return None
    if endpoint.endswith(".action"):
        name = (request.view_args or {}).get("name")
    else:
        name = request.form.get("action")
    if name not in actions:
        abort(404)
    if appbuilder.sm.has_access(view.get_action_permission_name(name), view.class_permission_name):
        return None
    if not current_user.is_authenticated:
        return redirect(appbuilder.get_url_for_login_with(request.url))
    abort(403)
