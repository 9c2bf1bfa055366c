"""Create an account and reset a password with an SMS code; both work without JavaScript.

Every answer is the same for mobiles with and without an account (SECURITY_TESTS.md A3); the
commands take care of what differs (which SMS goes out, if any).
"""
import time
from typing import Optional

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.forms import DynamicForm
from flask_appbuilder.utils.limit import Limit
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from wtforms import BooleanField, PasswordField, StringField, TelField
from wtforms.validators import DataRequired, EqualTo, Length

from app.commands import CommandError
from app.commands.registration import RegisterCitizenCommand, ResetPasswordCommand
from app.commands.sms_codes import SendSmsCodeCommand, SmsCodeError, canonical_sms_code
from app.errors import handle_http_error
from app.scoping import current_user
from app.validators import ValidationError, canonical_mobile, mask_mobile
from app.views.auth import start_session
from app.views.citizen import show_error, validate_fields
from app.views.form_validators import Canonical, Password

PASSWORD_HELP = _l("At least 8 characters, with letters and digits; not a common password.")


def _mobile_field():
    """Return the mobile field (canonicalised: +86, spaces, full-width digits)."""
    return TelField(_l("Mobile number"), validators=[
        DataRequired(_l("Enter a mobile phone number.")), Length(max=32),
        Canonical(canonical_mobile)],
        render_kw={"autocomplete": "tel", "inputmode": "tel"})


def _code_field():
    """Return the SMS code field."""
    return StringField(_l("SMS verification code"), validators=[
        DataRequired(_l("Enter the code from the text message.")), Length(max=16),
        Canonical(canonical_sms_code)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


def _password_field(label):
    """Return a new-password field applying the password policy."""
    return PasswordField(label, validators=[
        DataRequired(_l("Enter a password.")), Length(max=128), Password("mobile")],
                         description=PASSWORD_HELP, render_kw={"autocomplete": "new-password"})


def _confirmation_field():
    """Return the field repeating the password."""
    return PasswordField(_l("Repeat the password"), validators=[
        DataRequired(_l("Repeat the password.")),
        EqualTo("password", message=_l("The two passwords do not match."))],
        render_kw={"autocomplete": "new-password"})


class RegisterForm(DynamicForm):
    """Mobile, code, password twice and the accepted agreement."""

    mobile = _mobile_field()
    code = _code_field()
    password = _password_field(_l("Password"))
    confirmation = _confirmation_field()
    agreement = BooleanField(
        _l("I have read and accept the registration agreement."),
        validators=[DataRequired(message=_l("Accept the registration agreement to continue."))])


class ResetForm(DynamicForm):
    """Mobile, code and the new password twice."""

    mobile = _mobile_field()
    code = _code_field()
    password = _password_field(_l("New password"))
    confirmation = _confirmation_field()


TYPED = "account_form"  # session key: what the register or reset form held at "send code"
KEPT = ("mobile", "code", "agreement")

PAGES = {
    "register": (RegisterForm, "citizen/register.html", _l("Create an account")),
    "reset": (ResetForm, "citizen/reset.html", _l("Reset your password")),
}


def target_mobile() -> Optional[str]:
    """Return the canonical mobile a POST is about, or None when it names none."""
    try:
        return canonical_mobile(request.form.get("mobile", ""))
    except ValidationError:
        return None


def limits_for(endpoint: str, rate: str) -> list[Limit]:
    """Limit POSTs to one endpoint per client IP and per target mobile (SECURITY_TESTS.md A2).

    FAB applies a view's ``limits`` to its whole blueprint (counted per endpoint), so each limit
    exempts the other endpoints of this view.
    """
    def elsewhere() -> bool:
        """Tell whether the request is for another endpoint of the view."""
        return (request.endpoint or "").rsplit(".", 1)[-1] != endpoint

    return [
        Limit(rate, key_func=None, methods=("POST",), exempt_when=elsewhere),  # per client IP
        Limit(rate, key_func=lambda: f"mobile:{target_mobile()}", methods=("POST",),
              exempt_when=lambda: elsewhere() or target_mobile() is None),
    ]


class RegistrationView(BaseView):
    """/account/register, /account/sms-code and /account/reset (anonymous)."""

    route_base = "/account"
    default_view = "register"
    limits = [*limits_for("register", "20 per hour"), *limits_for("send_code", "10 per hour"),
              *limits_for("reset", "20 per hour")]

    @expose("/register", methods=["GET", "POST"])
    def register(self):
        """Create a Citizen account, sign it in and go on to identity verification."""
        if current_user() is not None:
            return redirect(url_for("CitizenHomeView.index"))
        form = self._form("register")
        if form.validate_on_submit():
            try:
                user = RegisterCitizenCommand(
                    form.mobile.data, form.password.data, form.confirmation.data,
                    form.code.data, form.agreement.data).run()
            except CommandError as error:
                show_error(form, error)
            else:
                session.pop(TYPED, None)
                start_session(user)
                flash(str(_l("Your account is ready. Verify your identity to start applying.")),
                      "success")
                return redirect(url_for("IdentityView.verify"))
        return self._page("register", form, sent_to=self._sent_to("register"))

    @expose("/sms-code", methods=["POST"])
    def send_code(self):
        """Send a code for the form the "send code" button belongs to, then go back to that form.

        Redirect-after-POST: the form's page is a GET again (reloading it, or switching 大字版 or
        the language, sends nothing twice), and what was typed comes back from the session.
        """
        purpose = request.form.get("send_code", "")
        if purpose not in PAGES:
            abort(400)
        form = PAGES[purpose][0]()
        sent_to = None
        if validate_fields(form, "mobile"):
            try:
                SendSmsCodeCommand(form.mobile.data, purpose).run()
            except SmsCodeError as error:
                form.mobile.errors = [str(error)]
            else:
                sent_to = mask_mobile(form.mobile.data)
        # Passwords are not kept (the session is a signed, readable cookie); a page never
        # shows one again anyway.
        session[TYPED] = {"purpose": purpose, "at": int(time.time()), "sent_to": sent_to,
                          "fields": {name: request.form.get(name, "")[:32] for name in KEPT
                                     if name in request.form},
                          "errors": {"mobile": [str(e) for e in form.mobile.errors]}}
        return redirect(url_for(f"RegistrationView.{purpose}"), 303)

    @expose("/reset", methods=["GET", "POST"])
    def reset(self):
        """Set a new password with a code sent to the account's mobile; end its sessions."""
        form = self._form("reset")
        if form.validate_on_submit():
            try:
                ResetPasswordCommand(form.mobile.data, form.code.data, form.password.data,
                                     form.confirmation.data).run()
            except CommandError as error:
                show_error(form, error)
            else:
                session.pop(TYPED, None)
                flash(str(_l("Your password was changed and every other sign-in ended. "
                             "Sign in with the new password.")), "success")
                return redirect(self.appbuilder.get_url_for_login)
        return self._page("reset", form, sent_to=self._sent_to("reset"))

    @staticmethod
    def _kept(purpose: str) -> dict:
        """Return what was typed before "send code" on this form, while its code is valid."""
        kept = session.get(TYPED) or {}
        fresh = time.time() - kept.get("at", 0) < current_app.config["SMS_CODE_TTL_SECONDS"]
        return kept if kept.get("purpose") == purpose and fresh else {}

    def _form(self, purpose: str):
        """Return the page's form: as posted, or on a GET as it was at "send code".

        The message about the mobile (wrong number, wait a minute) is shown once.
        """
        form_class = PAGES[purpose][0]
        kept = self._kept(purpose)
        if request.method != "GET" or not kept:
            return form_class()
        form = form_class(data=kept["fields"])
        form.mobile.errors = kept.get("errors", {}).get("mobile", [])
        session[TYPED] = {**kept, "errors": {}}
        return form

    def _sent_to(self, purpose: str) -> Optional[str]:
        """Return the masked mobile a code was sent to from this form, while it is valid."""
        return self._kept(purpose).get("sent_to")

    def create_blueprint(self, appbuilder, endpoint=None, static_folder=None):
        """Create the blueprint; a refused CSRF token (app-wide check) re-renders the form."""
        blueprint = super().create_blueprint(appbuilder, endpoint, static_folder)
        blueprint.register_error_handler(CSRFError, self.form_expired)
        return blueprint

    def form_expired(self, error: CSRFError):
        """Show the page again, as filled in, with the visible "form expired" message."""
        name = (request.endpoint or "").rsplit(".", 1)[-1]
        purpose = request.form.get("send_code") if name == "send_code" else name
        if purpose not in PAGES:
            return handle_http_error(error)
        form = PAGES[purpose][0]()
        if hasattr(form, "csrf_token"):
            form.csrf_token.errors = [str(error.description)]
        return self._page(purpose, form), 400

    def _page(self, purpose: str, form, sent_to: Optional[str] = None):
        """Render the register or reset page."""
        _, template, title = PAGES[purpose]
        return self.render_template(template, form=form, title=title, sent_to=sent_to,
                                    purpose=purpose)
