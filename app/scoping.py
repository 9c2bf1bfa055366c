"""Region and ownership scoping — the one place that decides what a user may see and touch.

Every model that holds personal or regional data declares a ``__scope__``; every view, API,
export and download builds its query through :func:`scope_condition` and checks writes with
:func:`ensure_writable`. Platform administrators see every region (what a model's
``staff_condition`` keeps from staff, such as citizens' drafts, is kept from them too); staff see
their region's subtree; citizens see only what they own.
"""
from typing import Any, Iterable, Optional

from flask import g, has_request_context
from flask_appbuilder.security.sqla.models import (Role, assoc_group_role, assoc_user_group,
                                                   assoc_user_role)
from sqlalchemy import Subquery, and_, false, or_, select, true, union_all
from sqlalchemy.sql.elements import ColumnElement
from werkzeug.exceptions import Forbidden

from app.extensions import db
from app.models.base import Scope
from app.models.region import Region
from app.roles import STAFF_PERMISSIONS, held_role_names, role_grants, roles_held

STAFF_ROLES = ("RegionAdmin", "Reviewer")
PLATFORM_ROLE = "Admin"


def current_user() -> Any:
    """Return the acting user, or None outside a request or when anonymous."""
    user = getattr(g, "user", None) if has_request_context() else None
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def role_names(user: Any) -> set[str]:
    """Return the names of the roles ``user`` holds: directly and through its FAB groups,
    which grant their roles' permissions as direct ones do (FAB's ``get_user_roles``).

    Every decision on what a user is (staff, platform administrator, a step's role) reads
    this; :func:`held_roles` is the same in SQL.
    """
    if user is None:
        return set()
    return held_role_names(user.roles, getattr(user, "groups", ()))


def grants(user: Any, view: str, permission: str) -> bool:
    """Tell whether a role ``user`` holds, directly or through a group, grants ``permission``
    on ``view`` as FAB's access check reads it (app.roles.role_grants), the platform
    administrator's aside: it holds every permission, yet separation of duties keeps it from
    what this is asked about (app.counter_access), and reading them all would cost a query."""
    if user is None:
        return False
    return any(role_grants(role, view, permission)
               for role in roles_held(user.roles, getattr(user, "groups", ()))
               if role.name != PLATFORM_ROLE)


def is_staff(user: Any) -> bool:
    """Tell whether ``user`` works as staff of its region: a role it holds, directly or through
    a group, grants a staff permission (app.roles.STAFF_PERMISSIONS: deciding, filing at the
    counter, reading the review desk, administering the region), read as :func:`grants` reads
    it — RegionAdmin and Reviewer from the code, a role an administrator made from its
    permissions — so whoever decides or files an application on the pages reads it through
    the API as well. What staff read and write is their region's subtree (a region-less
    account's is nothing of a region)."""
    if user is None:
        return False
    return bool(role_names(user) & set(STAFF_ROLES)) or any(
        grants(user, *pair) for pair in STAFF_PERMISSIONS)


def held_roles() -> Subquery:
    """Return a subquery of (``user_id``, ``name``): each role an account holds, directly or
    through a group (one row per way it is held)."""
    direct = select(assoc_user_role.c.user_id, Role.name).join(
        Role, Role.id == assoc_user_role.c.role_id)
    grouped = select(assoc_user_group.c.user_id, Role.name).join(
        assoc_group_role, assoc_group_role.c.group_id == assoc_user_group.c.group_id).join(
        Role, Role.id == assoc_group_role.c.role_id)
    return union_all(direct, grouped).subquery("held_role")


def holders(names: Iterable[str]):
    """Return a SELECT of the ids of the accounts holding one of the roles ``names``
    (directly or through a group)."""
    held = held_roles()
    return select(held.c.user_id).where(held.c.name.in_(sorted(set(names))))


def is_platform_admin(user: Any) -> bool:
    return PLATFORM_ROLE in role_names(user)


def region_path(code: str) -> Optional[str]:
    """Return the materialised path of a region, cached for the request."""
    cache = g.setdefault("_region_paths", {}) if has_request_context() else {}
    if code not in cache:
        cache[code] = db.session.scalar(select(Region.path).where(Region.code == code))
    return cache[code]


def subtree_codes(code: str):
    """Return a SELECT of the codes in ``code``'s subtree (itself included), by path prefix."""
    path = region_path(code)
    if path is None:
        return select(Region.code).where(false())
    return select(Region.code).where(Region.path.startswith(path, autoescape=True))


def in_subtree(code: Optional[str], ancestor: Optional[str]) -> bool:
    """Tell whether region ``code`` lies in ``ancestor``'s subtree (itself included)."""
    if not code or not ancestor:
        return False
    path, top = region_path(code), region_path(ancestor)
    return bool(path and top and path.startswith(top))


def scope_condition(model: type, user: Any = None) -> ColumnElement[bool]:
    """Return the SQL condition limiting ``model``'s rows to what ``user`` may see."""
    user = user if user is not None else current_user()
    scope: Optional[Scope] = getattr(model, "__scope__", None)
    if scope is None:
        raise TypeError(f"{model.__name__} declares no __scope__")
    if user is None:
        return false()
    if is_platform_admin(user):  # every region, but a draft stays its citizen's as for staff
        return scope.staff_condition(model, user) if scope.staff_condition else true()
    staff = is_staff(user)
    if scope.staff_readable and staff:
        return true()
    conditions = []
    if scope.owner is not None:
        owned = getattr(model, scope.owner) == user.id
        if scope.owner_condition is not None:
            owned = and_(owned, scope.owner_condition(model, user))
        conditions.append(owned)
    if scope.region is not None and staff and user.region_code:
        column = getattr(model, scope.region)
        region = column.in_(subtree_codes(user.region_code))
        if scope.staff_condition is not None:
            region = and_(region, scope.staff_condition(model, user))
        conditions.append(region)
        if scope.shared_when_null:
            conditions.append(column.is_(None))
    return or_(*conditions) if conditions else false()


def can_write_region(code: Optional[str], user: Any = None) -> bool:
    """Tell whether ``user`` may create or change data belonging to region ``code``."""
    user = user if user is not None else current_user()
    if user is None:
        return False
    if is_platform_admin(user):
        return True
    return is_staff(user) and in_subtree(code, user.region_code)


def ensure_writable(code: Optional[str], user: Any = None) -> None:
    """Raise 403 unless ``user`` may write data of region ``code``."""
    if not can_write_region(code, user):
        raise Forbidden()
