"""注销账号 (/me/close): a citizen closes their own account (app.commands.accounts).

CitizenHomeView (app.views.citizen.home) serves it. The page says what is deleted and what the
law keeps, asks for the password (sign-in takes a password, so re-authentication does too) and
a ticked confirmation; the command decides. Once closed, the session ends here and everywhere
(the account's epoch moved on); the language and large-font choice stay.
"""
from flask import flash, g, redirect, session
from flask_appbuilder import expose, has_access
from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _l
from flask_login import logout_user
from wtforms import BooleanField, PasswordField
from sqlalchemy import func, select
from wtforms.validators import DataRequired, Length

from app.commands.accounts import (CloseAccountCommand, WrongPasswordError, counter_draft,
                                   counter_draft_refusal, in_progress, is_citizen_account)
from app.commands.applications.errors import NotAllowedError
from app.extensions import db
from app.models.application import Application
from app.scoping import current_user
from app.views.auth import KEEP_ON_LOGIN
from app.views.citizen import show_error


class CloseAccountForm(DynamicForm):
    """The password and the ticked confirmation."""

    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter your password to confirm.")), Length(max=128)],
        render_kw={"autocomplete": "current-password"})
    confirmed = BooleanField(
        _l("I understand that my account is closed for good and cannot be restored."),
        validators=[DataRequired(_l("Tick the box to confirm that you want to close your "
                                    "account."))])


class ClosesAccount:
    """/me/close, for CitizenHomeView (a mixin: FAB registers what ``dir()`` finds)."""

    @expose("/close", methods=["GET", "POST"])
    @has_access
    def close(self):
        """Explain what closing does; close the account on a confirmed POST."""
        user = current_user()
        form = CloseAccountForm()
        citizen = is_citizen_account(user)
        if citizen and form.validate_on_submit():
            try:
                CloseAccountCommand(user, form.password.data).run()
            except WrongPasswordError as error:
                db.session.rollback()
                g.account_close_refused = True  # counted by the limit on wrong passwords
                show_error(form, error)
            except NotAllowedError as error:
                db.session.rollback()
                form.form_errors.append(str(error))
            else:
                kept = {key: session[key] for key in KEEP_ON_LOGIN if key in session}
                logout_user()
                session.clear()
                session.update(kept)  # the language and large-font mode stay
                flash(str(_l("Your account is closed. Thank you for using this service.")),
                      "success")
                return redirect(self.appbuilder.get_url_for_index, 303)
        window = counter_draft(user.id) if citizen else None
        return self.render_template(
            "citizen/close_account.html", form=form, title=_l("Close my account"),
            citizen=citizen, busy=db.session.scalar(select(in_progress(user.id))),
            counter=str(counter_draft_refusal(window)) if window is not None else None,
            drafts=db.session.scalar(select(func.count()).select_from(Application).where(
                Application.applicant_id == user.id, Application.status == "draft",
                Application.channel != "window")))
