"""Separation of duties on the account, group and role pages: why a save is refused, in words.

Whoever defines items and staff accounts (app.roles.MANAGING_ROLES) never holds a role that
decides applications (app.staff_roles.deciding): Reviewer, or a role an administrator made and
gave a decision permission. Each page where such a pair could be made refuses it there, naming
what clashes: the account form and the groups page the two roles (a made role with the
permission that makes it decide), the roles page the role, the permission and the accounts and
groups that would hold both. ``flask users conflicts`` finds pairs made before these checks.
"""
from __future__ import annotations

from typing import Optional

from flask_appbuilder.security.sqla.models import Group, Role, assoc_user_group, assoc_user_role
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, union
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models.user import BanshiUser
from app.roles import (BUILTIN_ROLES, DECIDE_PERMISSIONS, MANAGING_ROLES, ROLE_NAMES,
                       held_role_names, role_grants, roles_held)
from app.staff_roles import deciding, role_conflict
from app.views.admin.security_labels import permission_text


def decision_permissions(role) -> str:
    """Name the decision permissions ``role`` grants, as the roles page shows them."""
    return ", ".join(permission_text(view, permission) for view, permission in DECIDE_PERMISSIONS
                     if role_grants(role, view, permission))


def deciding_name(role) -> str:
    """Name a deciding role: a built-in one by its name in the reader's language, one an
    administrator made with the permission that makes it decide."""
    if role.name in ROLE_NAMES:
        return str(ROLE_NAMES[role.name])
    return str(_l("%(role)s (grants %(permission)s)", role=role.name,
                  permission=decision_permissions(role)))


def separation_refusal(roles, groups=()):
    """Return why an account holding ``roles`` directly and ``groups`` breaks separation of
    duties (the groups that give a conflicting role named), or None."""
    conflict = role_conflict(roles, groups)
    if conflict is None:
        return None
    through = [group.name for group in groups or ()
               if {role.name for role in group.roles} & set(conflict)]
    decider = next(role for role in roles_held(roles, groups) if role.name == conflict[1])
    return separation_message(conflict, through, deciding_name(decider))


def separation_message(conflict: tuple[str, str], groups=(), deciding_label=None):
    """Say, in the reader's language, why one account cannot hold both roles of ``conflict``;
    ``groups`` names the groups that give one of them, if any do; ``deciding_label`` names the
    deciding role (:func:`deciding_name`; by default its name)."""
    managing = ROLE_NAMES[conflict[0]]
    deciding_role = deciding_label or str(ROLE_NAMES.get(conflict[1], conflict[1]))
    if groups:
        return _l("One account cannot be both %(managing)s and %(deciding)s, also when a role "
                  "comes through a group (here: %(groups)s): whoever defines items and staff "
                  "accounts does not decide applications or enter them at the counter. Give "
                  "the roles to two accounts.", managing=managing, deciding=deciding_role,
                  groups=", ".join(sorted(groups)))
    return _l("One account cannot be both %(managing)s and %(deciding)s: whoever defines items "
              "and staff accounts does not decide applications or enter them at the counter. "
              "Give the roles to two accounts.", managing=managing, deciding=deciding_role)


def role_refusal(role: Role) -> Optional[str]:
    """Return why the roles page may not save ``role`` as edited, or None: it would decide
    (:func:`decision_permissions`) while an account that defines items and staff holds it,
    directly or through a group, or a group gives it together with such a role. Its changed
    permissions are read from the session, not yet written."""
    if role.id is None or role.name in BUILTIN_ROLES or not deciding(role):
        return None
    with db.session.no_autoflush:
        groups = list(db.session.scalars(select(Group).where(Group.roles.any(Role.id == role.id))
                                         .options(selectinload(Group.roles))))
        member_ids = select(assoc_user_group.c.user_id).where(
            assoc_user_group.c.group_id.in_([group.id for group in groups] or [-1]))
        holder_ids = union(select(assoc_user_role.c.user_id).where(
            assoc_user_role.c.role_id == role.id), member_ids).subquery()
        accounts = list(db.session.scalars(
            select(BanshiUser).where(BanshiUser.id.in_(select(holder_ids.c.user_id)))
            .options(selectinload(BanshiUser.roles), selectinload(BanshiUser.groups))
            .order_by(BanshiUser.username)))
    managing: set[str] = set()
    holders: list[str] = []
    giving: set[str] = set()
    for account in accounts:
        held = held_role_names(account.roles, account.groups) & set(MANAGING_ROLES)
        if held:
            managing |= held
            holders.append(account.username)
            if role not in account.roles:
                giving |= {group.name for group in account.groups if role in group.roles}
    for group in groups:
        held = {given.name for given in group.roles} & set(MANAGING_ROLES)
        if held:
            managing |= held
            giving.add(group.name)
    if not managing:
        return None
    names = holders + [str(_l("group %(name)s", name=name)) for name in sorted(giving)]
    return str(_l("The role %(role)s cannot grant %(permission)s: %(holders)s would then be both "
                  "%(managing)s and a role that decides applications (a role that comes "
                  "through a group counts too). Whoever defines items and staff accounts does "
                  "not decide applications or enter them at the counter: take the role away "
                  "from them first.", role=role.name, permission=decision_permissions(role),
                  holders=", ".join(names),
                  managing=", ".join(str(ROLE_NAMES[name]) for name in MANAGING_ROLES
                                     if name in managing)))
