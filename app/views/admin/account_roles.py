"""The roles of the staff account form: which the editor may grant, which stay as they are.

The platform administrator grants every role (FAB's anonymous role aside). Anyone else who
manages staff accounts (a RegionAdmin) grants RegionAdmin and Reviewer, and a role made on the
roles page only when it is not above their own: every permission it grants they hold themselves
and a Reviewer holds as well, so it carries nothing of administering (staff accounts, passwords,
regions, codes, items, the audit log) and nothing they could not do. They manage an account
whose roles are of that kind, a Reviewer's at most; an account holding a role beyond it (a
citizen's, an administrator's, a made role granting more than a Reviewer) only a platform
administrator changes (app.views.admin.users.account_lock).

The form offers the roles the editor may grant, those the account holds selected; a role it
holds that the editor may not grant is not offered, and a save keeps it (the form says so).
"""
from __future__ import annotations

from typing import Any, Optional

from flask import g, has_request_context
from flask_appbuilder.security.sqla.models import Role
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.roles import (ALL_ROLES, PUBLIC_PERMISSIONS, PUBLIC_ROLE, ROLE_NAMES, ROLE_PERMISSIONS,
                       roles_held)
from app.scoping import current_user, is_platform_admin

#: The built-in roles a regional administrator grants.
GRANTABLE_BY_REGION_ADMIN = ("RegionAdmin", "Reviewer")
#: What a made role may grant for a regional administrator to give it or manage its holders.
WORKING_PERMISSIONS = frozenset(tuple(pair) for pair in ROLE_PERMISSIONS["Reviewer"])

KEPT_NOTE = _l("This account also holds %(roles)s, which you may not grant: saving keeps it.")
GROUP_NOTE = _l("Through its groups it also holds %(roles)s (changed on the groups page).")
NOT_GRANTABLE = _l("You may not grant %(roles)s: a role you grant gives nothing beyond your own "
                   "permissions and no administrator's powers.")


def role_label(role) -> str:
    """A built-in role by its name in the page's language, a made role by its name."""
    return str(ROLE_NAMES.get(role.name, role.name))


def role_pairs(role) -> frozenset:
    """The (view, permission) pairs ``role`` grants, as FAB's access check reads them: a
    built-in role's from the code (app.security), any other's from the database."""
    if role.name in ROLE_PERMISSIONS:
        return frozenset(tuple(pair) for pair in ROLE_PERMISSIONS[role.name])
    if role.name == PUBLIC_ROLE:
        return frozenset(tuple(pair) for pair in PUBLIC_PERMISSIONS)
    return frozenset((pair.view_menu.name, pair.permission.name) for pair in role.permissions
                     if pair.view_menu is not None and pair.permission is not None)


def held_pairs(user: Any) -> frozenset:
    """What ``user`` may do: the pairs of every role they hold, directly or through a group."""
    cache = g.setdefault("_banshi_held_pairs", {}) if has_request_context() else {}
    if user.id not in cache:
        cache[user.id] = frozenset().union(
            *(role_pairs(role) for role in roles_held(user.roles, getattr(user, "groups", ()))))
    return cache[user.id]


def may_grant(role, editor: Optional[Any] = None) -> bool:
    """Tell whether ``editor`` (the signed-in user by default) may give ``role`` to an account."""
    editor = editor if editor is not None else current_user()
    if is_platform_admin(editor):
        return role.name != PUBLIC_ROLE
    if role.name in GRANTABLE_BY_REGION_ADMIN:
        return True
    if role.name in ALL_ROLES or role.name == PUBLIC_ROLE:
        return False
    pairs = role_pairs(role)
    return pairs <= WORKING_PERMISSIONS and pairs <= held_pairs(editor)


def beyond_editor(role, editor: Optional[Any] = None) -> bool:
    """Tell whether an account holding ``role`` is beyond what ``editor`` manages: for anyone
    but the platform administrator, a citizen's or an administrator's role other than
    RegionAdmin, or a made role granting more than a Reviewer."""
    editor = editor if editor is not None else current_user()
    if is_platform_admin(editor) or role.name in GRANTABLE_BY_REGION_ADMIN:
        return False
    if role.name in ALL_ROLES or role.name == PUBLIC_ROLE:
        return True
    return not role_pairs(role) <= WORKING_PERMISSIONS


def _order(role) -> tuple:
    builtin = role.name in ALL_ROLES
    return (not builtin, ALL_ROLES.index(role.name) if builtin else 0, role.name)


def grantable_role_rows() -> list:
    """The roles the signed-in user may grant: the built-in ones first, then by name."""
    editor = current_user()
    roles = db.session.scalars(select(Role).options(selectinload(Role.permissions)))
    return sorted((role for role in roles if may_grant(role, editor)), key=_order)


def kept_roles(account) -> list:
    """The roles ``account`` holds directly that the signed-in user may not grant."""
    return sorted((role for role in account.roles or () if not may_grant(role)), key=_order)


def roles_note(account) -> Optional[str]:
    """Say which roles of ``account`` the form does not show: kept ones, and those through its
    groups; None when it shows them all."""
    notes = []
    kept = kept_roles(account)
    if kept:
        notes.append(str(KEPT_NOTE % {"roles": ", ".join(map(role_label, kept))}))
    direct = {role.name for role in account.roles or ()}
    through = sorted((role for role in roles_held((), account.groups)
                      if role.name not in direct), key=_order)
    if through:
        notes.append(str(GROUP_NOTE % {"roles": ", ".join(map(role_label, through))}))
    return " ".join(notes) or None


def keep_roles(account) -> list:
    """Put back the roles this save took from ``account`` that the editor may not grant (the
    form never offered them); return them. Call before the save is checked and written."""
    history = inspect(account).attrs.roles.history
    kept = [role for role in history.deleted or () if not may_grant(role)]
    for role in kept:
        account.roles.append(role)
    return kept


def refuse_grants(account) -> Optional[str]:
    """Say why the editor may not give ``account`` the roles this save adds, or None."""
    refused = [role for role in inspect(account).attrs.roles.history.added or ()
               if not may_grant(role)]
    if not refused:
        return None
    return str(NOT_GRANTABLE % {"roles": ", ".join(map(role_label, sorted(refused, key=_order)))})
