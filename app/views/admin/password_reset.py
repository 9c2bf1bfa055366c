"""Setting a new password for another staff member who forgot theirs.

A platform administrator may set any account's; a region's administrator those of the staff
accounts they manage (app.views.admin.users.account_lock: within their subtree, never a
platform administrator's, a citizen's or another administrator's of their own region, not
their own — that is 修改密码). Every reset is in the audit log; the account's sessions end.
"""
from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_appbuilder.security import views as fab_views
from flask_babel import lazy_gettext as _l

from app.audit import record
from app.extensions import db
from app.models.user import BanshiUser
from app.scoping import can_write_region, current_user, is_platform_admin
from app.views.admin.list_guard import MAX_INTEGER_ID
from app.views.admin.password_change import require_own_password
from app.views.admin.passwords import _password_form, _target_username
from app.views.admin.scoped import OUT_OF_SCOPE


def reset_refusal(account: BanshiUser):
    """Return why the current user may not set ``account``'s password, or None."""
    from app.views.admin.users import account_lock

    if is_platform_admin(current_user()):
        return None
    if not can_write_region(account.region_code):
        return OUT_OF_SCOPE
    return account_lock(account)


def reset_target() -> BanshiUser:
    """Return the account of ``?pk=``; 404 if there is none, 403 if it is not the user's to reset."""
    pk = request.args.get("pk", type=int)
    account = db.session.get(BanshiUser, pk) if pk is not None and 0 < pk <= MAX_INTEGER_ID \
        else None
    if account is None:
        abort(404)
    reason = reset_refusal(account)
    if reason is not None:
        abort(403, description=str(reason))
    return account


class ResetPasswordView(fab_views.ResetPasswordView):
    """Named as FAB's: the class name is the endpoint's and the permissions' (app.roles)."""

    form = _password_form(_target_username)
    form_title = _l("Set a new password")
    message = _l("The password was changed.")

    def _init_vars(self):
        # FAB's form routes call this first, on GET and POST alike.
        reset_target()
        super()._init_vars()

    def form_post(self, form):
        account = reset_target()
        # The administrator knows it now: the owner chooses their own at the next sign-in.
        record("account.password_set", "user", account.id, account.region_code,
               must_change_password=require_own_password(account))
        super().form_post(form)  # sets it, ends the account's sessions and commits
        return redirect(url_for("StaffUserModelView.show", pk=account.id))


class _Actions(dict):
    """Actions for FAB's show widget, which takes an empty dict for "all of the view's"."""

    def __bool__(self):
        return True


class PasswordActions:
    """设置新密码 on an account's page only where the user may set that account's password."""

    def _get_show_widget(self, pk, item, widgets=None, actions=None, show_fieldsets=None):
        if actions and "resetpasswords" in actions and reset_refusal(item) is not None:
            actions = _Actions({name: action for name, action in actions.items()
                                if name != "resetpasswords"})
        return super()._get_show_widget(pk, item, widgets=widgets, actions=actions,
                                        show_fieldsets=show_fieldsets)
