"""Login and logout for every account, in the citizen layout (mobile-first), and the limits on
signing in (SECURITY_TESTS.md A2).

Signing in is limited per client IP (``AUTH_RATE_LIMIT``, generous: the clerks of one office
share an address), per account from one address (``LOGIN_ACCOUNT_RATE_LIMIT``: what stops
guessing) and per account from all addresses together (``LOGIN_ACCOUNT_TOTAL_RATE_LIMIT``, well
above what one address may send: guessing spread over many machines is slowed, while one
address sending wrong passwords cannot lock the owner out elsewhere). The two account limits
count failed tries only: signing in correctly, however often, never uses them up. The web form
and the API's ``/api/v1/security/login`` (app.api.security) share each of these allowances: a
try through either counts against both (``SharesLoginLimits``). The account is the one the name
given resolves to, so its mobile, ID number and username share one count; a name that
resolves to no account is counted as written.

The web form also asks for the characters of a captcha picture (app.captcha), checked before
the password so that a wrong one tells nothing about it; a wrong one still counts toward both
limits. Asking for a new picture without JavaScript sends the form with its "New picture"
button: that checks nothing and is no try. Each stores a picture, though: FAB's own
``AUTH_RATE_LIMIT`` on every POST of the form's blueprint (``AUTH_RATE_LIMITED``; per address,
counted per endpoint, apart from the shared allowance) bounds them, as it bounds signing out.
The token API has no captcha.
"""
from typing import Optional

from flask import current_app, flash, g, redirect, request, session
from flask_appbuilder import expose
from flask_appbuilder.const import FLAMSG_ERR_SEC_ACCESS_DENIED
from flask_appbuilder.security.forms import LoginForm_db
from flask_appbuilder.security.views import AuthDBView
from flask_appbuilder.utils.base import get_safe_redirect
from flask_appbuilder.utils.limit import Limit
from flask_babel import force_locale, get_locale, lazy_gettext as _l
from flask_login import current_user as session_user
from flask_login import login_user, logout_user
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app import captcha as challenge
from app.security import EPOCH_KEY

KEEP_ON_LOGIN = ("locale", "large_font")
#: The name a wrong password was sent with, for the form to show again (never the password).
TYPED_NAME = "login_name"
SIGN_IN_FIRST = _l("Please sign in first.")


class LoginForm(LoginForm_db):
    username = StringField(
        _l("Mobile, ID number or username"), validators=[DataRequired(), Length(max=64)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    captcha = StringField(
        _l("Characters in the picture"),
        validators=[DataRequired(challenge.MISSING), Length(max=16)],
        description=_l("Upper or lower case, as you like."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters",
                   "spellcheck": "false", "maxlength": 16},
    )


def start_session(user) -> None:
    """Log ``user`` in on a fresh session: nothing from before login survives but the locale."""
    kept = {key: session[key] for key in KEEP_ON_LOGIN if key in session}
    session.clear()
    session.update(kept)
    login_user(user, remember=False)
    session[EPOCH_KEY] = user.session_epoch
    session.permanent = True


def login_account_key() -> Optional[str]:
    """Return the rate-limit key of the account a login POST names (form or JSON), or None
    (looked up once per request)."""
    if "login_account_key" not in g:
        g.login_account_key = _login_account_key()
    return g.login_account_key


def _login_account_key() -> Optional[str]:
    if request.is_json:
        body = request.get_json(silent=True)
        name = body.get("username") if isinstance(body, dict) else None
    else:
        name = request.form.get("username")
    name = str(name or "").strip()[:64]
    if not name:
        return None
    account = current_app.appbuilder.sm.find_login_account(name)
    return f"login-account:{account.id}" if account is not None else f"login-name:{name.lower()}"


def asks_new_picture() -> bool:
    """Whether this is the login form sent by its "New picture" button (no JavaScript)."""
    return (request.endpoint == f"{BanshiAuthDBView.__name__}.login"
            and challenge.NEW_PICTURE in request.form)


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _account_total_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_TOTAL_RATE_LIMIT"]


def _ip_limit() -> str:
    return current_app.config["AUTH_RATE_LIMIT"]


def _elsewhere() -> bool:
    """Tell whether the request is for another endpoint of the view than its login."""
    return (request.endpoint or "").rsplit(".", 1)[-1] != "login"


def _no_try() -> bool:
    """Tell whether the request is no sign-in attempt: another endpoint, or a new picture."""
    return _elsewhere() or asks_new_picture()


def _no_account_try() -> bool:
    return _no_try() or login_account_key() is None


def _failed(response) -> bool:
    """Tell whether a sign-in try counts toward an account's limits: it did not sign in (a
    wrong password or captcha, a form refused). Signing in correctly never uses them up, so a
    clerk signing in all day is not locked out. The token API answers 200 with a token, or
    403 to the right password of an account that must choose its own on the web first
    (app.views.admin.password_change: an app retrying must not lock its owner out of the web
    form); the web form has signed the session in."""
    if request.path.startswith("/api/"):
        return response.status_code not in (200, 403)
    return not session_user.is_authenticated


# (rate, scope, key, exempt, deduct_when): key None is the limiter's own, the real client IP.
# The account limits count failed tries only; the address's (deduct_when None) counts every
# try: an office's allowance, bounding the password checks one machine asks for.
LOGIN_LIMITS = (
    (_account_limit, "login-account-address",
     lambda: f"{login_account_key()}@{request.remote_addr}", _no_account_try, _failed),
    (_account_total_limit, "login-account", lambda: login_account_key() or "", _no_account_try,
     _failed),
    (_ip_limit, "login-address", None, _no_try, None),
)


def asks_to_sign_in() -> None:
    """Say 请先登录 where FAB's ``has_access`` said 访问被拒绝 on its way here: it sends someone
    not signed in to this form with that message (a signed-in user gets 403 instead), and they
    are asked to sign in, not refused."""
    flashes = session.get("_flashes")
    if not flashes:
        return
    denied = set()
    for locale in ("zh", "en", str(get_locale() or "zh")):
        with force_locale(locale):
            denied.add(str(FLAMSG_ERR_SEC_ACCESS_DENIED))
    kept = [(category, message) for category, message in flashes if message not in denied]
    if len(kept) < len(flashes):
        session["_flashes"] = [("info", str(SIGN_IN_FIRST)), *kept]


class SharesLoginLimits:
    """Mixin for the web form and the token API: their login POSTs share one allowance.

    FAB's ``limits`` are counted per endpoint, so each way in would have its own tries; these
    are Flask-Limiter shared limits, counted under one scope whichever way the attempt came
    (in the limiter's storage: Redis in production, so across workers too). Other endpoints of
    the view are exempt: a limit put on a blueprint covers all of it.
    """

    def create_blueprint(self, appbuilder, *args, **kwargs):
        """Create the blueprint and put the shared login limits on it."""
        blueprint = super().create_blueprint(appbuilder, *args, **kwargs)
        for rate, scope, key, exempt, counts in LOGIN_LIMITS:
            appbuilder.sm.limiter.shared_limit(rate, scope, key_func=key, methods=["POST"],
                                               exempt_when=exempt, deduct_when=counts)(blueprint)
        return blueprint


class BanshiAuthDBView(SharesLoginLimits, AuthDBView):
    login_template = "citizen/login.html"
    invalid_login_message = _l("Wrong account or password.")
    title = _l("Sign in")
    # Each view of the form stores a captcha challenge, so views are limited per IP too
    # (generously: an office shares one).
    limits = [Limit(lambda: current_app.config["LOGIN_PAGE_RATE_LIMIT"], key_func=None,
                    methods=("GET",), exempt_when=_elsewhere)]

    @expose("/login/", methods=["GET", "POST"])
    def login(self):
        if g.user is not None and g.user.is_authenticated:
            return redirect(self._page_after_login(self._get_safe_next_url()))
        form = LoginForm()
        if not form.is_submitted():
            asks_to_sign_in()
            form.username.data = session.pop(TYPED_NAME, None) or form.username.data
        if form.is_submitted() and asks_new_picture():
            challenge.discard(request.form.get("captcha_key"))
        elif form.is_submitted():
            valid = form.validate()
            problem = challenge.solve(request.form.get("captcha_key"), form.captcha.data)
            if valid and problem is None:
                return self._authenticate(form)
            if problem is not None and not form.captcha.errors:
                form.captcha.errors.append(problem)
        # The form comes back with the name typed, never the password, and a new picture.
        return self.render_template(self.login_template, title=self.title, form=form,
                                    captcha_key=challenge.issue())

    def _authenticate(self, form: LoginForm):
        next_url = get_safe_redirect(request.args.get("next", ""))
        user = self.appbuilder.sm.auth_user_db(form.username.data, form.password.data)
        if not user:
            flash(str(self.invalid_login_message), "warning")
            session[TYPED_NAME] = form.username.data  # shown again after the redirect
            return redirect(self.appbuilder.get_url_for_login_with(next_url))
        start_session(user)
        return redirect(self._page_after_login(next_url))

    def _page_after_login(self, next_url: str) -> str:
        """Where to go once signed in: ``next`` if it answers GET, else the page its form was
        on (开始申请 pressed signed out leaves a POST-only ``next``, which answered 405)."""
        from app.views.preferences import page_to_return_to

        return page_to_return_to(next_url) or self.appbuilder.get_url_for_index

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
