"""Who may use the counter (窗口代录) and the decision queues (待办 / 已办), and their menu entries
(the counter pages, WindowEntryCommand and the menu ask here).

FAB's permissions alone do not say it: the platform administrator holds every permission
through the database (app.roles), the counter's ``WindowEntry can_enter`` and the queues'
``can_decide`` included, yet separation of duties keeps it from deciding and from filing at
the counter, and it belongs to no region whose items the counter could list. Its 窗口代录 was a
dead end that still confirmed whether a person was registered and had an account.

So the counter asks the roles an account holds besides the platform administrator's
(directly or through a group, app.scoping.grants): one of them must grant ``WindowEntry
can_enter`` — Reviewer, or a role an administrator made on the roles page and gave that
permission, read as FAB reads it, unless the account also holds Admin or RegionAdmin — and the
account must belong to a region (whose applications it then reads and writes as staff,
app.scoping.is_staff). The same test lists the counter's items, refuses its pages (a translated
403) and hides its menu entry; 待办 and 已办 are shown to accounts holding a role that decides
(app.roles.DECIDE_PERMISSIONS), a made one too.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.roles import COUNTER_PERMISSION, DECIDE_PERMISSIONS, MANAGING_ROLES, ROLE_PERMISSIONS
from app.scoping import grants, role_names

#: The built-in roles that file at the counter (Reviewer).
COUNTER_ROLES = tuple(name for name, granted in ROLE_PERMISSIONS.items()
                      if list(COUNTER_PERMISSION) in granted)

COUNTER_REFUSED = _l("Only review staff of a region enter applications at the counter: your "
                     "account holds no role that does, so the counter's look-up is not "
                     "available to it.")


def files_at_counter(user: Any) -> bool:
    """Tell whether ``user`` files applications at the counter (see the module docstring)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not getattr(user, "region_code", None):
        return False
    roles = role_names(user)
    if roles & set(COUNTER_ROLES):
        return True
    # A made role files at the counter, but not for whoever defines items and staff accounts
    # (separation of duties, app.roles.MANAGING_ROLES), whom the account forms let hold one.
    return not roles & set(MANAGING_ROLES) and grants(user, *COUNTER_PERMISSION)


def decides(user: Any) -> bool:
    """Tell whether ``user`` holds a role that decides applications (待办 / 已办 are theirs): one
    granted a decision permission, as the decision endpoints and 无人可办 read it
    (app.workflow.staffing.deciders), the platform administrator's aside."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return any(grants(user, view, permission) for view, permission in DECIDE_PERMISSIONS)


#: Menu entries (names as registered, app.initialization) shown only to whom can use them.
MENU_USERS = {"Window entry": files_at_counter, "To do": decides, "Done": decides}
