"""Login and logout for every account, in the citizen layout (mobile-first)."""
from flask import flash, g, redirect, request, session
from flask_appbuilder import expose
from flask_appbuilder.security.forms import LoginForm_db
from flask_appbuilder.security.views import AuthDBView
from flask_appbuilder.utils.base import get_safe_redirect
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app.security import EPOCH_KEY

KEEP_ON_LOGIN = ("locale", "large_font")


class LoginForm(LoginForm_db):
    username = StringField(
        _l("Mobile, ID number or username"), validators=[DataRequired(), Length(max=64)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])


def start_session(user) -> None:
    """Log ``user`` in on a fresh session: nothing from before login survives but the locale."""
    kept = {key: session[key] for key in KEEP_ON_LOGIN if key in session}
    session.clear()
    session.update(kept)
    login_user(user, remember=False)
    session[EPOCH_KEY] = user.session_epoch
    session.permanent = True


class BanshiAuthDBView(AuthDBView):
    login_template = "citizen/login.html"
    invalid_login_message = _l("Wrong account or password.")
    title = _l("Sign in")

    @expose("/login/", methods=["GET", "POST"])
    def login(self):
        if g.user is not None and g.user.is_authenticated:
            return redirect(self._get_safe_next_url())
        form = LoginForm()
        if form.validate_on_submit():
            next_url = get_safe_redirect(request.args.get("next", ""))
            user = self.appbuilder.sm.auth_user_db(form.username.data, form.password.data)
            if not user:
                flash(str(self.invalid_login_message), "warning")
                return redirect(self.appbuilder.get_url_for_login_with(next_url))
            start_session(user)
            return redirect(next_url)
        return self.render_template(self.login_template, title=self.title, form=form)

    @expose("/logout/", methods=["GET", "POST"])
    def logout(self):
        # A GET (FAB's menu links here) only asks; signing out takes a POST with a CSRF token,
        # so another site cannot end a user's sessions.
        if request.method == "GET":
            if g.user is None or not g.user.is_authenticated:
                return redirect(self.appbuilder.get_url_for_index)
            return self.render_template("citizen/logout.html", title=_l("Sign out"))
        user = self._get_authenticated_user()
        logout_user()
        if user is not None:
            self.appbuilder.sm.end_sessions(user)
        session.clear()
        return redirect(self.appbuilder.get_url_for_index)
