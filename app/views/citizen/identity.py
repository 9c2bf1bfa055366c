"""Real-name verification (实名认证) for a signed-in citizen."""
from flask import current_app, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.validators import ValidationError as FormValidationError

from app.commands import CommandError
from app.commands.applications.errors import NotAllowedError
from app.commands.identity import (NAME_MAX, VerifyIdentityCommand, canonical_card_number,
                                   ensure_verifiable)
from app.commands.regions import known_region_code
from app.errors import error_page
from app.identity_limit import LimitsVerification
from app.scoping import current_user
from app.services import get_identity_verifier
from app.validators import ValidationError, canonical_id_number
from app.views.citizen import show_error
from app.views.preferences import page_to_return_to
from app.views.form_validators import Canonical

METHOD_LABELS = {
    "ec_password": _l("Medical insurance e-certificate (医保电子凭证) password"),
    "sscard": _l("Social security card number and card password"),
}


def _id_number(value: str) -> str:
    """Return the canonical ID number, refusing unknown address codes."""
    return canonical_id_number(value, region_known=known_region_code)


class IdentityForm(DynamicForm):
    """Name, ID number, method, card number (card only) and the secret."""

    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=NAME_MAX)],
                       render_kw={"autocomplete": "name"})
    id_number = StringField(_l("ID card number"), validators=[
        DataRequired(), Length(max=32), Canonical(_id_number)], render_kw={"autocomplete": "off"})
    method = RadioField(_l("Verify with"), choices=list(METHOD_LABELS.items()),
                        default="ec_password", validators=[DataRequired()])
    card_number = StringField(
        _l("Social security card number"), validators=[Length(max=40)],
        description=_l("Only when you verify with your social security card."),
        render_kw={"autocomplete": "off"})
    secret = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=64)],
        description=_l("The password of your medical insurance e-certificate or of your "
                       "social security card. banshi passes it on and never stores it."),
        render_kw={"autocomplete": "off"})

    def validate_card_number(self, field):
        """Require and canonicalise the card number when verifying with the card."""
        if self.method.data != "sscard":
            field.data = None
            return
        if not field.data:
            raise FormValidationError(str(_l("Enter your social security card number.")))
        try:
            field.data = canonical_card_number(field.data)
        except ValidationError as error:
            raise FormValidationError(str(error)) from error


def development_secret():
    """Return the development secret to show, only for the development verifier."""
    config = current_app.config
    if config.get("DEV_PAGES") and get_identity_verifier().development:
        return config.get("DEV_IDENTITY_SECRET")
    return None


class IdentityView(LimitsVerification, BaseView):
    """/identity/verify: confirm name and ID number through the identity verifier."""

    route_base = "/identity"
    default_view = "verify"
    # Failed attempts only, counted with the API's (app.identity_limit).
    verification_endpoints = ("verify",)

    @expose("/verify", methods=["GET", "POST"])
    @has_access
    def verify(self):
        """Show the verification form, or the verified state; verify on POST. An administrator
        (the only staff holding this page's permission) is told it is for citizens (403), as
        POST /api/v1/me/identity tells them."""
        user = current_user()
        try:
            ensure_verifiable(user)
        except NotAllowedError as error:
            return error_page(403, str(error))
        form = IdentityForm()
        if user.identity_verified_at is None and form.validate_on_submit():
            try:
                VerifyIdentityCommand(user, form.name.data, form.id_number.data, form.method.data,
                                      form.secret.data, form.card_number.data).run()
            except CommandError as error:
                show_error(form, error)
            else:
                flash(str(_l("Your identity is verified.")), "success")
                # Back where verification interrupted (the item being started), else /me.
                return redirect(page_to_return_to(request.args.get("next"))
                                or url_for("CitizenHomeView.index"))
        return self.render_template(
            "citizen/verify_identity.html", form=form, user=user, title=_l("Verify your identity"),
            method_labels=METHOD_LABELS, dev_secret=development_secret())
