"""A password someone else chose is changed by the account's owner at the next sign-in.

An administrator who creates a staff account on the users form, or sets a new password for one
(设置新密码), knows that password; so does the operator who types one on the command line
(``flask users add``, FAB's ``flask fab create-admin``, ``create-user`` and ``reset-password``,
whose password also stays in the shell's history). The account is marked
(``BanshiUser.must_change_password``, app.commands.own_password) and, until its owner changes it
on 修改密码, every page answers with that form instead, and the token API refuses to sign it in.
Changing one's own password, here or by an SMS code to one's own mobile, clears the mark.
"""
from __future__ import annotations

from flask import flash, g, jsonify, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash
from wtforms.validators import ValidationError as FormValidationError

from app.audit import record
from app.commands.own_password import (SAME_PASSWORD, changes_own_password,  # noqa: F401
                                       must_change, owner_chose_password, require_own_password)
from app.views.admin import passwords

NOTICE = _l("Your password was set by an administrator. Choose your own password before "
            "you continue.")
API_REFUSAL = _l("Your password was set by an administrator. Sign in on the web page and "
                 "choose your own password first; then sign in here again.")
#: What a marked account may still open: the change form, signing out, the language and font
#: switches and static files; and the token API's sign-in, which answers for the credentials
#: it is sent (its limits count as for anyone), whatever the browser's session.
OPEN_ENDPOINTS = {"ResetMyPasswordView.this_form_get", "ResetMyPasswordView.this_form_post",
                  "BanshiAuthDBView.logout", "LocaleView.index", "PreferenceView.language",
                  "PreferenceView.large_font", "static", "appbuilder.static", "favicon",
                  "SecurityApi.login"}


def guard():
    """``before_request``: send a marked account to 修改密码 (API calls: a 403 in JSON)."""
    if request.endpoint in OPEN_ENDPOINTS or "_user_id" not in session:
        return None  # the static files and anonymous visitors cost no account query
    user = g.get("user")
    if user is None or not user.is_authenticated or not must_change(user):
        return None
    if request.path.startswith("/api/"):
        response = jsonify(message=str(API_REFUSAL))
        response.status_code = 403
        return response
    notice = str(NOTICE)
    # One notice, however many pages asked before the form was shown (get_flashed_messages
    # would take the others away).
    if all(message != notice for _category, message in session.get("_flashes", ())):
        flash(notice, "warning")
    return redirect(url_for("ResetMyPasswordView.this_form_get"))


def register(app) -> None:
    """Install the guard (after FAB's own hook, which sets ``g.user``)."""
    app.before_request(guard)


class ChangeMyPasswordForm(passwords.ChangeMyPasswordForm):
    """修改密码, refusing the current password as the new one (the one an administrator chose
    would otherwise be kept)."""

    def validate_password(self, field):
        if g.user.password and check_password_hash(g.user.password, field.data or ""):
            raise FormValidationError(str(SAME_PASSWORD))


class ResetMyPasswordView(passwords.ResetMyPasswordView):
    """Named as FAB's: the class name is the endpoint's and the permissions' (app.roles)."""

    form = ChangeMyPasswordForm

    def form_post(self, form):
        user = g.user
        detail = owner_chose_password(user)
        record("account.password_changed", "user", user.id, user.region_code, **detail)
        super().form_post(form)  # sets the password, ends the other sessions and commits
