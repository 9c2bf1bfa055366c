"""FAB's password forms for staff, with the whole policy and, for one's own, the current password.

FAB's "reset my password" took a new password alone: whoever found a staff member's screen
unlocked could take the account over for good. Its complexity hook sees the password only, so
the username rule was skipped (``tsrev2abc1`` for ``tsrev2``). Both forms now apply
:func:`app.validators.check_password` with the account's username; changing one's own password
needs the current one, and is limited per account as signing in is (``LOGIN_ACCOUNT_RATE_LIMIT``)
so that the form cannot be used to guess it.
"""
from __future__ import annotations

from flask import current_app, g, request
from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget
from flask_appbuilder.forms import DynamicForm
from flask_appbuilder.security import views as fab_views
from flask_appbuilder.utils.limit import Limit
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo
from wtforms.validators import ValidationError as FormValidationError

from app.shared_limit import account_key
from app.extensions import db
from app.models.user import BanshiUser
from app.validators import ValidationError, check_password, message_text

WRONG_CURRENT = _l("This is not your current password.")


class _Policy:
    """The password policy with the username of the account the form changes."""

    def __init__(self, username):
        self.username = username

    def __call__(self, form, field):
        try:
            check_password(field.data or "", username=self.username())
        except ValidationError as error:
            raise FormValidationError(message_text(error)) from error


def _own_username():
    return getattr(g.user, "username", None)


def _target_username():
    user = db.session.get(BanshiUser, request.args.get("pk", type=int) or 0)
    return user.username if user is not None else None


def _password_form(username) -> type[DynamicForm]:
    class PasswordForm(DynamicForm):
        password = PasswordField(_l("New password"), validators=[DataRequired(), _Policy(username)],
                                 widget=BS3PasswordFieldWidget())
        conf_password = PasswordField(
            _l("Confirm password"), widget=BS3PasswordFieldWidget(),
            validators=[EqualTo("password", message=_l("The two passwords differ."))])

    return PasswordForm


class ChangeMyPasswordForm(_password_form(_own_username)):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()],
                                     widget=BS3PasswordFieldWidget())

    def validate_current_password(self, field):
        if not (g.user.password and check_password_hash(g.user.password, field.data or "")):
            raise FormValidationError(str(WRONG_CURRENT))


class ResetMyPasswordView(fab_views.ResetMyPasswordView):
    """Named as FAB's: the class name is the endpoint's and the permissions' (app.roles)."""

    form = ChangeMyPasswordForm
    limits = [Limit(lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
                    # Limits run before FAB sets g.user: the account comes from the session.
                    key_func=lambda: f"password-change:{account_key()}",
                    methods=("POST",))]
    form_title = _l("Change my password")
    message = _l("Your password was changed.")
    form_columns = ["current_password", "password", "conf_password"]


class ResetPasswordView(fab_views.ResetPasswordView):
    """Named as FAB's (see above)."""

    form = _password_form(_target_username)
    form_title = _l("Set a new password")
    message = _l("The password was changed.")
