"""The words of FAB's role, group and permission pages in the page's language.

FAB's titles and column labels on these pages are its own English (banshi's catalogue does not
hold them), its forms and lists name roles by their stored keys (RegionAdmin, Reviewer) and
accounts by their display name only, citizens included, and its role pages print a built-in
role's permissions as a Python list. Here: titles and labels through gettext, roles as on the
account form (app.roles.ROLE_NAMES), accounts as "username 姓名 (区划)", staff only.
"""
from flask import current_app
from flask_appbuilder.fields import QuerySelectMultipleField
from flask_appbuilder.fieldwidgets import Select2ManyWidget
from flask_appbuilder.security.sqla.models import Role
from flask_appbuilder.security.views import RoleListWidget, RoleShowWidget
from flask_babel import gettext, lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.user import BanshiUser
from app.roles import ROLE_NAMES

#: Roles a group may not make staff of: a citizen's role, and FAB's anonymous one.
NOT_STAFF = ("Citizen", "Public")

GROUP_LABELS = {"name": _l("Name"), "label": _l("Label"), "description": _l("Description"),
                "users": _l("Members"), "roles": _l("Roles")}
ROLE_COLUMN_LABELS = {"name": _l("Name"), "permissions": _l("Permissions")}
NAME_LABELS = {"name": _l("Name")}
PERMISSION_VIEW_LABELS = {"permission": _l("Permission"), "view_menu": _l("View or menu")}

GROUP_TITLES = {"list_title": _l("Groups"), "show_title": _l("Group"),
                "add_title": _l("Add group"), "edit_title": _l("Edit group")}
ROLE_TITLES = {"list_title": _l("Roles"), "show_title": _l("Role"),
               "add_title": _l("Add role"), "edit_title": _l("Edit role")}
PERMISSION_TITLES = {"list_title": _l("Base permissions"), "show_title": _l("Base permission")}
VIEW_MENU_TITLES = {"list_title": _l("Views and menus"), "show_title": _l("View or menu")}
PERMISSION_VIEW_TITLES = {"list_title": _l("Permissions on views and menus"),
                          "show_title": _l("Permission on a view or menu")}


def role_label(name) -> str:
    """A role's name in the page's language (a role of the administrator's own: its name)."""
    return str(ROLE_NAMES.get(name, name))


def role_labels(roles) -> str:
    return ", ".join(sorted(role_label(role.name) for role in roles or ()))


def account_label(user) -> str:
    """Name an account so that two people of one name differ: "username 姓名 (区划)"."""
    region = repr(user.region) if user.region is not None else str(_l("Whole country"))
    return f"{user.username} {user.first_name or ''} ({region})".replace("  ", " ")


def account_labels(users) -> str:
    """A group's members by :func:`account_label` (FAB's ``Group.users`` holds FAB's own
    account class, without the region: read as banshi's accounts)."""
    ids = [user.id for user in users or ()]
    if not ids:
        return ""
    accounts = db.session.scalars(select(BanshiUser).where(BanshiUser.id.in_(ids)).options(
        joinedload(BanshiUser.region)).order_by(BanshiUser.username)).unique()
    return ", ".join(account_label(user) for user in accounts)


#: The permissions FAB's views and menus share, in words (others keep their technical name).
PERMISSION_WORDS = {"menu_access": _l("menu access"), "can_list": _l("can list"),
                    "can_show": _l("can show"), "can_add": _l("can add"),
                    "can_edit": _l("can edit"), "can_delete": _l("can delete")}


def permission_text(view: str, permission: str) -> str:
    """Name a (view, permission) pair in the page's language: a menu by the name the menu bar
    shows (its label is a message), a view by its technical name; the common permissions in
    words, any other by its technical name."""
    name = gettext(view) if permission == "menu_access" else view
    words = PERMISSION_WORDS.get(permission) or permission.replace("_", " ")
    return str(_l("%(permission)s on %(view)s", permission=words, view=name))


def role_permissions(name, permissions) -> list[str]:
    """The permissions a role grants, as text: a built-in role's from the code (FAB never reads
    them from the database), another's from its rows."""
    builtin = current_app.appbuilder.sm.builtin_roles.get(name)
    if builtin is not None:
        pairs = [tuple(pair) for pair in builtin]
    else:
        pairs = [(row.view_menu.name, row.permission.name) for row in permissions or ()
                 if row.view_menu is not None and row.permission is not None]
    return [permission_text(*pair) for pair in dict.fromkeys(pairs)]


class RoleList(RoleListWidget):
    """FAB's role list, with role names translated and permissions one a line."""

    template = "admin/roles_list.html"

    def __init__(self, **kwargs):
        kwargs.update(role_label=role_label, role_permissions=role_permissions)
        super().__init__(**kwargs)


class RoleShow(RoleShowWidget):
    """FAB's role page, with the role's name translated and permissions one a line."""

    template = "admin/roles_show.html"

    def __init__(self, **kwargs):
        kwargs.update(role_label=role_label, role_permissions=role_permissions)
        super().__init__(**kwargs)


def staff_accounts() -> list:
    """Accounts a group may hold: all but citizens' (an account whose roles are a citizen's
    only), present members included (a save does not drop one silently), by username."""
    citizen = (BanshiUser.roles.any(Role.name == "Citizen")
               & ~BanshiUser.roles.any(Role.name.notin_(NOT_STAFF)))
    staff = ~citizen
    return list(db.session.scalars(select(BanshiUser).where(
        or_(staff, BanshiUser.groups.any())).options(joinedload(BanshiUser.region))
        .order_by(BanshiUser.username)).unique())


def all_roles() -> list:
    return sorted(db.session.scalars(select(Role)), key=lambda role: role_label(role.name))


def members_field():
    return QuerySelectMultipleField(
        _l("Members"), query_func=staff_accounts, get_pk_func=lambda user: user.id,
        get_label=account_label, widget=Select2ManyWidget(),
        description=_l("Staff accounts only: each member holds the group's roles."))


def group_roles_field():
    return QuerySelectMultipleField(
        _l("Roles"), query_func=all_roles, get_pk_func=lambda role: role.id,
        get_label=lambda role: role_label(role.name), widget=Select2ManyWidget())
