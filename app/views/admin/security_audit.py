"""Group and role changes in the audit log, as account changes are (``account.*`` events).

A group's roles are its members' roles (FAB grants them alike), so adding a group, changing
its roles or its members, and a role's permissions are grants of permissions: each save on
FAB's group and role pages records who did it (the actor), when, the actor's region and the
request id (app.audit.record), with the names of the roles, the members' usernames and the
permissions before and after (app.audit_changes). Each event is added to the session of the
save and commits with it.
"""
from __future__ import annotations

from app.audit import record
from app.audit_changes import changes
from app.scoping import current_user

GROUP_SETTINGS = {"name": "name", "label": "label", "description": "description"}
ROLE_SETTINGS = {"name": "name"}


def _role_name(role) -> str:
    return role.name


def _username(user) -> str:
    return user.username


def _permission(row) -> str:
    """A permission as "View.can_x" (technical names, as FAB's permission pages show them)."""
    view = row.view_menu.name if row.view_menu is not None else "?"
    return f"{view}.{row.permission.name if row.permission is not None else '?'}"


def _region():
    user = current_user()
    return getattr(user, "region_code", None)


def group_snapshot(group) -> dict:
    return {"name": group.name, "roles": sorted(role.name for role in group.roles or ()),
            "members": sorted(user.username for user in group.users or ())}


def role_snapshot(role) -> dict:
    return {"name": role.name,
            "permissions": sorted(_permission(row) for row in role.permissions or ())}


def record_group(action: str, group) -> None:
    """Record a group added (``group.create``) or deleted (``group.delete``) as it stands."""
    record(action, "group", group.id, _region(), **group_snapshot(group))


def record_group_update(group) -> None:
    """Record what a save of ``group`` changes (call before the flush); nothing if nothing."""
    found = changes(group, GROUP_SETTINGS, collections={"roles": _role_name})
    members = changes(group, {}, collections={"users": _username}).get("users")
    if members is not None:
        found["members"] = members
    if found:
        record("group.update", "group", group.id, _region(), group=group.name, **found)


def record_role(action: str, role, **extra) -> None:
    """Record a role added (``role.create``) or deleted (``role.delete``) as it stands."""
    record(action, "role", role.id, _region(), **role_snapshot(role), **extra)


def record_role_update(role) -> None:
    """Record what a save of ``role`` changes (call before the flush); nothing if nothing."""
    found = changes(role, ROLE_SETTINGS, collections={"permissions": _permission})
    if found:
        record("role.update", "role", role.id, _region(), role=role.name, **found)
