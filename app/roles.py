"""What each built-in role may do: one (view, permission) pair per entry (FAB_NOTES.md).

Admin is FAB's administrator role and holds every permission through the database.
Views not listed here are reachable by Admin only.
"""

from typing import Optional

from flask_babel import lazy_gettext as _l

# The roles a workflow step may name (the definition format's; only those that can decide,
# :func:`deciding_roles`, are offered and pass lint), then every built-in role, by name in the
# reader's language.
ROLE_LABELS = {"Reviewer": _l("Reviewer"), "RegionAdmin": _l("Regional administrator")}
ROLE_NAMES = {**ROLE_LABELS, "Admin": _l("Platform administrator"), "Citizen": _l("Citizen")}

_READ = ("can_list", "can_show")
_EDIT = _READ + ("can_add", "can_edit")


def _grant(view: str, permissions: tuple[str, ...]) -> list[list[str]]:
    return [[view, permission] for permission in permissions]


# Menu entries are permissions on the menu *names* given in app.initialization.
_MENUS = [[menu, "menu_access"] for menu in ("Regions & code tables", "Regions", "Region tree", "Code tables", "Codes")]

# The working calendar (app.views.admin.calendar), read only: deadlines are counted on it.
_CALENDAR = [*_grant("CalendarDayModelView", _READ), ["Working calendar", "menu_access"]]

# The person registry: staff read the persons of their subtree (masked).
_REGISTRY = [*_grant("PersonModelView", _READ),
             *[[menu, "menu_access"] for menu in ("Registry", "Insured persons")]]

# The applications API (CatalogApi is public: no permissions). Clerks file for walk-in citizens.
_APPLICATIONS = _grant("ApplicationApi", ("can_get", "can_post", "can_put", "can_delete"))

# The signed-in account (app.api.me): every account reads its own; citizens verify there and
# close it (注销, also /me/close).
_ME = _grant("MeApi", ("can_read",))

# The item designer (app.views.admin.items*): one permission view for all its pages.
_ITEM_DESIGNER = [*_grant("ItemDesigner", ("can_list", "can_edit", "can_publish")),
                  *[[menu, "menu_access"] for menu in ("Service items", "Items")]]

# The review desk (app.views.review). Reviewers work the queues, decide, reveal a full ID
# number with a reason (app.commands.reviews.reveal) and enter applications at the window;
# RegionAdmin supervises: due-soon and overdue steps of its subtree and the applications
# behind them (read only, masked).
_REVIEW_DESK = [*_grant("ReviewDesk", ("can_read", "can_decide")),
                *_grant("IdentityReveal", ("can_reveal",)),
                *_grant("WindowEntry", ("can_enter",)),
                *[[menu, "menu_access"] for menu in ("Review", "To do", "Done",
                                                     "Due soon and overdue", "Window entry")]]
# Through the API (app.api.reviews) as on the pages: ReviewApi can_read alone serves the late
# queues; pending and done need can_decide as well.
_REVIEW_SUPERVISION = [*_grant("ReviewDesk", ("can_read",)),
                       *_grant("ReviewApi", ("can_read",)),
                       *[[menu, "menu_access"] for menu in ("Review", "Due soon and overdue")]]
# 无人可办 (app.views.review.unstaffed, and state=unstaffed of the reviews API): waiting
# applications nobody may decide, for those who manage the staff. Reviewers have no access.
_UNSTAFFED = [*_grant("Unstaffed", ("can_read",)), ["Nobody can decide", "menu_access"]]

# The dashboard (app.views.admin.dashboard): aggregates of the user's subtree, no personal data.
# Reviewers get it too: every application it counts is already in their scope.
_DASHBOARD = [*_grant("Dashboard", ("can_read",)),
              *[[menu, "menu_access"] for menu in ("Statistics", "Dashboard")]]

# The audit log (app.views.admin.audit_log): the history events of the subtree, masked, read
# only, in FAB's "Security" menu. Reviewers and citizens have no access.
_AUDIT_LOG = [*_grant("AuditEventModelView", _READ), ["Audit log", "menu_access"]]

ROLE_PERMISSIONS: dict[str, list[list[str]]] = {
    "RegionAdmin": [
        *_ITEM_DESIGNER,
        *_grant("RegionModelView", _EDIT),
        *_grant("RegionTreeView", ("can_node",)),
        *_grant("DictionaryModelView", _READ),
        *_grant("DictionaryEntryModelView", _EDIT + ("can_delete",)),
        *_grant("StaffUserModelView", _EDIT + ("can_userinfo", "resetmypassword",
                                               "resetpasswords")),
        # Within the accounts they manage (app.views.admin.password_reset).
        *_grant("ResetPasswordView", ("can_this_form_get", "can_this_form_post")),
        *_grant("List Users", ("menu_access",)),
        *_grant("Security", ("menu_access",)),
        *_MENUS,
        *_CALENDAR,
        *_REGISTRY,
        *_grant("UserInfoEditView", ("can_this_form_get", "can_this_form_post")),
        *_grant("ResetMyPasswordView", ("can_this_form_get", "can_this_form_post")),
        *_grant("ApplicationApi", ("can_get",)),
        *_ME,
        *_REVIEW_SUPERVISION,
        *_UNSTAFFED,
        *_DASHBOARD,
        *_AUDIT_LOG,
    ],
    "Reviewer": [
        *_grant("StaffUserModelView", ("can_userinfo", "resetmypassword")),
        *_grant("UserInfoEditView", ("can_this_form_get", "can_this_form_post")),
        # Reviewers decide; RegionAdmin manages (definitions, staff) but does not decide.
        *_grant("ReviewApi", ("can_read", "can_decide")),
        *_APPLICATIONS,
        *_ME,
        *_grant("ResetMyPasswordView", ("can_this_form_get", "can_this_form_post")),
        *_grant("RegionModelView", _READ),
        *_grant("RegionTreeView", ("can_node",)),
        *_grant("DictionaryModelView", _READ),
        *_grant("DictionaryEntryModelView", _READ),
        *_MENUS,
        *_CALENDAR,
        *_REGISTRY,
        *_REVIEW_DESK,
        *_DASHBOARD,
    ],
    "Citizen": [
        *_grant("CitizenHomeView", ("can_index", "can_close")),
        *_grant("IdentityView", ("can_verify",)),
        # 我要办, the wizard and 我要查 (app.views.citizen: one permission for all of them).
        *_grant("CitizenApplications", ("can_apply",)),
        *_APPLICATIONS,
        *_ME,
        *_grant("MeApi", ("can_verify", "can_close")),
    ],
}

#: The anonymous caller's role (AUTH_ROLE_PUBLIC). Pages anyone may open (sign-in,
#: registration, 我要办's catalog) are views without a check; the one permission granted is
#: reading the OpenAPI document, which documents the public contract (app.api.openapi).
#: Being built in, FAB answers "is this public?" from here instead of reading the role's
#: permissions from the database on every protected request.
PUBLIC_ROLE = "Public"
PUBLIC_PERMISSIONS: list[list[str]] = [["OpenApi", "can_get"]]

BUILTIN_ROLES = tuple(ROLE_PERMISSIONS)
ALL_ROLES = ("Admin", *BUILTIN_ROLES)

#: Separation of duties: who defines items and staff accounts (the platform and regional
#: administrators) never holds the role that decides applications and enters them at the
#: counter, so nobody approves under rules or with colleagues they set up themselves. Admin
#: keeps every permission it has; it only cannot also be a Reviewer.
MANAGING_ROLES = ("Admin", "RegionAdmin")

#: What deciding an application takes, as the decision endpoints check it: ``can_decide`` on
#: the review desk's pages (app.views.review.decide) or on the reviews API (app.api.reviews).
DECIDE_PERMISSIONS = (("ReviewDesk", "can_decide"), ("ReviewApi", "can_decide"))

#: What filing at the counter (窗口代录) takes (app.counter_access).
COUNTER_PERMISSION = ("WindowEntry", "can_enter")

#: What makes an account staff of its region, whichever role grants it (app.scoping.is_staff):
#: deciding, filing at the counter, reading the review desk, or administering the region (its
#: regions, its staff accounts, 无人可办). Citizen grants none of them; Admin's are set aside.
STAFF_PERMISSIONS = (*DECIDE_PERMISSIONS, COUNTER_PERMISSION,
                     ("ReviewDesk", "can_read"), ("ReviewApi", "can_read"),
                     ("RegionModelView", "can_add"), ("RegionModelView", "can_edit"),
                     ("StaffUserModelView", "can_list"), ("StaffUserModelView", "can_add"),
                     ("StaffUserModelView", "can_edit"), ("Unstaffed", "can_read"))


def role_can_decide(role: str) -> bool:
    """Tell whether the built-in role ``role`` is granted a decision permission: whoever holds
    it may decide the steps that name it (FAB answers a built-in role's permissions from
    :data:`ROLE_PERMISSIONS`, app.security)."""
    granted = ROLE_PERMISSIONS.get(role, ())
    return any([view, permission] in granted for view, permission in DECIDE_PERMISSIONS)


def deciding_roles(names=None) -> tuple[str, ...]:
    """Return those of ``names`` (every built-in role by default) that can decide, in order."""
    return tuple(name for name in (BUILTIN_ROLES if names is None else names)
                 if role_can_decide(name))


#: The other side of separation of duties: the roles that decide.
DECIDING_ROLES = deciding_roles()


def separation_conflict(names) -> Optional[tuple[str, str]]:
    """Return a (managing, deciding) pair of role names found together in ``names``, or None."""
    names = set(names)
    for managing in MANAGING_ROLES:
        for deciding in DECIDING_ROLES:
            if managing in names and deciding in names:
                return managing, deciding
    return None


def held_role_names(roles, groups=()) -> set[str]:
    """Return the names of the roles an account holds: given directly (``roles``) and through
    its FAB groups (``groups``), which grant their roles' permissions as well (FAB's
    ``get_user_roles``): separation of duties counts both."""
    return ({role.name for role in roles or ()}
            | {role.name for group in groups or () for role in group.roles})


def roles_held(roles, groups=()) -> list:
    """Return the roles an account holds, given directly and through its groups, each once."""
    held = {role.name: role for role in roles or ()}
    for group in groups or ():
        for role in group.roles:
            held.setdefault(role.name, role)
    return list(held.values())


def role_grants(role, view: str, permission: str) -> bool:
    """Tell whether ``role`` grants ``permission`` on ``view``, as FAB's access check reads it:
    a built-in role from :data:`ROLE_PERMISSIONS` (never from the database, app.security), any
    other (one an administrator made on the roles page) from its permissions in the database."""
    if role.name in ROLE_PERMISSIONS or role.name == PUBLIC_ROLE:
        return [view, permission] in ROLE_PERMISSIONS.get(role.name, PUBLIC_PERMISSIONS)
    return any(pair.view_menu is not None and pair.view_menu.name == view
               and pair.permission is not None and pair.permission.name == permission
               for pair in role.permissions)


def separation_refusal(roles, groups=()):
    """Return why an account holding ``roles`` directly and ``groups`` breaks separation of
    duties, in words, or None (app.views.admin.separation)."""
    from app.views.admin.separation import separation_refusal as refusal

    return refusal(roles, groups)


def sync_security() -> None:
    import logging

    from flask_appbuilder.const import LOGMSG_WAR_SEC_NO_USER
    from flask_appbuilder.security.manager import BaseSecurityManager

    from flask import current_app

    appbuilder = current_app.appbuilder
    # Roles first (FAB's SQLA create_db would create tables: migrations own those), then
    # every view's permissions, which FAB also grants to the Admin role. FAB's warning that no
    # account exists yet names its own command; banshi's are in the README.
    fab_log = logging.getLogger("flask_appbuilder.security.manager")
    quiet = _DropMessage(LOGMSG_WAR_SEC_NO_USER)
    fab_log.addFilter(quiet)
    try:
        BaseSecurityManager.create_db(appbuilder.sm)
    finally:
        fab_log.removeFilter(quiet)
    _sync_permissions(appbuilder)


def _sync_permissions(appbuilder) -> None:
    """Give every permission name its permissions, and remove those nothing declares.

    FAB's ``add_permissions`` syncs view by view: where several views share a permission name
    (the designer's pages all check ``ItemDesigner``) or a menu entry bears a view's name
    (``Dashboard``), syncing one tries to remove what the others declare — refused, with a
    warning per pair on every run, only while a role holds it. Synced by name, over the union.
    """
    from collections import defaultdict

    wanted: dict[str, set[str]] = defaultdict(set)
    for view in appbuilder.baseviews:
        if view.class_permission_name and view.base_permissions:
            wanted[view.class_permission_name].update(view.base_permissions)
    for category in appbuilder.menu.get_list() if appbuilder.menu is not None else ():
        for entry in (category, *category.childs):
            if entry.name != "-":
                wanted[entry.name].add("menu_access")
    for name, permissions in wanted.items():
        appbuilder.sm.add_permissions_view(sorted(permissions), name)


class _DropMessage:
    """A logging filter that drops one message."""

    def __init__(self, message: str) -> None:
        self.message = message

    def filter(self, record) -> bool:
        return record.getMessage() != self.message
