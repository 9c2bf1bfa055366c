"""Who counts as staff, and who decides, by what the roles held grant.

A role an administrator makes on the roles page has no built-in name: it counts by its
permissions (app.roles.role_grants), given directly or through the account's groups, as FAB's
own access check reads them. The built-in roles keep their names' meaning.
"""
from typing import Any, Callable, Optional

from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.roles import (DECIDE_PERMISSIONS, DECIDING_ROLES, MANAGING_ROLES, STAFF_PERMISSIONS,
                       role_grants, roles_held)

#: The built-in roles of a region's staff; a role an administrator made counts as staff by what
#: it grants (:func:`is_staff_role`).
STAFF_ROLE_NAMES = ("RegionAdmin", "Reviewer")
#: What makes a role an administrator made a staff role, as app.scoping.is_staff reads it.
STAFF_GRANTS = STAFF_PERMISSIONS


def grants_any(role, pairs) -> bool:
    """Tell whether ``role`` grants one of the (view, permission) ``pairs``; the platform
    administrator's role aside (it holds every permission, yet is kept from deciding)."""
    return role.name != "Admin" and any(role_grants(role, *pair) for pair in pairs)


def is_staff_role(role) -> bool:
    """Tell whether ``role`` makes its holder staff: RegionAdmin, Reviewer, or a role granting
    a staff permission (deciding, filing at the counter, reading the review desk,
    administering the region: app.roles.STAFF_PERMISSIONS)."""
    return role.name in STAFF_ROLE_NAMES or grants_any(role, STAFF_GRANTS)


def role_conflict(roles, groups=()) -> Optional[tuple[str, str]]:
    """Return a (managing, deciding) pair of role names an account holding ``roles`` directly
    and ``groups`` breaks separation of duties with, or None. A role decides by what it grants
    (Reviewer, or a role an administrator made with a decision permission)."""
    held = roles_held(roles, groups)
    names = {role.name for role in held}
    deciders = sorted((role.name for role in held if deciding(role)),
                      key=lambda name: (name not in DECIDING_ROLES, name))
    for managing in MANAGING_ROLES:
        if managing in names and deciders:
            return managing, deciders[0]
    return None


def holds_staff_role(user: Any) -> bool:
    """Tell whether ``user`` holds a staff role (:func:`is_staff_role`), directly or through a
    group: such an account is not a citizen's, whatever else it holds."""
    return user is not None and any(
        is_staff_role(role) for role in roles_held(user.roles, getattr(user, "groups", ())))


def stored_roles(test: Callable[[Any], bool]) -> list[str]:
    """Return the names of the roles in the database that pass ``test``, sorted."""
    roles = db.session.scalars(select(Role).options(selectinload(Role.permissions)))
    return sorted(role.name for role in roles if test(role))


def deciding(role) -> bool:
    """Tell whether ``role`` grants a decision permission (Reviewer does, Admin is kept from it)."""
    return grants_any(role, DECIDE_PERMISSIONS)
