"""FAB's role and group pages with banshi's save flow: refusals and clashes in words, no SQL.

FAB's own views flash ``str(error)`` of a failed save (the statement, its parameters and the
driver's message) and answer 500 when its delete hook refuses a role or group that accounts
still hold. FAB's permission pages (base permissions, views/menus, permissions on views) are
list-only in FAB 5.3 (``base_permissions = ["can_list"]``): nobody can write there.

FAB checks a built-in role (app.roles, its ``builtin_roles``) against that list and never reads
the role's permissions from the database (its list and show pages show that list and offer no
edit button): the edit page, reached by its address, shows them read-only and refuses a
change. The Admin role is not built in: it holds its permissions in the database.

Separation of duties (app.views.admin.separation): a role an administrator made is not given a
decision permission while an account that defines items and staff holds it, directly or through
a group; nor does a group give such a pair.
"""
import logging

from flask import current_app, flash, redirect, url_for
from flask_appbuilder.actions import action
from flask_appbuilder.security import views as fab_views
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import inspect, select
from sqlalchemy.exc import SQLAlchemyError
from wtforms import Field
from wtforms.validators import StopValidation

from app.roles import ALL_ROLES, PUBLIC_ROLE
from app.views.admin.empty_values import EmptyValuesMixin
from app.views.admin.security_audit import (record_group, record_group_update, record_role,
                                             record_role_update)
from app.views.admin.security_labels import (
    GROUP_LABELS, GROUP_TITLES, NAME_LABELS, PERMISSION_TITLES, PERMISSION_VIEW_LABELS,
    PERMISSION_VIEW_TITLES, ROLE_COLUMN_LABELS, ROLE_TITLES, VIEW_MENU_TITLES, RoleList,
    RoleShow, account_labels, group_roles_field, members_field, permission_text, role_labels)
from app.views.admin.model_writes import SAVE_FAILED, FormSaveMixin, WriteRefused
from app.views.admin.no_download import NoFileDownload
from app.views.admin.separation import role_refusal, separation_refusal

log = logging.getLogger(__name__)

ROLE_NAME_TAKEN = _l("A role with this name already exists.")
GROUP_NAME_TAKEN = _l("A group with this name already exists.")
# Roles the code refers to by name (app.roles, AUTH_ROLE_ADMIN, AUTH_ROLE_PUBLIC).
BUILT_IN_ROLES = frozenset((*ALL_ROLES, PUBLIC_ROLE))
COPY_SUFFIX = " copy"
PERMISSIONS_FIXED_NOTE = _l("The permissions of a built-in role are defined by the system: "
                            "changing them here would have no effect. For other permissions, "
                            "add a role of your own.")
PERMISSIONS_FIXED = _l("The permissions of a built-in role are defined by the system and "
                       "cannot be changed here.")
NO_PERMISSIONS = _l("No permissions.")
ADMIN_PERMISSIONS_NOTE = _l("The administrator role holds every permission: one taken away "
                            "here is given back by the next \"flask security sync\".")


def _permissions_list(field, **kwargs):
    items = [Markup("<li>{}</li>").format(permission_text(*pair)) for pair in field.data]
    return Markup('<ul class="list-unstyled form-control-static" id="{}">{}</ul>').format(
        field.id, Markup("").join(items) or Markup("<li>{}</li>").format(NO_PERMISSIONS))


class BuiltInPermissionsField(Field):
    """A built-in role's permissions as text, never an input; a posted change is refused."""

    widget = staticmethod(_permissions_list)

    def __init__(self, label=None, validators=None, pairs=(), **kwargs):
        super().__init__(label, validators, **kwargs)
        self.pairs = list(dict.fromkeys(tuple(pair) for pair in pairs))

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        self.object_data = data
        self.posted = bool(formdata and formdata.getlist(self.name))
        self.data = self.pairs

    def pre_validate(self, form):
        if self.posted:
            raise StopValidation(str(PERMISSIONS_FIXED))

    def populate_obj(self, obj, name):
        """Write nothing: FAB never reads a built-in role's permissions from the database."""


def copy_name(name: str, taken: set[str], limit: int) -> str:
    """Return the first of "<name> copy", "<name> copy 2", … not in ``taken``, within ``limit``."""
    number = 1
    while True:
        suffix = COPY_SUFFIX if number == 1 else f"{COPY_SUFFIX} {number}"
        candidate = name[:limit - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1


class RoleModelView(NoFileDownload, EmptyValuesMixin, FormSaveMixin, fab_views.RoleModelView):
    """FAB's roles page: a clashing name is named on the form, built-in roles stay as they are.

    FAB's class name is kept: it is the permission key and the endpoint.
    """

    unique_messages = {"name": ROLE_NAME_TAKEN}
    list_title, show_title = ROLE_TITLES["list_title"], ROLE_TITLES["show_title"]
    add_title, edit_title = ROLE_TITLES["add_title"], ROLE_TITLES["edit_title"]
    label_columns = ROLE_COLUMN_LABELS
    list_widget, show_widget = RoleList, RoleShow

    def edit_form_for(self, item):
        sm = current_app.appbuilder.sm
        label = self.label_columns.get("permissions")
        if item.name in sm.builtin_roles:
            field = BuiltInPermissionsField(label, pairs=sm.builtin_roles[item.name],
                                            description=PERMISSIONS_FIXED_NOTE)
        elif item.name == sm.auth_role_admin:
            # FAB gives the Admin role every permission again on each sync (add_permissions_view).
            unbound = self.edit_form.permissions
            field = unbound.field_class(*unbound.args, **{**unbound.kwargs,
                                                          "description": ADMIN_PERMISSIONS_NOTE})
        else:
            return self.edit_form
        return type("RoleEditForm", (self.edit_form,), {"permissions": field})

    def pre_update(self, item):
        before = inspect(item).attrs.name.history.deleted
        if before and before[0] in BUILT_IN_ROLES and item.name != before[0]:
            raise WriteRefused(_l("A built-in role cannot be renamed: banshi refers to it by "
                                  "this name."), field="name")
        # Separation of duties: no decision permission for a role a manager holds.
        refusal = role_refusal(item)
        if refusal is not None:
            raise WriteRefused(refusal, field="permissions")
        super().pre_update(item)
        record_role_update(item)

    def post_add(self, item):
        super().post_add(item)
        record_role("role.create", item)
        self.datamodel.session.commit()

    def pre_delete(self, item):
        # Instead of FAB's hook, whose exception is not a refusal here (it answered 500).
        if item.name in BUILT_IN_ROLES:
            raise WriteRefused(_l("A built-in role cannot be deleted."))
        if item.user:
            raise WriteRefused(_l("%(count)s account(s) still have this role: take it away "
                                  "from them before deleting the role.", count=len(item.user)))
        record_role("role.delete", item)

    @action("copyrole", _l("Copy Role"), _l("Copy the selected roles?"), icon="fa-copy",
            single=False)
    def copy_role(self, items):
        """Copy roles under free names ("… copy", "… copy 2"); FAB's copy clashed on the second
        copy of a role and answered 500."""
        session = self.datamodel.session
        model = self.datamodel.obj
        limit = model.__table__.c.name.type.length
        taken = set(session.scalars(select(model.name)))
        try:
            for item in items:
                copy = model(name=copy_name(item.name, taken, limit),
                             permissions=list(item.permissions))
                taken.add(copy.name)
                session.add(copy)
                session.flush()
                record_role("role.create", copy, copied_from=item.name)
            session.commit()
        except SQLAlchemyError:
            log.exception("Copying roles failed")
            session.rollback()
            flash(str(SAVE_FAILED), "danger")
        return redirect(url_for(f"{self.endpoint}.list"))


class UserGroupModelView(NoFileDownload, EmptyValuesMixin, FormSaveMixin,
                         fab_views.UserGroupModelView):
    """FAB's groups page: a clashing name is named on the form; a group in use is kept (FAB's
    class name kept)."""

    unique_messages = {"name": GROUP_NAME_TAKEN}
    list_title, show_title = GROUP_TITLES["list_title"], GROUP_TITLES["show_title"]
    add_title, edit_title = GROUP_TITLES["add_title"], GROUP_TITLES["edit_title"]
    label_columns = GROUP_LABELS
    formatters_columns = {"roles": role_labels, "users": account_labels}
    # Roles in the page's language; members are staff, named "username 姓名 (区划)".
    add_form_extra_fields = {"users": members_field(), "roles": group_roles_field()}
    edit_form_extra_fields = {"users": members_field(), "roles": group_roles_field()}

    def pre_add(self, item):
        self.check_separation(item)
        super().pre_add(item)

    def pre_update(self, item):
        self.check_separation(item)
        super().pre_update(item)
        record_group_update(item)

    def post_add(self, item):
        super().post_add(item)
        record_group("group.create", item)
        self.datamodel.session.commit()

    @staticmethod
    def check_separation(item):
        """Refuse a group whose roles, alone or with a member's own roles and other groups,
        break separation of duties (app.roles): a group's roles are its members' roles."""
        refusal = separation_refusal((), [item])
        if refusal is not None:
            raise WriteRefused(refusal, field="roles")
        for user in sorted(item.users or (), key=lambda user: user.username):
            groups = [group for group in user.groups if group is not item] + [item]
            refusal = separation_refusal(user.roles, groups)
            if refusal is not None:
                raise WriteRefused(_l("Account %(username)s: %(reason)s",
                                      username=user.username, reason=str(refusal)),
                                   field="users")

    def pre_delete(self, item):
        if item.users:
            raise WriteRefused(_l("%(count)s account(s) are still in this group: take them out "
                                  "before deleting the group.", count=len(item.users)))
        record_group("group.delete", item)


class PermissionModelView(NoFileDownload, fab_views.PermissionModelView):
    """FAB's permission list, without its file download route; technical names, titled in
    the page's language."""

    list_title, show_title = PERMISSION_TITLES["list_title"], PERMISSION_TITLES["show_title"]
    label_columns = NAME_LABELS


class ViewMenuModelView(NoFileDownload, fab_views.ViewMenuModelView):
    """FAB's view and menu list, without its file download route (titled as above)."""

    list_title, show_title = VIEW_MENU_TITLES["list_title"], VIEW_MENU_TITLES["show_title"]
    label_columns = NAME_LABELS


class PermissionViewModelView(NoFileDownload, fab_views.PermissionViewModelView):
    """FAB's permission-on-view list, without its file download route (titled as above)."""

    list_title = PERMISSION_VIEW_TITLES["list_title"]
    show_title = PERMISSION_VIEW_TITLES["show_title"]
    label_columns = PERMISSION_VIEW_LABELS
