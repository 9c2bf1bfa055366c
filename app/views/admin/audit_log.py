"""审计日志: the history events (app.audit) for platform and regional administrators, read only.

A RegionAdmin sees the events of their region's subtree (ScopedModelView's region scope on
``region_code``); events without a region (registrations, retention runs) only a platform
administrator. List, show, filters and ordering all go through that scope; there is nothing to
add, edit, delete, export or act on. Details are shown masked (:mod:`audit_display`).

FAB answers 500 to a page size or page that is no number and to a filter index past the
column's filters, and sorts by any column named: here such a request is a 400 before FAB reads
it, and a date that is no date is named in a message and not applied.
"""
from __future__ import annotations

import datetime as dt
import re

from flask import abort, flash, request
from flask_appbuilder import expose
from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import (BS3TextFieldWidget, DatePickerWidget,
                                           Select2Widget)
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import SelectField, StringField

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.region import Region
from app.models.user import BanshiUser
from app.scoping import holders, scope_condition, subtree_codes
from app.staff_roles import is_staff_role, stored_roles
from app.views.admin.audit_display import (action_choices, action_label, describe,
                                           detail_table, when)
from app.views.admin.list_guard import MAX_INTEGER_ID, whole_number_within
from app.views.admin.scoped import ScopedModelView
from app.workdays import CST

BAD_DATE = _l("%(field)s: enter a date as YYYY-MM-DD; this filter was not applied.")


class ActionIs(BaseFilter):
    name = _l("Is")
    arg_name = "eq"

    def apply(self, query, value):
        return query.filter(AuditEvent.action == str(value))


class ActorIs(BaseFilter):
    name = _l("Is")
    arg_name = "eq"

    def apply(self, query, value):
        return query.filter(AuditEvent.actor_id == int(value))  # checked before: a number


class RegionWithin(BaseFilter):
    name = _l("In or below")
    arg_name = "sub"

    def apply(self, query, value):
        return query.filter(AuditEvent.region_code.in_(subtree_codes(str(value))))


class ObjectIdIs(BaseFilter):
    name = _l("Is")
    arg_name = "eq"

    def apply(self, query, value):
        return query.filter(AuditEvent.object_id == str(value).strip())


def parse_day(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


class OnOrAfter(BaseFilter):
    name = _l("From (Beijing time)")
    arg_name = "from"

    def apply(self, query, value):
        day = parse_day(value)
        if day is None:
            return query
        return query.filter(AuditEvent.at >= dt.datetime.combine(day, dt.time(0), CST))


class OnOrBefore(BaseFilter):
    name = _l("Until (Beijing time)")
    arg_name = "until"

    def apply(self, query, value):
        day = parse_day(value)
        if day is None:
            return query
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), CST)
        return query.filter(AuditEvent.at < end)


def staff_accounts():
    """The staff accounts the user may see, for the "who" filter (citizens are not offered);
    a role an administrator made makes staff by what it grants (app.staff_roles)."""
    return db.session.scalars(select(BanshiUser).where(
        BanshiUser.id.in_(holders(("Admin", *stored_roles(is_staff_role)))),
        scope_condition(BanshiUser))
        .order_by(BanshiUser.username))


def scoped_regions():
    return db.session.scalars(select(Region).where(scope_condition(Region))
                              .order_by(Region.path))


class AuditEventModelView(ScopedModelView):
    """Who did what, when, where: newest first, within the user's subtree, read only."""

    datamodel = SQLAInterface(AuditEvent)
    route_base = "/auditlog"
    base_permissions = ["can_list", "can_show"]
    list_title = _l("Audit log")
    show_title = _l("Audit event")
    list_columns = ["at", "action", "actor_id", "object_id", "region_code", "request_id"]
    show_columns = [*list_columns, "detail"]
    search_columns = ["action", "actor_id", "region_code", "at", "object_id"]
    order_columns = ["at"]
    base_order = ("at", "desc")
    label_columns = {
        "at": _l("Time"), "action": _l("Action"), "actor_id": _l("Who"),
        "object_id": _l("Object"), "region_code": _l("Region"), "request_id": _l("Request ID"),
        "detail": _l("Details"),
    }
    formatters_columns = {"at": when, "action": action_label, "detail": detail_table,
                          "request_id": lambda value: value or ""}
    search_form_extra_fields = {
        "action": SelectField(_l("Action"), choices=action_choices, widget=Select2Widget()),
        "actor_id": QuerySelectField(_l("Who"), query_func=staff_accounts,
                                     get_pk_func=lambda user: user.id,
                                     get_label=lambda user: user.username,
                                     widget=Select2Widget()),
        "region_code": QuerySelectField(_l("Region"), query_func=scoped_regions,
                                        get_pk_func=lambda region: region.code,
                                        widget=Select2Widget()),
        "at": StringField(_l("Time"), widget=DatePickerWidget()),
        "object_id": StringField(_l("Object"), widget=BS3TextFieldWidget()),
    }

    def _init_properties(self):
        super()._init_properties()
        # Only these filters, at these indexes: FAB resolves ``_flt_<i>_<column>`` against
        # _all_filters, which would otherwise hold "contains", "starts with" … of every column.
        chosen = {"action": [ActionIs], "actor_id": [ActorIs], "region_code": [RegionWithin],
                  "at": [OnOrAfter, OnOrBefore], "object_id": [ObjectIdIs]}
        filters = {column: [kind(column, self.datamodel) for kind in kinds]
                   for column, kinds in chosen.items()}
        self._filters._search_filters = filters
        self._filters._all_filters = filters

    def check_list_args(self) -> None:
        """Refuse (400) filters and orderings this view does not offer; name bad dates. Page
        sizes, pages and directions are checked for every model view (list_guard)."""
        filters = self._filters.get_search_filters()
        for arg in request.args:
            values = request.args.getlist(arg)
            if match := re.fullmatch(r"_flt_(\d+)_(.+)", arg):
                index, column = int(match[1]), match[2]
                if column not in filters or index >= len(filters[column]):
                    abort(400)
                if column == "actor_id" and not all(
                        whole_number_within(v.strip(), 0, MAX_INTEGER_ID) for v in values):
                    abort(400)
                if column == "at" and not all(parse_day(v) for v in values):
                    flash(str(BAD_DATE) % {"field": filters[column][index].name}, "warning")
            elif arg.startswith("_oc_"):
                if values[0] not in self.order_columns:
                    abort(400)

    @expose("/list/")
    @has_access
    def list(self):
        self.check_list_args()
        return super().list()

    def _get_list_widget(self, **kwargs):
        widgets = super()._get_list_widget(**kwargs)
        widget = widgets["list"]
        pks = widget.template_args["pks"]
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.id.in_(pks))) \
            if pks else []
        shown = describe(events)
        rows = list(widget.template_args["value_columns"])
        for pk, row in zip(pks, rows):
            row.update(shown.get(pk, {}))
        widget.template_args["value_columns"] = rows
        return widgets

    def _get_show_widget(self, pk, item, **kwargs):
        # Reached only for an event inside the scope (FAB's _show loads it with base_filters).
        widgets = super()._get_show_widget(pk, item, **kwargs)
        widget = widgets["show"]
        shown = describe([item])[item.id]
        values = list(widget.template_args["value_columns"])
        for column, text in shown.items():
            values[self.show_columns.index(column)] = text
        widget.template_args["value_columns"] = values
        return widgets

