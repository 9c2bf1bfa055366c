"""Who chose an account's password: its owner, or someone who knows it too.

A password an administrator or an operator chose — the users form, 设置新密码 (FAB's reset
form), ``flask users add``, FAB's ``flask fab create-admin`` / ``create-user`` /
``reset-password`` — marks the account (``BanshiUser.must_change_password``): its owner chooses
their own at the next sign-in (app.views.admin.password_change). A password the owner chose —
修改密码, or a reset by SMS code sent to their own mobile — clears the mark.
"""
from __future__ import annotations

from flask import current_app, g
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash

from app.roles import role_grants, roles_held

#: The permission of 修改密码; whoever holds it chooses their own password there.
CHANGE_FORM = ("ResetMyPasswordView", "can_this_form_get")
SAME_PASSWORD = _l("Choose a password different from your current one.")


def changes_own_password(account) -> bool:
    """Tell whether ``account`` holds a role that may use 修改密码 (staff, also through a role
    an administrator made and gave that permission; citizens reset theirs by SMS code)."""
    admin = current_app.appbuilder.sm.auth_role_admin
    return any(role.name == admin or role_grants(role, *CHANGE_FORM)
               for role in roles_held(account.roles, getattr(account, "groups", ())))


def require_own_password(account) -> bool:
    """Mark ``account``, whose password someone has just chosen, to choose its own at its next
    sign-in; return whether it was marked: only accounts that can change it, and not when the
    acting user sets their own (a platform administrator may set theirs on 设置新密码)."""
    acting = g.get("user")
    own = account.id is not None and getattr(acting, "id", None) == account.id
    account.must_change_password = True if changes_own_password(account) and not own else None
    return bool(account.must_change_password)


def owner_chose_password(account) -> dict:
    """Clear the mark of ``account``, whose owner has just chosen its password; return the
    audit detail of the change ({} if it was not marked)."""
    was_required = bool(account.must_change_password)
    account.must_change_password = None
    return {"must_change_password": {"from": True, "to": False}} if was_required else {}


def keeps_given_password(account, password: str) -> bool:
    """Tell whether ``password`` is the one someone else chose for ``account``, still unchanged
    (choosing it again would keep a password another person knows)."""
    return bool(account.must_change_password and account.password
                and check_password_hash(account.password, password or ""))


def must_change(account) -> bool:
    """Tell whether ``account`` has to choose its own password before anything else."""
    return bool(getattr(account, "must_change_password", None)) and changes_own_password(account)
